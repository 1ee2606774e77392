//! Incremental rebuilds (what `rally serve` does on every edit) must produce exactly what a
//! full build of the same files produces. Random edit sequences against from-scratch builds.

#[path = "../benches/sitegen.rs"]
mod sitegen;

use std::sync::Arc;

use rally::date::Date;
use rally::link::BuildOptions;
use rally::load::Sources;
use rally::render::{Output, OutputFile};
use rally::{Memo, build, build_with};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        today: Date::parse("2026-01-01").expect("date"),
        cards: Default::default(),
        search: Default::default(),
        ..Default::default()
    }
}

fn load(stories: usize) -> (tempfile::TempDir, Sources) {
    let dir = tempfile::tempdir().expect("tmp");
    sitegen::generate_sized(dir.path(), stories, 40, 60).expect("generate");
    let (sources, diags) = rally::load::load(dir.path());
    (
        dir,
        sources.unwrap_or_else(|| panic!("{}", diags.render_plain())),
    )
}

/// Moves a story to the top of every list (a new date) and retitles it "Newest …".
fn make_newest(sources: &mut Sources, path: &str) {
    let text = sources.content_text(path).expect("story").to_string();
    let i = text.find("date: ").expect("date");
    let text = format!("{}date: 2025-12-31{}", &text[..i], &text[i + 16..]);
    sources.put_content(
        path,
        Arc::from(text.replacen("title: \"", "title: \"Newest ", 1)),
    );
}

