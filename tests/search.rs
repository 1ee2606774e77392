//! Search (the search issue): each language's Pagefind index holds the entries that language
//! publishes and never a draft or a future story; it is cached, so a build with nothing
//! changed indexes nothing; a theme without a search page gets no index; hostile titles
//! stay text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use crate::support::{Test, snapshot};

const LANGUAGES: &str =
    "languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n";

/// A bilingual site: two published stories (one translated), a draft story and a story dated
/// in the future (each with a word no other text has), a resolution with a symbol, a draft
/// resolution, a partner with an acronym (translated), a page.
fn bilingual() -> Test {
    let t = Test::new().builtin_theme();
    let cfg = t.read("site.yaml") + LANGUAGES;
    t.file("site.yaml", &cfg)
        .story(
            "launch",
            "title: \"Campaign launch\"\ndate: 2012-03-21\nsummary: \"The campaign starts in Geneva.\"",
            "Children belong in schools, not in cells.\n",
        )
        .file(
            "content/stories/launch.es.md",
            "---\ntitle: \"Lanzamiento de la campaña\"\nsummary: \"La campaña empieza en Ginebra.\"\n---\nLos niños pertenecen a las escuelas.\n",
        )
        .story(
            "dgd",
            "title: \"Day of General Discussion\"\ndate: 2012-09-28\nsummary: \"Geneva again.\"",
            "A day of talks.\n",
        )
        .story(
            "secret",
            "title: \"Unfinished draft\"\ndate: 2013-01-01\nsummary: \"Not ready.\"\ndraft: true",
            "Xylophonic plans.\n",
        )
        .story(
            "tomorrow",
            "title: \"A story for later\"\ndate: 2999-01-01\nsummary: \"Not yet.\"",
            "Quokkalike news.\n",
        )
        .resolution(
            "a-res-69-187",
            "title: \"Migrant children and adolescents\"\nsymbol: \"A/RES/69/187\"\nbody: \"UN General Assembly\"\nadopted: 2014-12-18\nkind: resolution",
            "Text.\n",
        )
        .resolution(
            "pending",
            "title: \"Pending text\"\nbody: \"UN General Assembly\"\nadopted: 2015\nkind: resolution\ndraft: true",
            "Zanzibarish clause.\n",
        )
        .partner(
            "unhcr",
            "name: \"UN Refugee Agency\"\nacronym: UNHCR\ntype: un-agency\nregion: global\ncountry: CH\ntranslations:\n  es:\n    name: \"Agencia de la ONU para los Refugiados\"\n    acronym: ACNUR",
            "Protects refugees.\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\nAbout us.\n")
}

/// Pagefind's files are gzipped, behind a `pagefind_dcd` marker.
fn unpack(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzipped Pagefind file");
    out.strip_prefix(b"pagefind_dcd")
        .expect("Pagefind's marker")
        .to_vec()
}

/// Each language's indexed pages: language → (address → the page's fragment, as JSON).
fn indexed(public: &Path) -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
    let mut out: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    let dir = public.join("pagefind/fragment");
    for e in fs::read_dir(&dir).expect("fragments") {
        let path = e.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let lang = name.split('_').next().expect("language").to_string();
        let fragment: serde_json::Value =
            serde_json::from_slice(&unpack(&fs::read(&path).expect("read"))).expect("JSON");
        let url = fragment["url"].as_str().expect("url").to_string();
        out.entry(lang).or_default().insert(url, fragment);
    }
    out
}

fn urls(map: &BTreeMap<String, serde_json::Value>) -> BTreeSet<&str> {
    map.keys().map(String::as_str).collect()
}

