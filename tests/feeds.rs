//! Feeds and sitemaps (the publishing issue): the stories', each tag's and the resolutions'
//! Atom and JSON feeds list exactly the published entries they should, newest first and at
//! most 20; pages name their feeds; hostile titles still make well-formed feeds, as Python's
//! feedparser reads them; sitemaps validate against the sitemaps.org schema, an index of
//! parts past the limit, and name only pages that were built.
//!
//! feedparser (Atom only: version 6 does not read JSON Feeds, which are checked here in
//! Rust) and xmllint are outside tools: a test that needs one skips with a notice when
//! it is missing, unless `RALLY_BROWSER_TESTS=required` (as in CI), where it fails.
//! `RALLY_FEEDPARSER_PYTHON` names a Python that has feedparser (`.ci/run` makes one).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::support::{Outcome, Test, snapshot};

/// Atom's namespace.
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The `<id>`s of an Atom feed's entries, in order, after checking that it is well-formed
/// and has what RFC 4287 requires of a feed and of each entry.
fn atom_ids(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{xml}");
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text().map(str::to_string))
    };
    for name in ["id", "title", "updated"] {
        assert!(
            child(feed, name).is_some(),
            "the feed lacks <{name}>\n{xml}"
        );
    }
    feed.children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let updated = child(e, "updated").expect("an entry's <updated>");
            assert!(rfc3339(&updated), "{updated} is not RFC 3339");
            assert!(child(e, "title").is_some(), "an entry's <title>");
            child(e, "id").expect("an entry's <id>")
        })
        .collect()
}

/// `YYYY-MM-DDThh:mm:ssZ` (the form rally writes: RFC 3339 in UTC).
fn rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The item ids of a JSON Feed, after checking what JSON Feed 1.1 requires: `version`,
/// `title`, and each item's `id` and `content_html` or `content_text`.
fn json_ids(text: &str) -> Vec<String> {
    let feed: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
    let items = feed["items"].as_array().expect("items");
    items
        .iter()
        .map(|i| {
            assert!(
                i["content_html"].is_string() || i["content_text"].is_string(),
                "{i}"
            );
            if let Some(d) = i["date_published"].as_str() {
                assert!(rfc3339(d), "{d}");
            }
            i["id"].as_str().expect("an item's id").to_string()
        })
        .collect()
}

fn urls(ids: &[&str]) -> Vec<String> {
    ids.iter()
        .map(|id| format!("https://example.org/{id}"))
        .collect()
}

/// A site whose feeds have something to leave out: a draft, a story dated in the future, a
/// draft resolution, and more stories in one tag than a feed lists.
fn site() -> Test {
    let mut t = Test::new()
        .builtin_theme()
        .story(
            "first",
            "title: First\ndate: 2024-01-03\nsummary: \"One.\"\ntags: [detention, campaign]\nauthor: Ana",
            "See [the second](@/stories/second.md).\n",
        )
        .story(
            "second",
            "title: Second\ndate: 2024-01-02\nsummary: \"Two.\"\ntags: [detention]",
            "Text.\n",
        )
        .story(
            "draft",
            "title: Draft\ndate: 2024-01-04\nsummary: \"D.\"\ntags: [detention]\ndraft: true",
            "Xylophonic.\n",
        )
        .story(
            "later",
            "title: Later\ndate: 2999-01-01\nsummary: \"L.\"\ntags: [detention, campaign]",
            "Quokkalike.\n",
        )
        .resolution(
            "year-only",
            "title: \"Year only\"\nbody: \"UN General Assembly\"\nadopted: 2014\nkind: resolution\n\
             paragraphs:\n  - number: 3\n    summary: \"Detention is never in a child's interests.\"",
            "Why it matters.\n",
        )
        .resolution(
            "month-only",
            "title: \"Month only\"\nbody: \"Committee on the Rights of the Child\"\nadopted: 2014-12\nkind: general-comment",
            "",
        )
        .resolution(
            "full-date",
            "title: \"Full date\"\nsymbol: \"A/RES/69/187\"\nbody: \"UN General Assembly\"\nadopted: 2014-12-18\nkind: resolution",
            "",
        )
        .resolution(
            "res-draft",
            "title: \"Unfinished\"\nbody: \"UN General Assembly\"\nadopted: 2020\nkind: resolution\ndraft: true",
            "Zebrafishlike.\n",
        );
    for n in 0..22 {
        t = t.story(
            &format!("many-{n:02}"),
            &format!(
                "title: \"Many {n}\"\ndate: 2023-01-{:02}\nsummary: \"M.\"\ntags: [many]",
                n + 1
            ),
            "Text.\n",
        );
    }
    t
}

