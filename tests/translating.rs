//! Authoring support for translators: `rally new <kind> <name> --lang <code>` starts a
//! translation beside its original, and `rally check` (not `rally build`) says which
//! translations are behind their original.

use rally::content::translations::version_hash;

use crate::support::{Outcome, Test, snapshot};

/// A site in English, Spanish and French.
const SITE: &str = "title: Test site\nbase_url: https://example.org/\ntheme: test\n\
                    languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n  \
                    - code: fr\n    name: Français\n";

const ABOUT: &str = "---\ntitle: \"About\"\ndescription: \"About the campaign.\"\nmenu_weight: 10\n---\n\n\
                     About the campaign.\n\n## Who we are {#who}\n\nA coalition.\n";

const LAUNCH: &str = "---\ntitle: \"Launch\"\ndate: 2024-03-01\nsummary: \"We launched.\"\nauthor: \"Ana\"\n\
                      image:\n  src: photo.jpg\n  alt: \"Children at a community centre\"\n\
                      tags: [launch]\nresolutions: []\n---\n\nThe campaign started in Geneva.\n\n\
                      ## At the Palais\n\nSpeeches.\n";

fn site() -> Test {
    Test::new()
        .file("site.yaml", SITE)
        .file("content/about.md", ABOUT)
}

/// The files of the site's folder, to show that a refused command wrote nothing.
fn files(t: &Test) -> Vec<(String, Vec<u8>)> {
    snapshot(t.root())
}

/// Runs `args` in `t`, expects it refused with exit code 1 and exactly `stderr`, and checks
/// that nothing in the site changed.
fn refused(t: Test, args: &[&str], stderr: &str) -> Test {
    let t = t.ready();
    let before = files(&t);
    let out = t.args(args).run().failure(1);
    assert_eq!(out.stderr, stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        files(&out.test),
        before,
        "a refused command wrote something"
    );
    out.then()
}

const NEXT: &str = "It is a draft: it stays out of the published site until you remove the line \
                    `draft: true` from it, once the translation is done. `rally serve` shows \
                    drafts, so you can preview it there.\n";

#[test]
fn a_page_translation_copies_the_words_and_records_the_version() {
    let out = site()
        .args(&["new", "page", "about", "--lang", "es"])
        .run()
        .success();
    assert_eq!(
        out.stdout,
        format!(
            "created content/about.es.md, a translation into Español (es) of content/about.md\n\
             Next: translate its title, description and text. {NEXT}"
        )
    );
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.test.read("content/about.es.md"),
        format!(
            "---\n\
             # Translation into Español (es) of content/about.md.\n\
             # Translate the values below and the text after the closing `---` line.\n\
             title: \"About\"\n\
             description: \"About the campaign.\"\n\
             # Every other key (menu_weight) comes from the original:\n\
             # write one here only to make it differ in this language.\n\
             # Remove the next line when the translation is done: until then it is not published.\n\
             draft: true\n\
             # The version of the original this translates: `rally check` says when the\n\
             # original changes (see docs/writing.md, \"Translating\").\n\
             translated_from: \"{}\"\n\
             ---\n\n\
             About the campaign.\n\n## Who we are {{#who}}\n\nA coalition.\n",
            version_hash(ABOUT)
        )
    );
    // A draft until the translator says it is done: not published, and check is content.
    let out = out.then().run().success().missing("es/about/");
    let out = out
        .then()
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning");
    // Translated and the draft line removed: published, with the menu weight inherited.
    let t = out.then();
    let done = t
        .read("content/about.es.md")
        .replace("title: \"About\"", "title: \"Acerca de\"")
        .replace("draft: true\n", "");
    t.file("content/about.es.md", &done)
        .run()
        .success()
        .page("es/about/", "<h1>Acerca de</h1>")
        .page("es/about/", "href=\"/es/about/\">Acerca de</a>");
}

