//! Real-browser and validator checks of the bundled campaign site, built with the real binary:
//! the Nu HTML Checker, axe-core in headless Chromium, the partner and resolution filters with
//! and without JavaScript, card layout and no layout shift before scripts run, internal links
//! and fragments, `rally serve`'s live reload, and right-to-left pages that mirror.
//!
//! The checks themselves are Node scripts in `tests/browser/` (playwright-core driving the
//! system Chromium; `npm ci` there installs them). When Node, Chromium, Java or
//! `tests/browser/node_modules` are missing, a test prints `skipped: <why>` and passes, unless
//! `RALLY_BROWSER_TESTS=required` is set (as in CI), where it fails.
//! `RALLY_CHROMIUM` overrides the browser path (default `/usr/bin/chromium`).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One Chromium at a time: the live-reload timings must not compete with axe for the CPU.
static BROWSER: Mutex<()> = Mutex::new(());

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scripts() -> PathBuf {
    repo().join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("RALLY_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn vnu_jar() -> PathBuf {
    scripts().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

#[derive(Clone, Copy, PartialEq)]
enum Need {
    Node,
    Chromium,
    Java,
    Packages,
}

/// True when everything in `needs` is there. Otherwise prints `skipped: ...` and returns
/// false, or fails the test when `RALLY_BROWSER_TESTS=required`.
fn ready(test: &str, needs: &[Need]) -> bool {
    let works = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut missing = Vec::new();
    for need in needs {
        match need {
            Need::Node if !works("node", "--version") => {
                missing.push("node (Node.js 20 or newer) is not on PATH".to_string());
            }
            Need::Java if !works("java", "-version") => {
                missing
                    .push("java (17 or newer, for the Nu HTML Checker) is not on PATH".to_string());
            }
            Need::Chromium if !chromium().is_file() => missing.push(format!(
                "no Chromium at {} (install it, or set RALLY_CHROMIUM)",
                chromium().display()
            )),
            Need::Packages => {
                for p in [
                    "node_modules/playwright-core/package.json",
                    "node_modules/axe-core/axe.min.js",
                    "node_modules/vnu-jar/build/dist/vnu.jar",
                ] {
                    if !scripts().join(p).is_file() {
                        missing.push(format!(
                            "tests/browser/{p} is missing (run `npm ci` in tests/browser)"
                        ));
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    if missing.is_empty() {
        return true;
    }
    let why = missing.join("; ");
    if std::env::var("RALLY_BROWSER_TESTS").as_deref() == Ok("required") {
        panic!("{test}: {why} (RALLY_BROWSER_TESTS=required, so this is a failure)");
    }
    // Straight to stderr, past the test harness's capture, so a skip is seen.
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {why}");
    false
}

/// The story that `build_site` gives a photo.
const PHOTO_STORY: &str = "content/stories/alternatives-to-detention-in-practice";

/// A sentence added to the photo story, whose last word no other text of the site has.
const STORY_WORD_SENTENCE: &str = "The drawings were first shown at a workshop in Tapachula.";
const STORY_WORD: &str = "Tapachula";
/// An Arabic story, and a sentence added to it with a word no other Arabic text has
/// ("Tangier", in a form with a prefix: the search must find it from the bare word).
const ARABIC_STORY: &str = "content/stories/campaign-launch-human-rights-council-2012";
const ARABIC_WORD_SENTENCE: &str = "عُرضت الرسومات لأول مرة في ورشة عمل بطنجة.";
const ARABIC_WORD: &str = "طنجة";

/// The bundled site, built by the real binary into a temporary folder.
struct Built {
    _dir: tempfile::TempDir,
    public: PathBuf,
}

/// An old address given to the photo story (`aliases:`), which the headers check follows.
const ALIAS: &str = "news/2019/drawings/";

/// The bundled site with photos on (one story's drawing replaced by a phone photo, which its
/// text shows again, so the checks see `<picture>` elements, `srcset` and lazy loading), an
/// alias, and minified (`--minify`): every browser check runs on the smallest pages rally
/// makes, under the site's own `_headers`.
fn build_site() -> Built {
    build_site_with(&["--minify"])
}

fn build_site_with(args: &[&str]) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = bundled_copy(dir.path());
    let story = root.join(PHOTO_STORY);
    let index = story.join("index.md");
    let text = fs::read_to_string(&index).expect("story");
    assert!(
        text.contains("src: illustration.svg"),
        "{}",
        index.display()
    );
    let text = text
        .replacen("src: illustration.svg", "src: photo.jpg", 1)
        .replacen("\n---\n", &format!("\naliases: [{ALIAS}]\n---\n"), 1)
        + "\n![Children's drawings pinned to a wall at a community centre](photo.jpg)\n";
    fs::write(&index, text).expect("write story");
    fs::write(
        story.join("photo.jpg"),
        rally::images::samples::noisy_photo(2400, 1600, 7),
    )
    .expect("photo");
    // Words found in one story only, for the search check: one in the photo story's text,
    // one in an Arabic story's.
    let mut text = fs::read_to_string(&index).expect("story");
    text.push_str(&format!("\n{STORY_WORD_SENTENCE}\n"));
    fs::write(&index, text).expect("write story");
    let arabic = root.join(ARABIC_STORY).join("index.ar.md");
    let mut text = fs::read_to_string(&arabic).expect("Arabic story");
    text.push_str(&format!("\n{ARABIC_WORD_SENTENCE}\n"));
    fs::write(&arabic, text).expect("write Arabic story");
    let public = dir.path().join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_rally"))
        .args(["build", "--color=never", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&public)
        .args(args)
        .env("NO_COLOR", "1")
        .env(rally::images::CACHE_ENV, crate::support::shared_cache())
        .output()
        .expect("run rally build");
    assert!(
        out.status.success(),
        "rally build of the bundled site failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(public.join("index.html").is_file(), "no index.html built");
    Built { _dir: dir, public }
}

struct Run {
    ok: bool,
    code: Option<i32>,
    out: String,
}

/// Runs a command to the end (killing it after `limit`), stdout and stderr together.
fn run(cmd: &mut Command, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = pipe(Box::new(child.stdout.take().expect("stdout")));
    let err = pipe(Box::new(child.stderr.take().expect("stderr")));
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut text = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    if !err.is_empty() {
        text.push_str(&err);
    }
    if timed_out {
        text.push_str(&format!("\n(killed after {} s)\n", limit.as_secs()));
    }
    println!("{cmd:?} took {:.1} s", started.elapsed().as_secs_f64());
    Run {
        ok: status.is_some_and(|s| s.success()),
        code: status.and_then(|s| s.code()),
        out: text,
    }
}

fn node(script: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let mut cmd = Command::new("node");
    cmd.arg(scripts().join(script)).current_dir(scripts());
    for a in args {
        cmd.arg(a);
    }
    let r = run(&mut cmd, Duration::from_secs(240));
    println!("{}", r.out);
    r
}

/// Markdown entries of a collection folder (`x.md` and `x/index.md`) that are not drafts.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.expect("dir entry").path();
        let file = if p.is_dir() {
            p.join("index.md")
        } else {
            p.clone()
        };
        if file.extension().is_some_and(|x| x == "md") && file.is_file() {
            let text = fs::read_to_string(&file).expect("read entry");
            let front = text.split("\n---").next().unwrap_or("");
            if !front.lines().any(|l| l.trim() == "draft: true") {
                out.push(file);
            }
        }
    }
    out.sort();
    out
}

/// Partners in the site: `content/partners/*.md` plus the rows of `partners.yaml` and
/// `partners.csv`, drafts left out.
fn partner_count() -> usize {
    let content = repo().join("content");
    let mut n = entries(&content.join("partners")).len();
    if let Ok(yaml) = fs::read_to_string(content.join("partners.yaml")) {
        let rows = yaml.lines().filter(|l| l.starts_with("- id:")).count();
        let drafts = yaml
            .lines()
            .filter(|l| l.trim_start_matches(['-', ' ']) == "draft: true")
            .count();
        n += rows - drafts;
    }
    if let Ok(csv) = fs::read_to_string(content.join("partners.csv")) {
        n += csv.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
    }
    n
}

/// Check 1: the Nu HTML Checker finds no error in any page of the bundled site. A page known
/// to be invalid is checked in the same run, so a checker that reports nothing fails the test.
#[test]
fn nu_html_checker_finds_no_errors() {
    if !ready(
        "nu_html_checker_finds_no_errors",
        &[Need::Java, Need::Packages],
    ) {
        return;
    }
    // The pages as `rally build` writes them, and minified.
    let plain = build_site_with(&[]);
    let site = build_site();
    let canary = tempfile::tempdir().expect("temp dir");
    fs::write(
        canary.path().join("canary.html"),
        "<!doctype html><html lang=en><title>canary</title><p><div></p>\n",
    )
    .expect("write canary");
    let r = run(
        Command::new("java")
            .arg("-jar")
            .arg(vnu_jar())
            .args(["--errors-only", "--skip-non-html", "--verbose"])
            .arg(&plain.public)
            .arg(&site.public)
            .arg(canary.path()),
        Duration::from_secs(360),
    );
    let pages = walk_html(&plain.public).len() + walk_html(&site.public).len();
    let checked = r
        .out
        .lines()
        .filter(|l| {
            [&plain.public, &site.public]
                .iter()
                .any(|d| l.starts_with(d.to_str().expect("utf-8 path")))
        })
        .count();
    let (canary_errors, errors): (Vec<&str>, Vec<&str>) = r
        .out
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": fatal: "))
        .partition(|l| l.contains("canary.html"));
    let errors: Vec<String> = errors
        .iter()
        .map(|l| {
            l.replace(&format!("file:{}/", site.public.display()), "(minified) ")
                .replace(&format!("file:{}/", plain.public.display()), "")
        })
        .collect();
    assert!(
        !canary_errors.is_empty(),
        "the checker found no error in the invalid canary page; its output:\n{}",
        r.out
    );
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found {} error(s) in the built site:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(
        checked, pages,
        "the checker should have checked every page; its output:\n{}",
        r.out
    );
    assert_eq!(r.code, Some(1), "vnu exit code (1: the canary's errors)");
    println!("Nu HTML Checker: {pages} pages (as built, and minified), no errors");
}

fn walk_html(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out
}

/// Check 2: axe-core finds no WCAG 2.1 A/AA violation on the home page, a story, the
/// resolutions timeline, the partner directory and a partner page, at 1280 and 390 px.
#[test]
fn axe_finds_no_wcag_violations() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("axe_finds_no_wcag_violations", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let r = node("axe.mjs", &[&site.public]);
    assert!(
        r.ok,
        "axe found accessibility problems (exit {:?}):\n{}",
        r.code, r.out
    );
    assert!(
        r.out.contains("@390px") && r.out.contains("@1280px"),
        "{}",
        r.out
    );
}

/// Check 3: the partner directory's search box and region filter, and the resolutions
/// timeline's body filter, show exactly the matching entries with a matching live count;
/// without JavaScript every entry is listed.
#[test]
fn partner_and_resolution_filters_work_with_and_without_javascript() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready(
        "partner_and_resolution_filters_work_with_and_without_javascript",
        &needs,
    ) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let partners = partner_count().to_string();
    let resolutions = entries(&repo().join("content/resolutions"))
        .len()
        .to_string();
    let site = build_site();
    let r = node(
        "filters.mjs",
        &[&site.public, &partners, &resolutions, &"unicef"],
    );
    assert!(
        r.ok,
        "the filters misbehave (exit {:?}):\n{}",
        r.code, r.out
    );
}

/// Cards in one grid row are equally tall with their tags at the bottom, and the menu button
/// and filters are in place before site.js runs (no layout shift while a long page loads).
#[test]
fn cards_line_up_and_nothing_shifts_when_scripts_run() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("cards_line_up_and_nothing_shifts_when_scripts_run", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let r = node("layout.mjs", &[&site.public]);
    assert!(r.ok, "layout checks failed (exit {:?}):\n{}", r.code, r.out);
}

/// Right-to-left pages mirror: on the Arabic story page (`rtl.mjs` names its path) the brand
/// starts at the right and the menu runs leftwards, nothing overflows sideways at 390 px,
/// document symbols stay left to right, arrows turn round, and every box is the mirror image of
/// the same page set left to right; its English original is checked the other way round.
#[test]
fn right_to_left_pages_mirror() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("right_to_left_pages_mirror", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let r = node("rtl.mjs", &[&site.public]);
    assert!(
        r.ok,
        "right-to-left layout checks failed (exit {:?}):\n{}",
        r.code, r.out
    );
}

/// The site under its own `_headers`, as a static host serves it: each kind of page loads its
/// fingerprinted stylesheet and its scripts and works, with no Content-Security-Policy
/// violation; an alias's old address leads to its entry.
#[test]
fn pages_work_under_the_sites_own_headers() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("pages_work_under_the_sites_own_headers", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let story = format!(
        "/{}/",
        PHOTO_STORY.strip_prefix("content/").expect("content")
    );
    let resolution = |r: &Path| {
        format!(
            "/resolutions/{}/",
            r.file_stem().and_then(|s| s.to_str()).expect("name")
        )
    };
    let first_resolution = entries(&repo().join("content/resolutions"))
        .first()
        .map(|p| resolution(p))
        .expect("a resolution");
    let pages = serde_json::json!([
        "/",
        "/stories/",
        story,
        "/resolutions/",
        first_resolution,
        "/partners/",
        "/tags/",
        "/take-action/",
        "/search/?q=detention",
        "/ar/",
        "/es/partners/",
        "/no-such-page/",
    ]);
    let alias = serde_json::json!({"from": format!("/{ALIAS}"), "to": story});
    let r = node(
        "headers.mjs",
        &[&site.public, &pages.to_string(), &alias.to_string()],
    );
    assert!(
        r.ok,
        "headers checks failed (exit {:?}):\n{}",
        r.code, r.out
    );
}

/// A story and a resolution print cleanly: no menu or footer, full addresses after links,
/// the official text's address, lists not split.
#[test]
fn stories_and_resolutions_print_cleanly() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("stories_and_resolutions_print_cleanly", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let story = format!(
        "/{}/",
        PHOTO_STORY.strip_prefix("content/").expect("content")
    );
    let pages = serde_json::json!([
        story,
        "/resolutions/unga-res-69-187-migrant-children-adolescents/",
        format!(
            "/ar/{}/",
            ARABIC_STORY.strip_prefix("content/").expect("content")
        ),
    ]);
    let r = node("print.mjs", &[&site.public, &pages.to_string()]);
    assert!(r.ok, "print checks failed (exit {:?}):\n{}", r.code, r.out);
}

/// Photos: a phone downloads the small copy, a large screen a large one; the story's photo
/// loads at once, the one in its text when scrolled near, and neither shifts the page.
#[test]
fn photos_load_the_copy_the_screen_needs() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("photos_load_the_copy_the_screen_needs", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    let page = format!(
        "/{}/",
        PHOTO_STORY.strip_prefix("content/").expect("content")
    );
    let r = node("photos.mjs", &[&site.public, &page]);
    assert!(r.ok, "photo checks failed (exit {:?}):\n{}", r.code, r.out);
}

/// Search: a resolution's symbol, a partner's acronym and a word of a story's text each find
/// that entry first, on the English site and (an Arabic word) on the Arabic one, typed key by
/// key into the search page, under a CSP that allows WebAssembly and nothing inline but the
/// theme's one script.
#[test]
fn search_finds_symbols_acronyms_and_words_first() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("search_finds_symbols_acronyms_and_words_first", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let site = build_site();
    // The expected pages, found from the content files (not from the index under test).
    let content = repo().join("content");
    let with_line = |folder: &str, line: &str| -> String {
        let dir = content.join(folder);
        let file = fs::read_dir(&dir)
            .expect("content folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                fs::read_to_string(p)
                    .is_ok_and(|t| t.lines().any(|l| l.trim().replace('"', "") == line))
            })
            .unwrap_or_else(|| panic!("no file in {} has `{line}`", dir.display()));
        let stem = file.file_stem().and_then(|s| s.to_str()).expect("name");
        format!("/{folder}/{stem}/")
    };
    let story = |dir: &str, prefix: &str| {
        format!(
            "/{prefix}{}/",
            dir.strip_prefix("content/").expect("content")
        )
    };
    let cases = serde_json::json!([
        {"page": "/search/", "query": "A/RES/69/187",
         "first": with_line("resolutions", "symbol: A/RES/69/187")},
        {"page": "/search/", "query": "UNHCR", "first": with_line("partners", "acronym: UNHCR")},
        {"page": "/search/", "query": STORY_WORD.to_lowercase(), "first": story(PHOTO_STORY, "")},
        {"page": "/ar/search/", "query": ARABIC_WORD, "first": story(ARABIC_STORY, "ar/")},
    ]);
    let r = node("search.mjs", &[&site.public, &cases.to_string()]);
    assert!(r.ok, "search checks failed (exit {:?}):\n{}", r.code, r.out);
}

/// The `base_url` of the bundled site.yaml.
fn base_url() -> String {
    let yaml = fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    yaml.lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .expect("base_url in site.yaml")
}

/// Check 4: every internal href/src/srcset (and CSS url(), sitemap and feed link) of the built
/// site names an existing file, and every #fragment an id of its page.
#[test]
fn no_broken_internal_links_or_fragments() {
    if !ready("no_broken_internal_links_or_fragments", &[Need::Node]) {
        return;
    }
    // The checker must catch what it is for.
    let bad = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(bad.path().join("about")).expect("mkdir");
    fs::write(
        bad.path().join("about/index.html"),
        "<!doctype html><h1 id=who>About</h1>",
    )
    .expect("write");
    fs::write(
        bad.path().join("index.html"),
        "<!doctype html><a href=\"/about/\">ok</a><a href=\"/about/#who\">ok</a>\
         <a href=\"/nope/\">1</a><a href=\"/about/#nobody\">2</a><a href=\"#nowhere\">3</a>\
         <img src=\"gone.png\" alt=\"\"><a href=\"https://other.example/x\">external</a>\
         <!-- <a href=\"/commented-out/\"> -->",
    )
    .expect("write");
    let r = node("links.mjs", &[&bad.path()]);
    assert_eq!(
        r.code,
        Some(1),
        "the link checker should fail on:\n{}",
        r.out
    );
    let reported: Vec<&str> = r.out.lines().filter(|l| l.starts_with("BROKEN")).collect();
    for want in ["\"/nope/\"", "#nobody", "#nowhere", "gone.png"] {
        assert!(
            reported.iter().any(|l| l.contains(want)),
            "link checker missed {want}:\n{}",
            r.out
        );
    }
    assert_eq!(reported.len(), 4, "only the 4 broken links:\n{}", r.out);

    let site = build_site();
    let r = node("links.mjs", &[&site.public, &"--base-url", &base_url()]);
    assert!(
        r.ok,
        "broken links in the built site (exit {:?}):\n{}",
        r.code, r.out
    );
}

/// The site published under a subpath (`https://example.org/campaign/`, as a project site on
/// GitHub Pages is): no link, asset, feed entry, redirect, open-data address or header rule
/// leaves the subpath or leads nowhere.
#[test]
fn a_site_under_a_subpath_stays_in_it() {
    if !ready("a_site_under_a_subpath_stays_in_it", &[Need::Node]) {
        return;
    }
    let base = "https://example.org/campaign/";
    // The checker must catch what it is for, in the files beside the pages.
    let bad = tempfile::tempdir().expect("temp dir");
    for (file, text) in [
        ("index.html", "<!doctype html><p>home</p>"),
        ("_redirects", "/campaign/old/ /campaign/nope/ 301\n"),
        ("_headers", "/elsewhere/*\n  X-Frame-Options: DENY\n"),
        (
            "data.json",
            r#"{"items": [{"url": "https://example.org/campaign/missing/"}]}"#,
        ),
        ("robots.txt", "Sitemap: https://example.org/sitemap.xml\n"),
    ] {
        fs::write(bad.path().join(file), text).expect("write");
    }
    let r = node("links.mjs", &[&bad.path(), &"--base-url", &base]);
    let reported: Vec<&str> = r.out.lines().filter(|l| l.starts_with("BROKEN")).collect();
    for want in ["/campaign/nope/", "/elsewhere/", "missing/", "robots.txt"] {
        assert!(
            reported.iter().any(|l| l.contains(want)),
            "link checker missed {want}:\n{}",
            r.out
        );
    }
    assert_eq!(r.code, Some(1), "{}", r.out);

    let site = build_site_with(&["--base-url", base]);
    // What the crawl must see, so that a crawl finding nothing cannot pass.
    for file in [
        "_redirects",
        "_headers",
        "data/partners.csv",
        "stories/feed.json",
    ] {
        assert!(site.public.join(file).is_file(), "{file}");
    }
    let r = node("links.mjs", &[&site.public, &"--base-url", &base]);
    assert!(
        r.ok,
        "links that leave the subpath or lead nowhere (exit {:?}):\n{}",
        r.code, r.out
    );
    let checked: usize = r
        .out
        .lines()
        .find_map(|l| l.split(" pages, ").nth(1)?.split(' ').next()?.parse().ok())
        .expect("the count of links checked");
    assert!(checked > 5000, "{}", r.out);
}

/// A copy of the bundled campaign site in `dir/site`, for tests that edit it.
fn bundled_copy(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    fs::create_dir_all(&root).expect("mkdir");
    fs::copy(repo().join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    for sub in ["content", "themes", "templates", "static"] {
        if repo().join(sub).is_dir() {
            crate::support::copy_dir(&repo().join(sub), &root.join(sub));
        }
    }
    root
}

/// The first story of the site at `root`, by path from it (a file or a bundle's index.md).
fn first_story(root: &Path) -> PathBuf {
    let story = entries(&root.join("content/stories"))
        .into_iter()
        .next()
        .expect("a published story");
    story.strip_prefix(root).expect("in root").to_owned()
}

/// A `rally serve` child process, killed on drop.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path, log: PathBuf) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rally"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(fs::File::create(&log).expect("server log"))
        .spawn()
        .expect("start rally serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the server's first line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in the server's first line {line:?}"))
        .to_string();
    Server { child, url, log }
}

/// Check 5: with a story open in Chromium, `rally serve` shows an edit of its Markdown by
/// itself at the same scroll position, shows the error overlay while the file is broken and
/// drops it once fixed, and swaps in an edited theme stylesheet without reloading the page.
#[test]
fn live_reload_in_a_real_browser() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready("live_reload_in_a_real_browser", &needs) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let root = bundled_copy(dir.path());
    // A story, single file or bundle (`<id>/index.md`): livereload.mjs finds its page.
    let story_rel = first_story(&root);
    let css_rel = Path::new("themes/campaign/static/css/site.css");
    assert!(root.join(css_rel).is_file(), "no {}", css_rel.display());

    let server = serve(&root, dir.path().join("serve.log"));
    let r = node(
        "livereload.mjs",
        &[&server.url, &root, &story_rel, &css_rel],
    );
    let log = fs::read_to_string(&server.log).unwrap_or_default();
    assert!(
        r.ok,
        "live reload failed (exit {:?}):\n{}\nrally serve's messages:\n{log}",
        r.code, r.out
    );
}