#[test]
fn each_language_indexes_what_it_publishes_and_never_a_draft_or_a_future_story() {
    let out = bilingual().run().success();
    let public = out.test.path("public");
    let index = indexed(&public);
    assert_eq!(
        index.keys().map(String::as_str).collect::<Vec<_>>(),
        ["en", "es"]
    );
    assert_eq!(
        urls(&index["en"]),
        BTreeSet::from([
            "/about/",
            "/partners/unhcr/",
            "/resolutions/a-res-69-187/",
            "/stories/dgd/",
            "/stories/launch/",
        ])
    );
    // The Spanish site's own pages (its stories are its translations), and the English pages
    // its lists lead to where it has no translation.
    assert_eq!(
        urls(&index["es"]),
        BTreeSet::from([
            "/about/",
            "/es/partners/unhcr/",
            "/es/stories/launch/",
            "/resolutions/a-res-69-187/",
        ])
    );
    let es_launch = &index["es"]["/es/stories/launch/"];
    assert_eq!(es_launch["meta"]["title"], "Lanzamiento de la campaña");
    assert!(es_launch["content"].as_str().unwrap().contains("escuelas"));
    assert_eq!(
        index["es"]["/es/partners/unhcr/"]["meta"]["kind"]
            .as_str()
            .map(|k| !k.is_empty()),
        Some(true)
    );
    // No word of a draft or a future story anywhere in the bundle's text.
    for (lang, pages) in &index {
        for (url, f) in pages {
            let text = f.to_string();
            for word in [
                "Xylophonic",
                "Quokkalike",
                "Zanzibarish",
                "Unfinished draft",
            ] {
                assert!(!text.contains(word), "{lang} {url} holds `{word}`");
            }
        }
    }
    // The entry file names both languages' indexes with their page counts.
    let entry: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("pagefind/pagefind-entry.json")).unwrap())
            .expect("entry JSON");
    assert_eq!(entry["languages"]["en"]["page_count"], 5);
    assert_eq!(entry["languages"]["es"]["page_count"], 4);
    for file in [
        "pagefind.js",
        "pagefind-worker.js",
        "wasm.en.pagefind",
        "wasm.es.pagefind",
    ] {
        assert!(public.join("pagefind").join(file).is_file(), "{file}");
    }
    // Pagefind's ready-made interfaces are not published: the theme has its own.
    assert!(!public.join("pagefind/pagefind-ui.js").exists());
    // Names: the symbol and the acronyms (the Spanish one on the Spanish site).
    let names = |lang: &str| -> serde_json::Value {
        serde_json::from_slice(
            &fs::read(public.join(format!("pagefind/names.{lang}.json"))).unwrap(),
        )
        .expect("names JSON")
    };
    assert_eq!(
        names("en")["ares69187"][0]["url"],
        "/resolutions/a-res-69-187/"
    );
    assert_eq!(names("en")["unhcr"][0]["url"], "/partners/unhcr/");
    assert_eq!(names("es")["acnur"][0]["url"], "/es/partners/unhcr/");
    assert!(names("es").get("unhcr").is_none());
}

#[test]
fn the_search_page_and_the_header_box_work_without_javascript() {
    bilingual()
        .run()
        .success()
        .page(
            "search/",
            "<form class=\"search-form\" role=\"search\" action=\"/search/\" method=\"get\"",
        )
        .page("search/", "<meta name=\"robots\" content=\"noindex\">")
        .page("search/", "<a href=\"/stories/\">")
        .page("search/", "<a href=\"/resolutions/\">")
        .page("search/", "<a href=\"/partners/\">")
        .page("es/search/", "<a href=\"/es/stories/\">")
        .page("es/search/", "<html lang=\"es\"")
        .page(
            "stories/launch/",
            "<form class=\"header-search\" role=\"search\" action=\"/search/\" method=\"get\">",
        )
        .page("es/stories/launch/", "action=\"/es/search/\"")
        // The search page has its own box, not a second one in the header.
        .page_lacks("search/", "header-search");
}

#[test]
fn a_theme_without_a_search_page_gets_no_index() {
    Test::new()
        .simple_story("first", "2024-01-01")
        .run()
        .success()
        .missing("pagefind/pagefind.js")
        .missing("search/index.html");
}

#[test]
fn rally_check_makes_no_index() {
    let t = bilingual().own_cache().args(&["check"]).run().success();
    assert!(!t.test.path(".rally-cache/search").exists());
}