#[test]
fn a_bundle_story_translation_goes_into_its_folder() {
    let out = site()
        .file("content/stories/launch/index.md", LAUNCH)
        .bytes(
            "content/stories/launch/photo.jpg",
            &crate::support::tiny_jpeg(),
        )
        .args(&["new", "story", "launch", "--lang", "fr"])
        .run()
        .success();
    assert_eq!(
        out.stdout,
        format!(
            "created content/stories/launch/index.fr.md, a translation into Français (fr) of \
             content/stories/launch/index.md\n\
             Next: translate its title, summary, author, image's alt text and text. {NEXT}"
        )
    );
    assert_eq!(
        out.test.read("content/stories/launch/index.fr.md"),
        format!(
            "---\n\
             # Translation into Français (fr) of content/stories/launch/index.md.\n\
             # Translate the values below and the text after the closing `---` line.\n\
             title: \"Launch\"\n\
             summary: \"We launched.\"\n\
             author: \"Ana\"\n\
             # Translate the image's `alt`; keep `src`, or name a picture made for this language.\n\
             image:\n  src: photo.jpg\n  alt: \"Children at a community centre\"\n\
             # Every other key (date, tags, resolutions) comes from the original:\n\
             # write one here only to make it differ in this language.\n\
             # Remove the next line when the translation is done: until then it is not published.\n\
             draft: true\n\
             # The version of the original this translates: `rally check` says when the\n\
             # original changes (see docs/writing.md, \"Translating\").\n\
             translated_from: \"{}\"\n\
             ---\n\n\
             The campaign started in Geneva.\n\n\
             ## At the Palais {{#at-the-palais}}\n\nSpeeches.\n",
            version_hash(LAUNCH)
        )
    );
    // The draft is previewed with --drafts, with the original's date and picture.
    out.then()
        .args(&["build", "--drafts"])
        .run()
        .success()
        .page("fr/stories/launch/", "<h1>Launch</h1>")
        .page("fr/stories/launch/", "src=\"/stories/launch/photo.jpg\"");
}

#[test]
fn the_name_may_be_a_title_or_a_path_and_every_kind_has_its_words() {
    let t = site()
        .simple_story("geneva-launch", "2024-03-01")
        .resolution(
            "nyd",
            "title: \"New York Declaration\"\nbody: \"UN General Assembly\"\nadopted: 2016-09-19\n\
             kind: declaration\nparagraphs:\n  - number: 33\n    summary: \"Detention of children is a last resort.\"",
            "Text.\n",
        )
        .partner(
            "unhcr",
            "name: \"UN Refugee Agency\"\nacronym: UNHCR\ntype: un-agency\nregion: global\n\
             description: \"Protects refugees.\"",
            "Text.\n",
        );
    let t = t
        .args(&["new", "story", "Geneva launch", "--lang", "es"])
        .run()
        .success()
        .then();
    assert!(t.path("content/stories/geneva-launch.es.md").is_file());
    let out = t
        .args(&[
            "new",
            "resolution",
            "content/resolutions/nyd.md",
            "--lang",
            "es",
        ])
        .run()
        .success();
    assert!(
        out.stdout
            .contains("Next: translate its title, body, paragraphs and text."),
        "{}",
        out.stdout
    );
    let text = out.test.read("content/resolutions/nyd.es.md");
    assert!(
        text.contains(
            "paragraphs:\n  - number: 33\n    summary: \"Detention of children is a last resort.\"\n"
        ) && text.contains("# Every other key (adopted, kind) comes from the original:\n"),
        "{text}"
    );
    let out = out
        .then()
        .args(&["new", "partner", "unhcr", "--lang", "es"])
        .run()
        .success();
    assert!(
        out.stdout
            .contains("Next: translate its name, acronym, description and text."),
        "{}",
        out.stdout
    );
    // From inside content/, paths are shown from there.
    let out = out
        .then()
        .in_folder("content")
        .args(&["new", "page", "about", "--lang", "fr"])
        .run()
        .success();
    assert!(
        out.stdout
            .starts_with("created about.fr.md, a translation into Français (fr) of about.md\n"),
        "{}",
        out.stdout
    );
    // Every draft builds.
    out.then().args(&["build", "--drafts"]).run().success();
}