/// Check 6: with JavaScript off, the endorse and sign-up forms of a site whose endpoint is a
/// path on its host post every field (the honeypot empty) and land on the thank-you page.
#[test]
fn forms_post_without_javascript_and_show_the_thank_you_page() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready(
        "forms_post_without_javascript_and_show_the_thank_you_page",
        &needs,
    ) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let t = crate::support::Test::new()
        .builtin_theme()
        .file(
            "site.yaml",
            "title: Forms\nbase_url: /\nforms:\n  endorse:\n    endpoint: /submit/\n    thanks: /thanks/\n  signup:\n    endpoint: /submit/\n    thanks: /thanks/\n",
        )
        .file("content/act.md", "---\ntitle: Act\n---\n{{< form endorse >}}\n\n{{< form signup >}}\n")
        .file("content/thanks.md", "---\ntitle: Thank you\n---\nYour message was sent.\n")
        .run()
        .success();
    let r = node("forms.mjs", &[&t.test.path("public")]);
    assert!(r.ok, "the forms misbehave (exit {:?}):\n{}", r.code, r.out);
}

/// Check 7: the content editor of `rally serve`, driven in Chromium as a writer would:
/// "Edit this page", a saved title, unsaved work surviving a closed tab, a change on disk
/// detected without losing either version, axe, and a 390 px screen.
#[test]
fn the_editor_saves_from_the_browser_and_loses_nothing() {
    let needs = [Need::Node, Need::Chromium, Need::Packages];
    if !ready(
        "the_editor_saves_from_the_browser_and_loses_nothing",
        &needs,
    ) {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let root = bundled_copy(dir.path());
    let story_rel = first_story(&root);
    let server = serve(&root, dir.path().join("serve.log"));
    let r = node("editor.mjs", &[&server.url, &root, &story_rel]);
    let log = fs::read_to_string(&server.log).unwrap_or_default();
    assert!(
        r.ok,
        "the editor failed (exit {:?}):\n{}\nrally serve's messages:\n{log}",
        r.code, r.out
    );
    // What the editor wrote (a new story with a picture and a reference) is a valid site.
    drop(server);
    let check = Command::new(env!("CARGO_BIN_EXE_rally"))
        .args(["check", "--drafts", "--color=never"])
        .current_dir(&root)
        .output()
        .expect("rally check");
    assert!(
        check.status.success(),
        "rally check fails after the editor's saves:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