/// The text of a page of `out`.
fn page_text(out: &Output, path: &str) -> String {
    match out.get(path) {
        Some(OutputFile::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => panic!("{path} is not a page of the output"),
    }
}

/// A memoized build that must succeed.
fn built(sources: &Sources, memo: &mut Memo) -> Output {
    let (out, diags) = build_with(sources, &options(), memo);
    out.unwrap_or_else(|| panic!("{}", diags.render_plain()))
}

/// Ten stories with the theme's template `path` replaced by `text`, built once into a memo.
fn built_with_template(path: &str, text: &str) -> (tempfile::TempDir, Sources, Memo) {
    let (dir, mut sources) = load(10);
    sources.put_template(path, Arc::from(text));
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    (dir, sources, memo)
}

/// Every file of a full build of `sources` is in `out`, byte for byte.
fn assert_same_as_full_build(out: &Output, sources: &Sources) {
    let (full, diags) = build(sources, &options());
    let full = full.unwrap_or_else(|| panic!("{}", diags.render_plain()));
    for (path, file) in &full {
        assert!(
            out.get(path) == Some(file),
            "{path} differs from a full build"
        );
    }
}

/// One random edit of the kinds writers and designers make.
fn edit(
    r: &mut Rng,
    s: &mut Sources,
    step: usize,
    pending: &mut Option<(String, Option<String>)>,
) -> String {
    // A fix left from the previous step's deliberate error goes in first: the file's good
    // text, or its removal.
    if let Some((p, good)) = pending.take() {
        match good {
            Some(good) => s.put_content(&p, Arc::from(good)),
            None => {
                s.remove_content(&p);
            }
        }
        return format!("fix {p}");
    }
    let stories: Vec<String> = s
        .content
        .iter()
        .filter(|f| f.path.starts_with("content/stories/"))
        .map(|f| f.path.clone())
        .collect();
    let pick = |r: &mut Rng| stories[r.below(stories.len())].clone();
    let text = |s: &Sources, p: &str| s.content_text(p).map(|t| t.to_string()).unwrap_or_default();
    match r.below(13) {
        0 => {
            let p = pick(r);
            let t = text(s, &p).replacen("title: \"", &format!("title: \"Edited {step} "), 1);
            s.put_content(&p, Arc::from(t));
            format!("retitle {p}")
        }
        1 => {
            let p = pick(r);
            let t = text(s, &p) + &format!("\nA new paragraph {step}.\n");
            s.put_content(&p, Arc::from(t));
            format!("body {p}")
        }
        2 => {
            let p = pick(r);
            let year = 2014 + r.below(11);
            let t = text(s, &p);
            let t = match t.find("date: ") {
                Some(i) => format!("{}date: {year}-06-15{}", &t[..i], &t[i + 16..]),
                None => t,
            };
            s.put_content(&p, Arc::from(t));
            format!("redate {p}")
        }
        3 => {
            let p = pick(r);
            let t = text(s, &p).replacen("tags: [", &format!("tags: [fresh-{}, ", r.below(3)), 1);
            s.put_content(&p, Arc::from(t));
            format!("tag {p}")
        }
        4 => {
            let p = pick(r);
            let t = text(s, &p).replacen(
                "resolutions: [",
                &format!("resolutions: [res-{}, ", r.below(40)),
                1,
            );
            s.put_content(&p, Arc::from(t));
            format!("cite {p}")
        }
        5 if stories.len() > 5 => {
            let p = pick(r);
            // Only remove stories nobody links to, so the site stays valid.
            let id = p
                .trim_start_matches("content/stories/")
                .trim_end_matches(".md")
                .to_string();
            // A story with translations stays too: they would lose the keys they inherit.
            let linked = s.content.iter().any(|f| {
                f.path != p
                    && (f.text.contains(&format!("@/stories/{id}.md"))
                        || f.path.starts_with(&format!("content/stories/{id}.")))
            });
            if !linked {
                s.remove_content(&p);
            }
            format!("remove {p} (linked: {linked})")
        }
        6 => {
            let p = format!("content/stories/new-{step}.md");
            let t = format!(
                "---\ntitle: \"New {step}\"\ndate: 2020-0{}-01\nsummary: \"Fresh.\"\ntags: [tag-{}]\nresolutions: [res-{}]\npartners: [partner-{}]\n---\n\nBody with [a link](@/resolutions/res-1.md#key-points).\n",
                1 + r.below(9),
                r.below(40),
                r.below(40),
                r.below(60)
            );
            s.put_content(&p, Arc::from(t));
            format!("add {p}")
        }
        7 => {
            let i = r.below(40);
            let p = format!("content/resolutions/res-{i}.md");
            let t = text(s, &p).replacen("title: \"", &format!("title: \"Changed {step} "), 1);
            s.put_content(&p, Arc::from(t));
            format!("retitle {p}")
        }
        8 => {
            let p = "content/partners.yaml";
            let t = text(s, p).replacen(
                "name: \"Partner organisation",
                &format!("name: \"Renamed {step}"),
                1,
            );
            s.put_content(p, Arc::from(t));
            "rename a partner".into()
        }
        9 => {
            let name = [
                "theme/story.html",
                "theme/base.html",
                "theme/resolution.html",
                "theme/cards/story.html",
                "theme/partials/footer.html",
                "theme/partials/nav.html",
            ][r.below(6)];
            let Some(old) = s
                .templates
                .iter()
                .find(|t| t.path == name)
                .map(|t| t.text.to_string())
            else {
                return format!("no template {name}");
            };
            // Child templates may only hold blocks at the top level: edit inside the last one.
            let mark = format!("<!-- edit {step} -->");
            let new = match old.rfind("{% endblock") {
                Some(i) => format!("{}{mark}{}", &old[..i], &old[i..]),
                None => format!("{old}\n{mark}"),
            };
            s.put_template(name, Arc::from(new));
            format!("template {name}")
        }
        10 => {
            let p = "content/about.md";
            let t = text(s, p).replacen(
                "About the campaign.",
                &format!("About the campaign, take {step}."),
                1,
            );
            s.put_content(p, Arc::from(t));
            "edit about page".into()
        }
        11 => {
            // Rename a heading that other pages link to: their anchors break (an error in
            // both builds, checked by the caller), and the next build puts it back.
            let p = format!("content/resolutions/res-{}.md", r.below(5));
            let good = text(s, &p);
            s.put_content(
                &p,
                Arc::from(good.replacen("## Key points", "## Key point", 1)),
            );
            let (out, diags) = build(s, &options());
            assert!(
                out.is_none() && diags.render_plain().contains("#key-points"),
                "a renamed heading must break the anchors to it"
            );
            *pending = Some((p.clone(), Some(good)));
            format!("rename heading of {p}")
        }
        _ => {
            // An error, then its fix: the memo must not keep anything from the failed build.
            let p = pick(r);
            let good = text(s, &p);
            s.put_content(&p, Arc::from(good.replacen("summary:", "sumary:", 1)));
            let (out, diags) = build(s, &options());
            assert!(
                out.is_none() && diags.has_errors(),
                "broken front matter must fail"
            );
            s.put_content(&p, Arc::from(good));
            format!("break and fix {p}")
        }
    }
}

#[test]
fn random_edit_sequences_equal_full_builds() {
    let (_dir, mut sources) = load(60);
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let mut pending = None;
    let mut compared = 0;
    for step in 0..120 {
        let what = edit(&mut r, &mut sources, step, &mut pending);
        let (inc, inc_diags) = build_with(&sources, &options(), &mut memo);
        let (full, full_diags) = build(&sources, &options());
        assert_eq!(
            inc_diags.render_plain(),
            full_diags.render_plain(),
            "step {step} ({what}): problems differ"
        );
        let (inc, full) = match (inc, full) {
            (Some(a), Some(b)) => (a, b),
            (None, None) => continue,
            _ => panic!("step {step} ({what}): one build failed, the other did not"),
        };
        compared += 1;
        let inc_keys: Vec<&str> = inc.keys().map(|k| &**k).collect();
        let full_keys: Vec<&str> = full.keys().map(|k| &**k).collect();
        assert_eq!(inc_keys, full_keys, "step {step} ({what}): different files");
        for (path, file) in &full {
            assert!(
                inc.get(path) == Some(file),
                "step {step} ({what}): {path} differs from a full build"
            );
        }
    }
    // Only steps that leave a deliberate error may skip the comparison of outputs.
    assert!(compared >= 100, "only {compared} of 120 steps built a site");
}

/// The languages of the multilingual site: English at the root, Spanish and Arabic (right to
/// left) under /es/ and /ar/.
const LANGUAGES: &str = "languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n  - code: ar\n    name: العربية\n";

/// The path of the translation of `original` into `code`: `a.md` → `a.es.md`,
/// `b/index.md` → `b/index.es.md`.
fn translation_path(original: &str, code: &str) -> String {
    format!("{}.{code}.md", original.trim_end_matches(".md"))
}

/// Sets the front-matter key `key` of `text` to `value` (replacing its line, or adding one
/// after the opening `---`).
fn set_key(text: &str, key: &str, value: &str) -> String {
    let end = text[4..].find("\n---").map_or(text.len(), |i| i + 4);
    let line = format!("{key}: {value}\n");
    match text[..end].find(&format!("\n{key}:")) {
        Some(i) => {
            let eol = text[i + 1..]
                .find('\n')
                .map_or(text.len(), |j| i + 1 + j + 1);
            format!("{}{line}{}", &text[..i + 1], &text[eol..])
        }
        None => format!("---\n{line}{}", &text[4..]),
    }
}

/// Removes the front-matter key `key`'s line from `text`, if it has one.
fn remove_key(text: &str, key: &str) -> String {
    let end = text[4..].find("\n---").map_or(text.len(), |i| i + 4);
    match text[..end].find(&format!("\n{key}:")) {
        Some(i) => {
            let eol = text[i + 1..]
                .find('\n')
                .map_or(text.len(), |j| i + 1 + j + 1);
            format!("{}{}", &text[..i + 1], &text[eol..])
        }
        None => text.to_string(),
    }
}

/// A translation of `original` (a story, resolution or page) made at `step`: it sets its own
/// title and maybe a summary and tags, and links to another story and to a heading.
fn translation_text(r: &mut Rng, s: &Sources, original: &str, code: &str, step: usize) -> String {
    let stories = story_originals(s);
    if original.starts_with("content/resolutions/") {
        return format!(
            "---\ntitle: \"[{code}] Resolución {step}\"\n---\n\n## Key points\n\nTexto {step} en {code}.\n"
        );
    }
    if !original.starts_with("content/stories/") {
        return format!(
            "---\ntitle: \"[{code}] Página {step}\"\n---\n\nTexto de la página {step}.\n"
        );
    }
    let mut meta = format!("title: \"[{code}] Historia {step}\"\n");
    if r.below(2) == 0 {
        meta += &format!("summary: \"Resumen {step}.\"\n");
    }
    if r.below(3) == 0 {
        meta += &format!("tags: [tag-{}, propia-{}]\n", r.below(40), r.below(3));
    }
    let other = &stories[r.below(stories.len())];
    format!(
        "---\n{meta}---\n\nTexto {step} con [otra historia](@/{}) y [una resolución](@/resolutions/res-{}.md#key-points).\n\n## Sección {step}\n\nMás texto.\n",
        other.trim_start_matches("content/"),
        r.below(40)
    )
}

/// The stories in the default language (not translations).
fn story_originals(s: &Sources) -> Vec<String> {
    s.content
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("content/stories/") && p.ends_with(".md"))
        .filter(|p| rally::content::translations::split_code(p).is_none())
        .map(str::to_string)
        .collect()
}