#[test]
fn a_language_the_site_does_not_have_is_refused() {
    let t = refused(
        site(),
        &["new", "page", "about", "--lang", "de"],
        "error: `de` is not one of this site's languages\n \
         = help: this site's translations are in es (Español), fr (Français); to translate into \
         another language, add it to `languages:` in site.yaml (see docs/writing.md, \
         \"Translating\")\n\nerror: found 1 error\n",
    );
    let t = refused(
        t,
        &["new", "page", "about", "--lang", "ES"],
        "error: `ES` is not one of this site's languages\n \
         = help: language codes are written in lowercase: `--lang es`\n\nerror: found 1 error\n",
    );
    let t = refused(
        t,
        &["new", "page", "about", "--lang", "en"],
        "error: `en` is the site's default language, the one the originals are written in\n \
         = help: `--lang` names the language to translate into, one of this site's other \
         languages: es (Español), fr (Français). For example: `--lang es`\n\n\
         error: found 1 error\n",
    );
    // A site in one language.
    refused(
        t.file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntheme: test\n",
        ),
        &["new", "page", "about", "--lang", "es"],
        "error: `es` is not a language of this site: it is published in one language, `en`\n \
         = help: to translate into another language, add it to `languages:` in site.yaml (see \
         docs/writing.md, \"Translating\")\n\nerror: found 1 error\n",
    );
}

#[test]
fn a_missing_original_is_refused_with_the_closest_name() {
    let t = refused(
        site().file("content/stories/launch/index.md", LAUNCH),
        &["new", "story", "lanch", "--lang", "es"],
        "error: there is no story `lanch` to translate: content/stories/lanch.md does not exist\n \
         = help: did you mean `launch`? Name the story by its file name, without `.md`\n\n\
         error: found 1 error\n",
    );
    let t = refused(
        t,
        &["new", "resolution", "nyd", "--lang", "es"],
        "error: there is no resolution `nyd` to translate: content/resolutions/nyd.md does not \
         exist\n = help: content/resolutions/ has no resolution yet: write the original first \
         (`rally new resolution \"Title\"`)\n\nerror: found 1 error\n",
    );
    // A translation is not an original to translate from.
    refused(
        t.file("content/contact.es.md", "---\ntitle: Contacto\n---\n"),
        &["new", "page", "contact", "--lang", "fr"],
        "error: there is no page `contact` to translate: content/contact.md does not exist\n \
         = help: name the page by its file name in content/, without `.md`, e.g. `about`\n\n\
         error: found 1 error\n",
    );
}

#[test]
fn an_existing_translation_is_never_overwritten() {
    let t = site().file(
        "content/about.es.md",
        "---\ntitle: \"Acerca de\"\n---\nMío.\n",
    );
    let t = refused(
        t,
        &["new", "page", "about", "--lang", "es"],
        "error: content/about.es.md already exists: content/about.md has a translation into \
         Español (es)\n  --> content/about.es.md\n \
         = help: rally never overwrites a file: open content/about.es.md to continue \
         translating. `rally check` says whether it is behind content/about.md\n\n\
         error: found 1 error\n",
    );
    // A bundle's translation may also sit beside its folder.
    refused(
        t.file("content/stories/launch/index.md", LAUNCH).file(
            "content/stories/launch.fr.md",
            "---\ntitle: Lancement\n---\n",
        ),
        &["new", "story", "launch", "--lang", "fr"],
        "error: content/stories/launch.fr.md already exists: content/stories/launch/index.md \
         has a translation into Français (fr)\n  --> content/stories/launch.fr.md\n \
         = help: rally never overwrites a file: open content/stories/launch.fr.md to continue \
         translating. `rally check` says whether it is behind content/stories/launch/index.md\n\n\
         error: found 1 error\n",
    );
}