fn check_feeds(out: &Outcome) {
    let ids = |rel: &str| atom_ids(&out.output(rel));
    let json = |rel: &str| json_ids(&out.output(rel));
    let first_two = urls(&["stories/first/", "stories/second/"]);
    assert_eq!(ids("tags/detention/atom.xml"), first_two);
    assert_eq!(json("tags/detention/feed.json"), first_two);
    assert_eq!(ids("tags/campaign/atom.xml"), urls(&["stories/first/"]));
    assert_eq!(json("tags/campaign/feed.json"), urls(&["stories/first/"]));
    // The newest 20 of the tag's 22, newest first.
    let many: Vec<String> = (2..22)
        .rev()
        .map(|n| format!("https://example.org/stories/many-{n:02}/"))
        .collect();
    assert_eq!(ids("tags/many/atom.xml"), many);
    assert_eq!(json("tags/many/feed.json"), many);
    let stories = ids("stories/atom.xml");
    assert_eq!(stories.len(), 20);
    assert_eq!(stories[..2], first_two);
    assert_eq!(json("stories/feed.json"), stories);
    // Newest adopted first; a year or a month alone is dated by its first day.
    let res = urls(&[
        "resolutions/full-date/",
        "resolutions/month-only/",
        "resolutions/year-only/",
    ]);
    assert_eq!(ids("resolutions/atom.xml"), res);
    assert_eq!(json("resolutions/feed.json"), res);
    let atom = out.output("resolutions/atom.xml");
    for date in ["2014-12-18", "2014-12-01", "2014-01-01"] {
        assert!(
            atom.contains(&format!("<updated>{date}T00:00:00Z</updated>")),
            "{date}: {atom}"
        );
    }
    assert!(atom.contains("<author><name>UN General Assembly</name></author>"));
    let feed: serde_json::Value =
        serde_json::from_str(&out.output("resolutions/feed.json")).expect("JSON");
    let year_only = &feed["items"][2];
    assert_eq!(year_only["date_published"], "2014-01-01T00:00:00Z");
    assert_eq!(
        year_only["summary"],
        "Detention is never in a child's interests."
    );
    assert!(
        year_only["content_html"]
            .as_str()
            .is_some_and(|h| h.contains("Why it matters."))
    );
    // Full texts, with the site's addresses made absolute.
    let tag = out.output("tags/detention/atom.xml");
    assert!(
        tag.contains("href=&quot;https://example.org/stories/second/&quot;"),
        "{tag}"
    );
    for rel in [
        "stories/atom.xml",
        "stories/feed.json",
        "tags/detention/atom.xml",
        "tags/detention/feed.json",
        "tags/campaign/atom.xml",
        "resolutions/atom.xml",
        "resolutions/feed.json",
    ] {
        let text = out.output(rel);
        for word in ["Xylophonic", "Quokkalike", "Zebrafishlike"] {
            assert!(!text.contains(word), "{rel} holds {word}");
        }
    }
}

#[test]
fn each_feed_lists_exactly_its_published_entries() {
    let out = site().run().success();
    check_feeds(&out);
    // A preview build shows drafts and future stories on pages, never in feeds.
    let out = (out.then().args(&["build", "--drafts"]).run())
        .success()
        .page("stories/draft/", "Xylophonic");
    check_feeds(&out);
}