/// The translation files of the site.
fn translations(s: &Sources) -> Vec<String> {
    s.content
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| rally::content::translations::split_code(p).is_some())
        .map(str::to_string)
        .collect()
}

/// `stories` stories (and a bundle story), 40 resolutions, 60 partners, in English, Spanish
/// and Arabic: a third of the stories in Spanish, a quarter in Arabic, some resolutions and
/// the about page in Spanish.
fn load_multilingual(stories: usize) -> (tempfile::TempDir, Sources) {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    sitegen::generate_sized(root, stories, 40, 60).expect("generate");
    let config = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    std::fs::write(root.join("site.yaml"), config + LANGUAGES).expect("site.yaml");
    std::fs::create_dir_all(root.join("content/stories/bundle-a")).expect("bundle");
    std::fs::write(
        root.join("content/stories/bundle-a/index.md"),
        "---\ntitle: \"A bundle\"\ndate: 2024-03-01\nsummary: \"In a folder.\"\ntags: [tag-1]\n---\n\nA bundle story. [Resolution 2](@/resolutions/res-2.md#key-points).\n",
    )
    .expect("bundle");
    let (sources, diags) = rally::load::load(root);
    let mut sources = sources.unwrap_or_else(|| panic!("{}", diags.render_plain()));
    let mut r = Rng(0x7a11_5eed_0000_0042);
    let mut originals = story_originals(&sources);
    originals.sort();
    let mut files = Vec::new();
    for (i, o) in originals.iter().enumerate() {
        if i % 3 == 0 {
            files.push((o.clone(), "es"));
        }
        if i % 4 == 1 {
            files.push((o.clone(), "ar"));
        }
    }
    for i in [0, 1, 2] {
        files.push((format!("content/resolutions/res-{i}.md"), "es"));
    }
    files.push(("content/resolutions/res-1.md".into(), "ar"));
    files.push(("content/about.md".into(), "es"));
    for (n, (o, code)) in files.into_iter().enumerate() {
        let t = translation_text(&mut r, &sources, &o, code, n);
        // Written to disk as well, for the tests that serve the folder.
        let p = translation_path(&o, code);
        std::fs::write(root.join(&p), &t).expect("translation");
        sources.put_content(&p, Arc::from(t));
    }
    (dir, sources)
}