#[test]
fn a_partner_of_a_list_is_refused() {
    let t = refused(
        site().file(
            "content/partners.yaml",
            "- id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n",
        ),
        &["new", "partner", "unicef", "--lang", "es"],
        "error: the partner `unicef` is a row of content/partners.yaml, not a file of its own: \
         `rally new --lang` translates files\n  \
         ┌─ content/partners.yaml:1:7\n  │\n1 │ - id: unicef\n  │       ^^^^^^\n  │\n  \
         = help: a row of a list is translated in the list: add `translations:` to the row \
         with the name, acronym or description in each language (in a spreadsheet, a column \
         such as `description.es`); see docs/languages.md, \"Partners in a list\"\n\nerror: found 1 error\n",
    );
    let out = t
        .remove("content/partners.yaml")
        .file(
            "content/partners.csv",
            "id,name,type,region\nunicef,UNICEF,un-agency,global\n",
        )
        .args(&["new", "partner", "unicef", "--lang", "es"])
        .run()
        .failure(1)
        .stderr_has(&[
            "error: the partner `unicef` is a row of content/partners.csv",
            "content/partners.csv:2:1",
            "add `translations:` to the row",
        ]);
    assert!(!out.test.path("content/partners/unicef.es.md").exists());
}

/// A site with the Spanish translation of about.md made by `rally new`.
fn translated() -> Test {
    let t = site()
        .args(&["new", "page", "about", "--lang", "es"])
        .run()
        .success()
        .then();
    let done = t.read("content/about.es.md").replace("draft: true\n", "");
    t.file("content/about.es.md", &done)
}

/// The warning of `rally check` for content/about.es.md translated from `then`, with the
/// line number of its `translated_from`.
fn stale_warning(then: &str, line: usize, now: &str) -> String {
    let pad = " ".repeat(line.to_string().len());
    format!(
        "warning: content/about.es.md was translated from an earlier version of content/about.md\n\
         {pad} ┌─ content/about.es.md:{line}:19\n\
         {pad} │\n\
         {line} │ translated_from: \"{then}\"\n\
         {pad} │                   ^^^^^^^^^^^^^^^^ the version it was translated from\n\
         {pad} │\n\
         {pad} = help: content/about.md has changed since: bring the translation up to date with \
         it, then change this line to\n\
         {pad}   translated_from: \"{now}\"\n\
         {pad}   so that rally knows the translation is up to date again\n\n"
    )
}

#[test]
fn editing_the_original_makes_its_translation_stale_in_check_not_in_build() {
    let t = translated();
    let t = t
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning")
        .then();
    let edited = format!("{ABOUT}\nA new paragraph.\n");
    let then = version_hash(ABOUT);
    let now = version_hash(&edited);
    let out = t
        .file("content/about.md", &edited)
        .args(&["check"])
        .run()
        .success();
    assert_eq!(
        out.stderr,
        format!(
            "{}checked 2 content files: 1 warning (the site builds)\n",
            stale_warning(&then, 11, &now)
        )
    );
    // The build publishes the translation as it is, without a word about it.
    let out = out.then().run().success().exists("es/about/");
    assert!(
        out.stderr.starts_with("built ") && !out.stderr.contains("warning"),
        "{}",
        out.stderr
    );
    // The line the help gives makes it current again.
    let t = out.then();
    let fixed = t.read("content/about.es.md").replace(&then, &now);
    t.file("content/about.es.md", &fixed)
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning");
}

#[test]
fn check_json_lists_stale_translations() {
    let t = translated();
    let out = t
        .file("content/about.md", &ABOUT.replace("coalition", "network"))
        .args(&["check", "--format", "json"])
        .run()
        .success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["warnings"], 1, "{}", out.stdout);
    assert_eq!(
        v["problems"][0]["message"],
        "content/about.es.md was translated from an earlier version of content/about.md"
    );
}