#[test]
fn pages_name_their_feeds() {
    let out = site().run().success();
    // A `<link rel="alternate">` of the feed's type to `href`, on one line of the head.
    let has = |rel: &str, kind: &str, href: &str| {
        let html = out.output(rel);
        let found = html.lines().any(|l| {
            l.starts_with("<link rel=\"alternate\"")
                && l.contains(&format!("type=\"application/{kind}\""))
                && l.ends_with(&format!("href=\"{href}\">"))
        });
        assert!(found, "{rel} does not link to {href}:\n{html}");
    };
    let lacks = |rel: &str, href: &str| {
        let html = out.output(rel);
        assert!(
            !html.contains(&format!("href=\"{href}\"")),
            "{rel} links to {href}"
        );
    };
    for page in [
        "",
        "stories/first/",
        "tags/detention/",
        "tags/many/page/2/",
        "resolutions/",
        "resolutions/year-only/",
    ] {
        has(page, "atom+xml", "/stories/atom.xml");
        has(page, "feed+json", "/stories/feed.json");
    }
    has("tags/detention/", "atom+xml", "/tags/detention/atom.xml");
    has("tags/detention/", "feed+json", "/tags/detention/feed.json");
    has("tags/many/page/2/", "atom+xml", "/tags/many/atom.xml");
    for page in ["resolutions/", "resolutions/year-only/"] {
        has(page, "atom+xml", "/resolutions/atom.xml");
        has(page, "feed+json", "/resolutions/feed.json");
    }
    lacks("stories/first/", "/resolutions/atom.xml");
    lacks("stories/first/", "/tags/detention/atom.xml");
    lacks("tags/detention/", "/resolutions/atom.xml");
}

/// Titles, summaries, authors and texts that would end an element, a CDATA section or a
/// script, and characters XML 1.0 forbids (through YAML escapes, which content files may
/// hold where they may not hold the characters themselves).
fn hostile() -> Test {
    Test::new()
        .builtin_theme()
        .story(
            "bad",
            "title: \"Breaking </script><script>alert(1)</script> ]]> & <!-- \\x01\\x0b\\x1f \\uFFFE \\uFFFF\"\n\
             date: 2020-01-02\nsummary: \"]]> </SCRIPT > \\x00 <b>bold</b>\"\nauthor: \"<x> & \\x02\"\ntags: [\"<odd> & ]]>\"]",
            "Text ]]> </script> <![CDATA[ x ]]> &#1; &#xFFFE; and `]]>`.\n",
        )
        .resolution(
            "bad-res",
            "title: \"Res ]]> </script> \\x03\"\nbody: \"<Body> & \\x04\"\nadopted: 2015\nkind: resolution\n\
             paragraphs:\n  - number: 1\n    summary: \"]]> \\x05 </script>\"",
            "Why ]]> </script>.\n",
        )
}

/// Every feed file of a built site: (path under public/, text).
fn feeds(out: &Outcome) -> Vec<(String, String)> {
    snapshot(&out.test.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with("atom.xml") || p.ends_with("feed.json"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("utf-8")))
        .collect()
}

#[test]
fn hostile_titles_make_well_formed_feeds() {
    let out = hostile().run().success();
    let all = feeds(&out);
    assert!(
        all.len() >= 6,
        "{:?}",
        all.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, text) in &all {
        let n = if path.ends_with(".xml") {
            atom_ids(text).len()
        } else {
            json_ids(text).len()
        };
        assert_eq!(n, 1, "{path}");
        for c in ['\u{0}', '\u{1}', '\u{b}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            assert!(!text.contains(c), "{path} holds U+{:04X}", c as u32);
        }
        // Markup in a title is text: escaped in XML; in a JSON Feed, a string like any other.
        if path.ends_with(".xml") {
            assert!(!text.contains("<script>alert"), "{path}");
        }
    }
    // What the reader sees is the title, with only the forbidden characters replaced.
    let doc = out.output("stories/atom.xml");
    let doc = roxmltree::Document::parse(&doc).expect("XML");
    let title = doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "title")))
        .nth(1)
        .and_then(|n| n.text())
        .expect("the entry's title");
    assert_eq!(
        title,
        "Breaking </script><script>alert(1)</script> ]]> & <!-- \u{fffd}\u{fffd}\u{fffd} \u{fffd} \u{fffd}"
    );
    let feed: serde_json::Value =
        serde_json::from_str(&out.output("stories/feed.json")).expect("JSON");
    assert!(
        feed["items"][0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Breaking </script>"))
    );
}