/// One random edit of translations, or of the originals they inherit from.
fn edit_translation(
    r: &mut Rng,
    s: &mut Sources,
    step: usize,
    pending: &mut Option<(String, Option<String>)>,
) -> String {
    let text = |s: &Sources, p: &str| s.content_text(p).map(|t| t.to_string()).unwrap_or_default();
    let all = translations(s);
    let pick_translation = |r: &mut Rng| all[r.below(all.len())].clone();
    let code = ["es", "ar"][r.below(2)];
    match r.below(12) {
        0 | 1 => {
            // A new translation of a story, a resolution, or the about page.
            let original = match r.below(5) {
                0 => format!("content/resolutions/res-{}.md", r.below(40)),
                1 => "content/about.md".to_string(),
                _ => {
                    let stories = story_originals(s);
                    stories[r.below(stories.len())].clone()
                }
            };
            let p = translation_path(&original, code);
            let t = translation_text(r, s, &original, code, step);
            s.put_content(&p, Arc::from(t));
            format!("translate {p}")
        }
        _ if all.is_empty() => "no translation to edit".into(),
        2 => {
            let p = pick_translation(r);
            let t = set_key(&text(s, &p), "title", &format!("\"Retitulado {step}\""));
            s.put_content(&p, Arc::from(t));
            format!("retitle {p}")
        }
        3 => {
            let p = pick_translation(r);
            let t = text(s, &p) + &format!("\nUn párrafo nuevo {step}.\n");
            s.put_content(&p, Arc::from(t));
            format!("body {p}")
        }
        4 => {
            // A key that overrides the original's.
            let p = pick_translation(r);
            if !p.starts_with("content/stories/") {
                let t = set_key(&text(s, &p), "title", &format!("\"Otro {step}\""));
                s.put_content(&p, Arc::from(t));
                return format!("retitle {p}");
            }
            let (key, value) = match r.below(3) {
                0 => (
                    "date",
                    format!("20{}-0{}-15", 15 + r.below(10), 1 + r.below(9)),
                ),
                1 => (
                    "tags",
                    format!("[tag-{}, propia-{}]", r.below(40), r.below(3)),
                ),
                _ => ("summary", format!("\"Resumen propio {step}.\"")),
            };
            let t = set_key(&text(s, &p), key, &value);
            s.put_content(&p, Arc::from(t));
            format!("override {key} in {p}")
        }
        5 => {
            // The key is the original's again.
            let p = pick_translation(r);
            let key = ["date", "tags", "summary"][r.below(3)];
            let t = remove_key(&text(s, &p), key);
            s.put_content(&p, Arc::from(t));
            format!("inherit {key} in {p}")
        }
        6 => {
            let p = pick_translation(r);
            s.remove_content(&p);
            format!("remove {p}")
        }
        7 => {
            // An original with translations changes what they inherit.
            let t = pick_translation(r);
            let Some((p, _)) = rally::content::translations::split_code(&t) else {
                unreachable!()
            };
            if !p.starts_with("content/stories/") || s.content_text(&p).is_none() {
                return format!("no story original for {t}");
            }
            let (key, value) = match r.below(3) {
                0 => (
                    "date",
                    format!("20{}-0{}-20", 15 + r.below(10), 1 + r.below(9)),
                ),
                1 => (
                    "tags",
                    format!("[tag-{}, tag-{}]", r.below(40), r.below(40)),
                ),
                _ => ("featured", ["true", "false"][r.below(2)].to_string()),
            };
            let o = set_key(&text(s, &p), key, &value);
            s.put_content(&p, Arc::from(o));
            format!("{key} of {p}, inherited by {t}")
        }
        8 => {
            // A draft, or a draft published.
            let p = pick_translation(r);
            let t = text(s, &p);
            let draft = if t.contains("\ndraft: true") {
                remove_key(&t, "draft")
            } else {
                set_key(&t, "draft", "true")
            };
            s.put_content(&p, Arc::from(draft));
            if !p.starts_with("content/stories/") {
                // Stories may cite a resolution, and a draft is cited nowhere: published
                // again at the next step.
                *pending = Some((p.clone(), Some(t)));
            }
            format!("draft toggled in {p}")
        }
        9 => {
            // A translation in a language the site does not have (or its default): an
            // error in both builds, and the next step removes the file.
            let stories = story_originals(s);
            let o = &stories[r.below(stories.len())];
            let bad = ["de", "en"][r.below(2)];
            let p = translation_path(o, bad);
            s.put_content(
                &p,
                Arc::from(format!("---\ntitle: \"{bad} {step}\"\n---\n\nText.\n")),
            );
            let (out, diags) = build(s, &options());
            assert!(
                out.is_none() && diags.render_plain().contains(&format!("`{bad}`")),
                "a translation in an undeclared language must fail: {}",
                diags.render_plain()
            );
            *pending = Some((p.clone(), None));
            format!("undeclared {p}")
        }
        10 => {
            // The name of a language in site.yaml: every page's switcher shows it.
            let name = ["Español", "Castellano"][r.below(2)];
            let text = s
                .config_file
                .text
                .replace("Español", name)
                .replace("Castellano", name);
            let config = rally::config::SiteConfig::parse(&Arc::from(text.as_str()))
                .unwrap_or_else(|d| panic!("{}", d.message));
            s.config_file = rally::load::SourceText::new("site.yaml", Arc::from(text));
            s.config = config;
            format!("language named {name}")
        }
        _ => {
            // A translation of a resolution many stories cite.
            let p = format!("content/resolutions/res-{}.{code}.md", r.below(3));
            let t = s
                .content_text(&p)
                .map(|t| t.to_string())
                .unwrap_or_else(|| {
                    translation_text(r, s, &p.replace(&format!(".{code}"), ""), code, step)
                });
            s.put_content(
                &p,
                Arc::from(set_key(&t, "title", &format!("\"Cambiada {step}\""))),
            );
            format!("retitle {p}")
        }
    }
}