#[test]
fn a_translation_without_translated_from_gets_the_line_to_add() {
    let out = site()
        .file(
            "content/about.es.md",
            "---\ntitle: \"Acerca de\"\n---\nTexto.\n",
        )
        .args(&["check"])
        .run()
        .success();
    assert_eq!(
        out.stderr,
        format!(
            "warning: rally cannot tell whether content/about.es.md is up to date with \
             content/about.md\n  ┌─ content/about.es.md:3:1\n  │\n3 │ ---\n  │ ^^^ no \
             `translated_from` line above\n  │\n  = help: the translation does not say which \
             version of content/about.md it translates. If it matches content/about.md as it is \
             now, add this line to its front matter:\n    translated_from: \"{}\"\n    then \
             `rally check` says when content/about.md changes\n\n\
             checked 2 content files: 1 warning (the site builds)\n",
            version_hash(ABOUT)
        )
    );
}

#[test]
fn a_page_in_one_language_only_is_fine() {
    site()
        .file(
            "content/contacto.es.md",
            "---\ntitle: \"Contacto\"\n---\nEscríbanos.\n",
        )
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning");
}

#[test]
fn a_crlf_original_hashes_as_its_lf_text() {
    let crlf = ABOUT.replace('\n', "\r\n");
    let out = site()
        .file("content/about.md", &crlf)
        .args(&["new", "page", "about", "--lang", "es"])
        .run()
        .success();
    assert_eq!(version_hash(&crlf), version_hash(ABOUT));
    let text = out.test.read("content/about.es.md");
    assert!(
        text.contains(&format!("translated_from: \"{}\"\n", version_hash(ABOUT))),
        "{text}"
    );
    // The translation is written with plain line ends, whatever the original's.
    assert!(!text.contains('\r'), "{text:?}");
    let t = out.then();
    let done = t.read("content/about.es.md").replace("draft: true\n", "");
    let t = t
        .file("content/about.es.md", &done)
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning")
        .then();
    // Saving the original again with other line ends changes nothing for rally.
    t.file("content/about.md", ABOUT)
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("warning");
}

#[test]
fn hostile_language_codes_and_names_write_nothing() {
    let mut t = site().file("content/stories/launch/index.md", LAUNCH);
    for code in [
        "../es",
        "es/../../x",
        "/tmp/x",
        "..",
        "es/",
        "e s",
        "ES",
        "",
        "es\u{1b}[31m",
        "es.md",
    ] {
        t = t.ready();
        let before = files(&t);
        let out: Outcome = t
            .args(&["new", "story", "launch", "--lang", code])
            .run()
            .failure(1);
        assert!(
            out.stderr.contains("is not one of this site's languages"),
            "{code:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
        assert_eq!(files(&out.test), before, "{code:?} wrote something");
        t = out.then();
    }
    for name in ["../../site", "../..", "/", "content/../../x"] {
        t = t.ready();
        let before = files(&t);
        let out = t
            .args(&["new", "page", name, "--lang", "es"])
            .run()
            .failure(1);
        assert_eq!(files(&out.test), before, "{name:?} wrote something");
        t = out.then();
    }
}

#[test]
fn advice_about_inherited_keys_is_given_once_on_the_original() {
    // The story has no tags: said of the original only. Its translation, not yet translated,
    // has the same title in another language: not a duplicate.
    let out = site()
        .story(
            "launch",
            "title: \"Launch\"\ndate: 2024-03-01\nsummary: \"We launched.\"",
            "Text.\n",
        )
        .args(&["new", "story", "launch", "--lang", "es"])
        .run()
        .success()
        .then()
        .args(&["check"])
        .run()
        .success()
        .stderr_has(&[
            "warning: this story has no tags",
            "content/stories/launch.md:2:1",
            "checked 3 content files: 1 warning (the site builds)",
        ])
        .stderr_lacks("same title");
    assert!(!out.stderr.contains("launch.es.md"), "{}", out.stderr);
}