/// A tool a test needs: `Some(path)` when it is there; `None` (the test then skips with a
/// notice) when it is not and CI did not say tools are required.
fn tool(test: &str, found: Option<String>, why: &str) -> Option<String> {
    if found.is_some() {
        return found;
    }
    if std::env::var("RALLY_BROWSER_TESTS").as_deref() == Ok("required") {
        panic!("{test}: {why} (RALLY_BROWSER_TESTS=required, so this is a failure)");
    }
    // Straight to stderr, past the test harness's capture, so a skip is seen.
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {why}");
    None
}

/// The Python with feedparser that `RALLY_FEEDPARSER_PYTHON` names, if it works.
fn feedparser(test: &str) -> Option<String> {
    let python = std::env::var("RALLY_FEEDPARSER_PYTHON").ok().filter(|p| {
        Command::new(p)
            .args(["-c", "import feedparser"])
            .status()
            .is_ok_and(|s| s.success())
    });
    tool(
        test,
        python,
        "RALLY_FEEDPARSER_PYTHON does not name a Python with feedparser (.ci/run makes one)",
    )
}

/// Reads each feed file under `dir` with feedparser: path → (bozo, entries).
fn parse_with_feedparser(
    python: &str,
    dir: &Path,
    files: &[String],
) -> BTreeMap<String, (i64, usize)> {
    const SCRIPT: &str = r#"
import json, sys, feedparser
out = {}
for path in sys.argv[2:]:
    d = feedparser.parse(sys.argv[1] + "/" + path)
    out[path] = [int(bool(d.bozo)), len(d.entries), str(d.get("bozo_exception", ""))]
print(json.dumps(out))
"#;
    let run = Command::new(python)
        .args(["-c", SCRIPT])
        .arg(dir)
        .args(files)
        .output()
        .expect("run python");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let parsed: BTreeMap<String, (i64, usize, String)> =
        serde_json::from_slice(&run.stdout).expect("feedparser's report");
    parsed
        .into_iter()
        .map(|(path, (bozo, n, why))| {
            assert_eq!(bozo, 0, "feedparser finds {path} ill-formed: {why}");
            (path, (bozo, n))
        })
        .collect()
}

#[test]
fn feedparser_reads_every_feed() {
    let Some(python) = feedparser("feedparser_reads_every_feed") else {
        return;
    };
    for out in [Test::bundled().run().success(), hostile().run().success()] {
        // The Atom feeds: feedparser 6 does not read JSON Feeds (checked in Rust, by
        // `json_ids`, in the other tests).
        let mut all = feeds(&out);
        all.retain(|f| f.0.ends_with(".xml"));
        assert!(all.len() >= 3);
        let files: Vec<String> = all.iter().map(|f| f.0.clone()).collect();
        let read = parse_with_feedparser(&python, &out.test.path("public"), &files);
        assert_eq!(read.len(), all.len());
        for (path, text) in &all {
            let expected = atom_ids(text).len();
            assert_eq!(read[path].1, expected, "{path}: entries feedparser sees");
        }
    }
}

#[test]
fn the_bundled_sites_feeds_in_every_language() {
    let out = Test::bundled().run().success();
    let all = feeds(&out);
    for lang in ["", "es/", "fr/", "ar/"] {
        for feed in [
            "stories/atom.xml",
            "stories/feed.json",
            "resolutions/atom.xml",
            "resolutions/feed.json",
        ] {
            let path = format!("{lang}{feed}");
            assert!(all.iter().any(|f| f.0 == path), "{path} missing");
        }
        let tag_feeds = all
            .iter()
            .filter(|f| f.0.starts_with(&format!("{lang}tags/")) && f.0.ends_with("/atom.xml"))
            .count();
        assert!(tag_feeds > 0, "{lang}: no tag feeds");
    }
    for (path, text) in &all {
        let n = if path.ends_with(".xml") {
            atom_ids(text).len()
        } else {
            json_ids(text).len()
        };
        assert!((1..=20).contains(&n), "{path}: {n} entries");
    }
    // A Spanish tag page names its Spanish feeds.
    let es_tag = all
        .iter()
        .find(|f| f.0.starts_with("es/tags/") && f.0.ends_with("/atom.xml"))
        .map(|f| f.0.trim_end_matches("atom.xml").to_string())
        .expect("a Spanish tag feed");
    out.page(&es_tag, &format!("href=\"/{es_tag}atom.xml\""));
}