/// The search folders of a site's own cache, by name.
fn cached(t: &Test) -> BTreeSet<String> {
    fs::read_dir(t.path(".rally-cache/search"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_build_indexes_nothing_and_an_edit_indexes_its_language_again() {
    let first = bilingual().own_cache().run().success();
    let before = snapshot(&first.test.path("public"));
    let folders = cached(&first.test);
    assert_eq!(folders.len(), 2, "{folders:?}");
    // Nothing changed: the same folders, a byte-identical site.
    let second = first.then().run().success();
    assert_eq!(cached(&second.test), folders);
    assert_eq!(snapshot(&second.test.path("public")), before);
    // A Spanish edit: the Spanish index is made again, the English one is kept (the old
    // Spanish one stays until it has gone unused for an hour: another build may publish it).
    let t = second.then().file(
        "content/stories/launch.es.md",
        "---\ntitle: \"Lanzamiento de la campaña\"\nsummary: \"La campaña empieza en Ginebra.\"\n---\nLos niños pertenecen a las aulas.\n",
    );
    let third = t.run().success();
    let after = cached(&third.test);
    assert_eq!(after.len(), 3, "{after:?}");
    let en: Vec<_> = folders.iter().filter(|f| f.starts_with("en-")).collect();
    assert!(
        after.contains(en[0]),
        "the English index was made again: {after:?}"
    );
    assert!(
        after
            .iter()
            .any(|f| f.starts_with("es-") && !folders.contains(f))
    );
    let index = indexed(&third.test.path("public"));
    assert!(
        index["es"]["/es/stories/launch/"]["content"]
            .as_str()
            .unwrap()
            .contains("aulas")
    );
}

#[test]
fn hostile_titles_and_names_stay_text_in_the_index() {
    let title = "Breaking \"news\" </script><script>alert(1)</script> & <b>more</b>";
    let t = Test::new()
        .builtin_theme()
        .story(
            "bad",
            &format!(
                "title: '{title}'\ndate: 2020-01-01\nsummary: \"<img src=x onerror=alert(1)>\""
            ),
            "Text with <script>alert(2)</script> in it.\n",
        )
        .partner(
            "odd",
            "name: \"Odd \\\"partner\\\"\"\nacronym: \"<X>&\"\ntype: ngo\nregion: global",
            "Text.\n",
        );
    let out = t.run().success();
    let public = out.test.path("public");
    let index = indexed(&public);
    let story = &index["en"]["/stories/bad/"];
    assert_eq!(story["meta"]["title"], title);
    // The index holds text: the title and summary as written (Pagefind escapes `<` and `>`
    // when it makes an excerpt, and the search page keeps only text and marks of it), the
    // body as rally rendered it (its script removed).
    let content = story["content"].as_str().unwrap();
    assert!(content.contains(title), "{content}");
    assert!(
        content.contains("<img src=x onerror=alert(1)>"),
        "{content}"
    );
    assert!(!content.contains("alert(2)"), "{content}");
    let names: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("pagefind/names.en.json")).unwrap())
            .expect("names JSON");
    assert_eq!(names["x"][0]["title"], "Odd \"partner\"");
}

#[test]
fn a_label_the_index_shows_makes_it_again_and_other_strings_do_not() {
    let first = bilingual().own_cache().run().success();
    let before = cached(&first.test);
    // A string no search document holds: the same indexes.
    let second = first
        .then()
        .file("strings/en.ftl", "footer-contact = Write to us:\n")
        .run()
        .success();
    assert_eq!(cached(&second.test), before);
    // What a story result is called: the English index is made again, with the new label.
    let third = second
        .then()
        .file(
            "strings/en.ftl",
            "footer-contact = Write to us:\ncard-story = Campaign story\n",
        )
        .run()
        .success();
    let after = cached(&third.test);
    assert!(
        after
            .iter()
            .any(|f| f.starts_with("en-") && !before.contains(f)),
        "{after:?}"
    );
    assert!(
        before
            .iter()
            .filter(|f| f.starts_with("es-"))
            .all(|f| after.contains(f))
    );
    let index = indexed(&third.test.path("public"));
    assert_eq!(
        index["en"]["/stories/launch/"]["meta"]["kind"],
        "Campaign story"
    );
}

#[test]
fn a_published_index_file_changed_in_place_is_made_again() {
    let first = bilingual().own_cache().run().success();
    let public = first.test.path("public");
    let script = public.join("pagefind/pagefind.js");
    let good = fs::read(&script).expect("pagefind.js");
    // A tool that edits the published site in place (the file may be a link to the cache).
    let mut bad = good.clone();
    bad.extend_from_slice(b"\nalert('changed');\n");
    fs::write(&script, &bad).expect("tamper");
    let second = first.then().run().success();
    let again = fs::read(second.test.path("public/pagefind/pagefind.js")).expect("pagefind.js");
    assert_eq!(again, good, "the changed file was published again");
    assert!(!second.stderr.contains("search index"), "{}", second.stderr);
}