/// Builds `sources` through `memo` and from scratch: the same problems, the same files byte
/// for byte. Whether the site built.
fn compare_with_full_build(sources: &Sources, memo: &mut Memo, what: &str) -> bool {
    let (inc, inc_diags) = build_with(sources, &options(), memo);
    let (full, full_diags) = build(sources, &options());
    assert_eq!(
        inc_diags.render_plain(),
        full_diags.render_plain(),
        "{what}: problems differ"
    );
    let (inc, full) = match (inc, full) {
        (Some(a), Some(b)) => (a, b),
        (None, None) => return false,
        _ => panic!("{what}: one build failed, the other did not"),
    };
    let inc_keys: Vec<&str> = inc.keys().map(|k| &**k).collect();
    let full_keys: Vec<&str> = full.keys().map(|k| &**k).collect();
    assert_eq!(inc_keys, full_keys, "{what}: different files");
    for (path, file) in &full {
        if inc.get(path) != Some(file) {
            panic!(
                "{what}: {path} differs from a full build:\n{}",
                first_difference(inc.get(path), file)
            );
        }
    }
    true
}

/// Where an incremental build's file first differs from a full build's, for messages.
fn first_difference(inc: Option<&OutputFile>, full: &OutputFile) -> String {
    let (Some(OutputFile::Bytes(a)), OutputFile::Bytes(b)) = (inc, full) else {
        return "not a page in both".into();
    };
    let at = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let around = |t: &[u8]| {
        String::from_utf8_lossy(&t[at.saturating_sub(200)..(at + 200).min(t.len())]).into_owned()
    };
    format!(
        "at byte {at} of {} and {}:\nincremental: …{}…\nfull: …{}…",
        a.len(),
        b.len(),
        around(a),
        around(b)
    )
}

/// The randomised test of a site in three languages: translations added, edited (title,
/// body, a key that overrides the original's, an override removed), made drafts, deleted;
/// originals edited under their translations; a translation in an undeclared language and
/// its removal; other edits of the site in between.
#[test]
fn random_translation_edits_equal_full_builds() {
    let (_dir, mut sources) = load_multilingual(16);
    let mut memo = Memo::default();
    let first = built(&sources, &mut memo);
    assert!(first.contains_key("es/stories/index.html"));
    assert!(first.contains_key("ar/stories/story-0/index.html"));
    assert!(first.contains_key("es/resolutions/res-1/index.html"));
    assert!(first.contains_key("es/stories/bundle-a/index.html"));
    let mut r = Rng(0x1a9e_0000_5eed_0002);
    let mut pending = None;
    let mut compared = 0;
    const STEPS: usize = 90;
    for step in 0..STEPS {
        // Two edits in three are of translations.
        // (`edit` puts a pending fix in first.)
        let what = if pending.is_some() || r.below(3) == 0 {
            edit(&mut r, &mut sources, step, &mut pending)
        } else {
            edit_translation(&mut r, &mut sources, step, &mut pending)
        };
        if compare_with_full_build(&sources, &mut memo, &format!("step {step} ({what})")) {
            compared += 1;
        }
    }
    assert!(
        compared >= STEPS * 3 / 4,
        "only {compared} of {STEPS} steps built a site"
    );
}

/// The pages each language re-rendered in the last build: the default's, then the others'.
fn rendered_per_language(memo: &Memo) -> Vec<Vec<String>> {
    std::iter::once(memo.render.last_rendered().to_vec())
        .chain(
            memo.translated
                .iter()
                .map(|(_, r)| r.last_rendered().to_vec()),
        )
        .collect()
}