/// `xmllint`, if it is installed.
fn xmllint(test: &str) -> Option<String> {
    let works = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    tool(
        test,
        works.then(|| "xmllint".to_string()),
        "xmllint is not installed (Debian: libxml2-utils)",
    )
}

/// Validates `file` against the schema `xsd` (in tests/data/) with xmllint.
fn validate(xmllint: &str, xsd: &str, file: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(xsd);
    let run = Command::new(xmllint)
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("run xmllint");
    assert!(
        run.status.success(),
        "{} does not validate against {xsd}:\n{}",
        file.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The `<loc>`s of a sitemap or sitemap index.
fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("XML");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

/// Checks every sitemap of a built site: each validates against its schema (the sitemap's
/// with the xhtml:link alternates, or the index's), and each address is a built page or,
/// in an index, a built sitemap. Returns the number of files that were an index.
fn check_sitemaps(out: &Outcome, xmllint: &str, origin: &str) -> usize {
    let public = out.test.path("public");
    let mut indexes = 0;
    let robots = out.output("robots.txt");
    let named: Vec<&str> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap: "))
        .collect();
    assert!(!named.is_empty(), "{robots}");
    let mut todo: Vec<String> = named.iter().map(|s| s.to_string()).collect();
    let mut pages = 0;
    while let Some(url) = todo.pop() {
        let rel = url.strip_prefix(origin).unwrap_or_else(|| panic!("{url}"));
        let file = public.join(rel);
        let xml = out.output(rel);
        if xml.contains("<sitemapindex") {
            indexes += 1;
            validate(xmllint, "siteindex.xsd", &file);
            todo.extend(locs(&xml));
            continue;
        }
        validate(xmllint, "sitemap-hreflang.xsd", &file);
        for loc in locs(&xml) {
            let rel = loc.strip_prefix(origin).unwrap_or_else(|| panic!("{loc}"));
            let built = if rel.is_empty() || rel.ends_with('/') {
                public.join(rel).join("index.html")
            } else {
                public.join(rel)
            };
            assert!(built.is_file(), "{loc} (in {url}) was not built");
            pages += 1;
        }
    }
    assert!(pages > 0);
    indexes
}

#[test]
fn sitemaps_validate_and_name_only_built_pages() {
    let Some(xmllint) = xmllint("sitemaps_validate_and_name_only_built_pages") else {
        return;
    };
    let origin = "https://endchilddetention.example.org/";
    let out = Test::bundled().run().success();
    assert_eq!(check_sitemaps(&out, &xmllint, origin), 0);
    let whole = locs(&out.output("sitemap.xml"));
    // Past the limit (lowered for the test: 50,001 addresses take minutes in a debug build),
    // each language's sitemap.xml is an index of parts with every address once.
    let out = out
        .then()
        .env("RALLY_TEST_SITEMAP_MAX_URLS", "40")
        .run()
        .success();
    assert!(check_sitemaps(&out, &xmllint, origin) >= 1);
    let index = out.output("sitemap.xml");
    let parts = locs(&index);
    assert_eq!(parts.len(), whole.len().div_ceil(40), "{index}");
    let mut split = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        assert_eq!(*part, format!("{origin}sitemap-{}.xml", k + 1));
        let urls = locs(&out.output(&format!("sitemap-{}.xml", k + 1)));
        assert!(urls.len() <= 40);
        split.extend(urls);
    }
    assert_eq!(split, whole);
    // The robots.txt still names each language's sitemap.xml.
    out.page("robots.txt", &format!("Sitemap: {origin}sitemap.xml"))
        .page("robots.txt", &format!("Sitemap: {origin}es/sitemap.xml"));
}