/// Editing a Spanish story's body re-renders that page and the Spanish pages that show it,
/// nothing in English or Arabic. Adding a translation re-renders the original's page (its
/// `hreflang` links and switcher gain the language); removing it does too.
#[test]
fn a_translation_edit_re_renders_the_pages_of_its_language() {
    let (_dir, mut sources) = load_multilingual(16);
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    let all = translations(&sources);
    let es = all
        .iter()
        .find(|p| p.starts_with("content/stories/story-") && p.ends_with(".es.md"))
        .expect("a Spanish story")
        .clone();
    let id = es
        .trim_start_matches("content/stories/")
        .trim_end_matches(".es.md");
    let page = format!("es/stories/{id}/index.html");
    let text = sources.content_text(&es).expect("translation").to_string();
    sources.put_content(&es, Arc::from(text + "\nUn párrafo nuevo.\n"));
    let out = built(&sources, &mut memo);
    assert_same_as_full_build(&out, &sources);
    assert!(page_text(&out, &page).contains("Un párrafo nuevo."));
    let [en, es_pages, ar] =
        <[Vec<String>; 3]>::try_from(rendered_per_language(&memo)).expect("three languages");
    assert!(en.is_empty(), "English pages re-rendered: {en:?}");
    assert!(ar.is_empty(), "Arabic pages re-rendered: {ar:?}");
    assert!(es_pages.contains(&page), "{es_pages:?}");
    for skipped in ["es/404.html", "es/tags/index.html", "es/sitemap.xml"] {
        assert!(
            !es_pages.iter().any(|p| p == skipped),
            "{skipped} re-rendered: {es_pages:?}"
        );
    }
    // Feeds that list the story follow its text (its tags' feeds give it whole); the pages
    // that show it are few.
    let feed = |p: &&String| p.ends_with("/atom.xml") || p.ends_with("/feed.json");
    assert!(
        es_pages.iter().filter(|p| !feed(p)).count() < 15,
        "{es_pages:?}"
    );

    // A story with no Arabic translation gets one: its English page (and its Spanish one,
    // if any) must name the Arabic page.
    let original = story_originals(&sources)
        .into_iter()
        .find(|o| o.contains("story-") && !all.contains(&translation_path(o, "ar")))
        .expect("a story not in Arabic");
    let id = original
        .trim_start_matches("content/stories/")
        .trim_end_matches(".md")
        .to_string();
    let en_page = format!("stories/{id}/index.html");
    let hreflang = format!("hreflang=\"ar\" href=\"https://example.org/ar/stories/{id}/\"");
    assert!(!page_text(&out, &en_page).contains(&hreflang));
    let ar_path = translation_path(&original, "ar");
    let t = translation_text(&mut Rng(7), &sources, &original, "ar", 1);
    sources.put_content(&ar_path, Arc::from(t));
    let out = built(&sources, &mut memo);
    assert_same_as_full_build(&out, &sources);
    assert!(out.contains_key(format!("ar/stories/{id}/index.html").as_str()));
    assert!(
        page_text(&out, &en_page).contains(&hreflang),
        "the English page does not name its new Arabic translation"
    );
    let rendered = rendered_per_language(&memo);
    assert!(rendered[0].contains(&en_page), "{:?}", rendered[0]);

    // And loses it again.
    sources.remove_content(&ar_path);
    let out = built(&sources, &mut memo);
    assert_same_as_full_build(&out, &sources);
    assert!(!out.contains_key(format!("ar/stories/{id}/index.html").as_str()));
    assert!(!page_text(&out, &en_page).contains(&hreflang));
    let rendered = rendered_per_language(&memo);
    assert!(rendered[0].contains(&en_page), "{:?}", rendered[0]);
}

/// A translation's body may link to a page of the default language by its address: when
/// that page goes away the link is broken, in a rebuild as in a full build, and comes back
/// when the page does.
#[test]
fn a_translation_follows_the_default_languages_pages() {
    let (_dir, mut sources) = load_multilingual(8);
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    let story = "content/stories/story-7.md";
    let good = sources.content_text(story).expect("story").to_string();
    assert!(
        sources
            .content_text("content/stories/story-7.es.md")
            .is_none()
    );
    let es = "content/stories/story-2.es.md";
    let t = sources.content_text(es).expect("translation").to_string();
    sources.put_content(
        es,
        Arc::from(t + "\n[En inglés](/stories/story-7/) y [temas](/tags/).\n"),
    );
    assert!(compare_with_full_build(&sources, &mut memo, "link added"));
    sources.remove_content(story);
    assert!(
        !compare_with_full_build(&sources, &mut memo, "linked page removed"),
        "a link to a removed page must break"
    );
    sources.put_content(story, Arc::from(good.clone()));
    assert!(compare_with_full_build(&sources, &mut memo, "page back"));

    // A topic's page in the default language only: it goes when its one story drops the tag.
    sources.put_content(
        story,
        Arc::from(good.replacen("tags: [", "tags: [solo-topic, ", 1)),
    );
    let t = sources.content_text(es).expect("translation").to_string();
    sources.put_content(es, Arc::from(t + "\n[Un tema](/tags/solo-topic/).\n"));
    assert!(compare_with_full_build(&sources, &mut memo, "topic linked"));
    sources.put_content(story, Arc::from(good));
    assert!(
        !compare_with_full_build(&sources, &mut memo, "topic gone"),
        "a link to a topic that is gone must break"
    );
}

/// A translation whose original fails to read is left out silently (the original's error
/// is the one to fix); when the original is then deleted, the translation stands alone,
/// in a rebuild as in a full build.
#[test]
fn a_translation_outlives_its_broken_then_deleted_original() {
    let (_dir, mut sources) = load_multilingual(8);
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    let page = "content/about.md";
    let good = sources.content_text(page).expect("about").to_string();
    sources.put_content(page, Arc::from(good.replacen("title:", "titel:", 1)));
    assert!(!compare_with_full_build(
        &sources,
        &mut memo,
        "original broken"
    ));
    sources.remove_content(page);
    compare_with_full_build(&sources, &mut memo, "original deleted");
    sources.put_content(page, Arc::from(good));
    assert!(compare_with_full_build(
        &sources,
        &mut memo,
        "original back"
    ));
}

#[test]
fn unchanged_rebuild_reuses_every_page() {
    let (_dir, sources) = load(20);
    let mut memo = Memo::default();
    let (a, _) = build_with(&sources, &options(), &mut memo);
    let (b, _) = build_with(&sources, &options(), &mut memo);
    let (a, b) = (a.expect("a"), b.expect("b"));
    for (path, file) in &a {
        if let (rally::render::OutputFile::Bytes(x), Some(rally::render::OutputFile::Bytes(y))) =
            (file, b.get(path))
        {
            assert!(Arc::ptr_eq(x, y), "{path} was rendered again");
        }
    }
}

/// Pages that list every story depend on what they show, not on whole stories: editing the
/// text of an older story re-renders its page and the lists it is on, not the sitemap or feed.
#[test]
fn an_edit_re_renders_only_the_pages_that_show_it() {
    let (_dir, mut sources) = load(60);
    let mut memo = Memo::default();
    let first = built(&sources, &mut memo);
    // The oldest story: not in the feed's newest 20.
    let story_pages = first
        .keys()
        .filter(|k| k.starts_with("stories/story-") && k.ends_with("/index.html"))
        .count();
    assert!(story_pages > 40);
    let path = "content/stories/story-0.md";
    let text = sources.content_text(path).expect("story").to_string();

    sources.put_content(
        path,
        Arc::from(text.replacen("\n\n", "\n\nA new first line.\n\n", 1)),
    );
    let (out, diags) = build_with(&sources, &options(), &mut memo);
    assert!(out.is_some(), "{}", diags.render_plain());
    let rendered = memo.render.last_rendered().to_vec();
    assert!(
        rendered.contains(&"stories/story-0/index.html".to_string()),
        "{rendered:?}"
    );
    for skipped in [
        "sitemap.xml",
        "stories/atom.xml",
        "tags/index.html",
        "404.html",
    ] {
        assert!(
            !rendered.iter().any(|p| p == skipped),
            "{skipped} re-rendered: {rendered:?}"
        );
    }
    // The open data lists every entry, so it follows every edit, and so do the feeds that
    // list the story (its tags' give its whole text); the pages do not.
    let feed = |p: &&String| p.ends_with("/atom.xml") || p.ends_with("/feed.json");
    assert!(
        rendered
            .iter()
            .any(|p| p.starts_with("tags/") && p.ends_with("/atom.xml")),
        "{rendered:?}"
    );
    let pages = (rendered.iter())
        .filter(|p| !p.starts_with("data/") && !feed(p))
        .count();
    assert!(pages < 15, "{rendered:?}");

    // A new date moves the story in every list and changes the sitemap's lastmod.
    let t = sources.content_text(path).expect("story").to_string();
    let i = t.find("date: ").expect("date");
    sources.put_content(
        path,
        Arc::from(format!("{}date: 2025-12-31{}", &t[..i], &t[i + 16..])),
    );
    let (out, diags) = build_with(&sources, &options(), &mut memo);
    assert!(out.is_some(), "{}", diags.render_plain());
    let rendered = memo.render.last_rendered();
    for expected in [
        "sitemap.xml",
        "stories/atom.xml",
        "index.html",
        "stories/index.html",
    ] {
        assert!(
            rendered.iter().any(|p| p == expected),
            "{expected} not re-rendered: {rendered:?}"
        );
    }
}

/// A story's card is part of its value: editing the card template changes every list that
/// prints cards, and the result equals a full build.
#[test]
fn a_card_template_edit_re_renders_the_lists() {
    let (_dir, mut sources) = load(30);
    let mut memo = Memo::default();
    built(&sources, &mut memo);
    let name = "theme/cards/story.html";
    let card = sources
        .templates
        .iter()
        .find(|t| t.path == name)
        .map(|t| t.text.to_string())
        .expect("the theme has a story card");
    sources.put_template(
        name,
        Arc::from(card.replace("card-summary", "card-summary card-edited")),
    );
    let out = built(&sources, &mut memo);
    let rendered = memo.render.last_rendered();
    for list in ["stories/index.html", "index.html"] {
        assert!(rendered.iter().any(|p| p == list), "{list}: {rendered:?}");
    }
    assert_same_as_full_build(&out, &sources);
    assert!(page_text(&out, "stories/index.html").contains("card-edited"));
}

/// A partial is rendered once per build; the pages that print it follow its output, which
/// can change with any entry (here the newest story's title in a footer).
#[test]
fn pages_follow_what_their_partials_print() {
    let (_dir, mut sources, mut memo) = built_with_template(
        "theme/partials/footer.html",
        "<footer>newest: {{ stories[0].title }}</footer>",
    );
    let newest = |out: &Output| {
        let page = page_text(out, "about/index.html");
        let at = page.find("newest: ").expect("the footer");
        page[at..at + page[at..].find('<').expect("end")].to_string()
    };
    let before = newest(&built(&sources, &mut memo));
    // An older story moves to the top, retitled: the footer's text changes.
    make_newest(&mut sources, "content/stories/story-2.md");
    let out = built(&sources, &mut memo);
    assert!(
        memo.render
            .last_rendered()
            .iter()
            .any(|p| p == "about/index.html"),
        "the about page prints the footer and was not re-rendered"
    );
    let after = newest(&out);
    assert_ne!(before, after);
    assert!(after.starts_with("newest: Newest "), "{after}");
    assert_same_as_full_build(&out, &sources);
}

/// A page follows only the partials it prints: one more story in a topic changes the topics
/// box beside the lists of stories, not the pages that print the other partials.
#[test]
fn a_page_follows_only_the_partials_it_prints() {
    let (_dir, mut sources) = load(20);
    let mut memo = Memo::default();
    let first = built(&sources, &mut memo);
    let path = "content/stories/story-3.md";
    let text = sources.content_text(path).expect("story").to_string();
    let tags = &text[text.find("tags: [").expect("tags")..];
    let tags = &tags[..tags.find(']').expect("end of tags")];
    let tag = (0..40)
        .map(|i| format!("tag-{i}"))
        .find(|t| {
            !tags.contains(&format!("{t},"))
                && !tags.ends_with(t.as_str())
                && page_text(&first, "stories/index.html").contains(&format!("/tags/{t}/"))
        })
        .expect("a topic the story is not in");
    sources.put_content(
        path,
        Arc::from(text.replacen("tags: [", &format!("tags: [{tag}, "), 1)),
    );
    let out = built(&sources, &mut memo);
    assert_same_as_full_build(&out, &sources);
    assert_ne!(
        page_text(&first, "stories/index.html"),
        page_text(&out, "stories/index.html")
    );
    let rendered = memo.render.last_rendered();
    assert!(
        rendered.iter().any(|p| p == "stories/index.html"),
        "{rendered:?}"
    );
    for unrelated in [
        "about/index.html",
        "stories/story-9/index.html",
        "resolutions/res-1/index.html",
    ] {
        assert!(
            !rendered.iter().any(|p| p == unrelated),
            "{unrelated} re-rendered: {rendered:?}"
        );
    }
}

/// A partial that reads `menu` is rendered once per menu, so the pages depend on what it reads
/// (here the stories) rather than on what it printed.
#[test]
fn pages_follow_what_their_per_menu_partials_read() {
    let (_dir, mut sources, mut memo) = built_with_template(
        "theme/partials/nav.html",
        "<nav>{% for m in menu %}{{ m.current }}{% endfor %} latest: {{ stories[0].title }}</nav>",
    );
    make_newest(&mut sources, "content/stories/story-2.md");
    let out = built(&sources, &mut memo);
    assert_same_as_full_build(&out, &sources);
    assert!(page_text(&out, "about/index.html").contains(" latest: Newest "));
}

/// Cards (and embeds) render before the build's globals are made: in a rebuild they must not
/// see the last build's, or `rally serve` would show what `rally build` does not.
#[test]
fn cards_do_not_see_the_last_builds_globals() {
    let (_dir, mut sources, mut memo) = built_with_template(
        "theme/cards/story.html",
        "{% if stories is defined %}LEAK{% endif %}{{ story.title }}",
    );
    let path = "content/stories/story-3.md";
    let text = sources.content_text(path).expect("story").to_string();
    sources.put_content(
        path,
        Arc::from(text.replacen("title: \"", "title: \"New ", 1)),
    );
    let out = built(&sources, &mut memo);
    let list = page_text(&out, "stories/index.html");
    assert!(list.contains("New "), "the edit is in the list");
    assert!(
        !list.contains("LEAK"),
        "a card saw the last build's globals"
    );
}

/// The per-page `menu` is made from the site's menu: here the default one, which lists pages
/// with a `menu_weight` by title. Renaming such a page re-renders every page whose template
/// shows the menu, exactly as a full build would.
#[test]
fn a_menu_change_re_renders_the_pages_that_show_it() {
    let (_dir, mut sources) = load(20);
    // A story template that reads the menu and nothing else of the site.
    sources.templates.push(rally::load::SourceText::new(
        "story.html",
        Arc::from(
            "{% for item in menu %}<a href=\"{{ item.url }}\">{{ item.name }}</a>{% endfor %}",
        ),
    ));
    let mut memo = Memo::default();
    let first = built(&sources, &mut memo);
    sources.put_content(
        "content/about.md",
        Arc::from("---\ntitle: Who we are\nmenu_weight: 1\n---\n\nAbout the campaign.\n"),
    );
    let (inc, diags) = build_with(&sources, &options(), &mut memo);
    let inc = inc.unwrap_or_else(|| panic!("{}", diags.render_plain()));
    let (full, _) = build(&sources, &options());
    assert!(
        full == Some(inc.clone()),
        "the memoized build differs from a full build"
    );
    let page = |out: &rally::render::Output| match out.get("stories/story-1/index.html") {
        Some(rally::render::OutputFile::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("no story page: {}", other.is_some()),
    };
    assert!(page(&first).contains(r#"<a href="/about/">About</a>"#));
    assert!(page(&inc).contains(r#"<a href="/about/">Who we are</a>"#));
}
