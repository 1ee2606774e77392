//! Being found (the publishing issue, parts 4 and 5): every page describes the campaign in
//! schema.org JSON-LD, and entry pages their story, resolution or partner with the trail to
//! them; no field can end the script element; robots.txt names each language's sitemap.

use std::collections::BTreeMap;

use crate::support::{Test, snapshot};

/// The JSON-LD blocks of a page, parsed.
fn blocks(html: &str) -> Vec<serde_json::Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let end = after.find("</script>").expect("a closed script element");
        out.push(
            serde_json::from_str(&after[..end])
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{}", &after[..end])),
        );
        rest = &after[end..];
    }
    out
}

/// The page's schema.org types, by `@type`, with their objects.
fn types(html: &str) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for b in blocks(html) {
        assert_eq!(b["@context"], "https://schema.org");
        for node in b["@graph"].as_array().expect("@graph") {
            let t = node["@type"].as_str().expect("@type").to_string();
            out.insert(t, node.clone());
        }
    }
    out
}

#[test]
fn every_page_of_the_bundled_site_describes_itself() {
    let out = Test::bundled().run().success();
    let mut seen = BTreeMap::<&str, usize>::new();
    for (path, bytes) in snapshot(&out.test.path("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert_eq!(blocks(&html).len(), 1, "{path}: one JSON-LD block");
        let t = types(&html);
        assert!(t.contains_key("Organization"), "{path}: the campaign");
        // `[xx/]section/<id>/index.html`: an entry's page.
        let parts: Vec<&str> = path.split('/').collect();
        let parts = match parts.first() {
            Some(p) if p.len() == 2 => &parts[1..],
            _ => &parts[..],
        };
        let entry = |section: &str| {
            parts.len() == 3
                && parts[0] == section
                && parts[1] != "page"
                && parts[2] == "index.html"
        };
        if entry("stories") {
            let a = &t["NewsArticle"];
            assert!(
                a["headline"].as_str().is_some_and(|h| !h.is_empty()),
                "{path}"
            );
            assert!(
                a["datePublished"].as_str().is_some_and(|d| d.len() == 10),
                "{path}"
            );
            assert!(
                a["url"].as_str().is_some_and(|u| u.starts_with("https://")),
                "{path}"
            );
            assert!(t.contains_key("BreadcrumbList"), "{path}");
            *seen.entry("story").or_default() += 1;
        } else if entry("resolutions") {
            let legal = t.get("Legislation").or_else(|| t.get("CreativeWork"));
            let r = legal.unwrap_or_else(|| panic!("{path}: Legislation or CreativeWork"));
            assert!(r["name"].as_str().is_some(), "{path}");
            let crumbs = t["BreadcrumbList"]["itemListElement"]
                .as_array()
                .expect("crumbs");
            assert_eq!(crumbs.len(), 3, "{path}");
            *seen.entry("resolution").or_default() += 1;
        } else if entry("partners") {
            assert!(t.contains_key("BreadcrumbList"), "{path}");
            *seen.entry("partner").or_default() += 1;
        }
    }
    assert!(
        seen["story"] > 10 && seen["resolution"] > 10 && seen["partner"] > 5,
        "{seen:?}"
    );
    // The symbol of A/RES/69/187, read from its page.
    let html = out.output("resolutions/unga-res-69-187-migrant-children-adolescents/index.html");
    let t = types(&html);
    assert_eq!(t["Legislation"]["legislationIdentifier"], "A/RES/69/187");
    assert_eq!(t["Legislation"]["legislationDate"], "2014-12-18");
}

#[test]
fn no_field_can_end_the_script_element() {
    let title = "Breaking </script><script>alert(1)</script> & <!-- ]]> news";
    let out = Test::new()
        .builtin_theme()
        .story(
            "bad",
            &format!("title: '{title}'\ndate: 2020-01-01\nsummary: \"</SCRIPT > <b>bold</b>\"\nauthor: \"<script>x</script>\""),
            "Text.\n",
        )
        .run()
        .success();
    let html = out.output("stories/bad/index.html");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let t = types(&html);
    assert_eq!(t["NewsArticle"]["headline"], title);
    assert_eq!(t["NewsArticle"]["description"], "</SCRIPT > <b>bold</b>");
    assert_eq!(t["NewsArticle"]["author"]["name"], "<script>x</script>");
}

#[test]
fn robots_txt_names_every_languages_sitemap() {
    let out = Test::bundled().run().success();
    let robots = out.output("robots.txt");
    let maps: Vec<&str> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap: "))
        .collect();
    assert_eq!(maps.len(), 4, "{robots}");
    for url in maps {
        let file = url
            .strip_prefix("https://endchilddetention.example.org/")
            .unwrap_or_else(|| panic!("{url} is not the site's"));
        let xml = out.output(file);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    assert!(robots.contains("User-agent: *\nAllow: /"), "{robots}");
    let out = out.missing("es/robots.txt");
    // A site in one language: its one sitemap.
    let one = Test::new()
        .builtin_theme()
        .simple_story("first", "2024-01-01")
        .run()
        .success();
    assert_eq!(
        one.output("robots.txt")
            .lines()
            .filter(|l| l.starts_with("Sitemap: "))
            .collect::<Vec<_>>(),
        ["Sitemap: https://example.org/sitemap.xml"]
    );
    drop(out);
}

#[test]
fn the_json_feed_has_every_published_story_with_absolute_addresses() {
    let out = Test::new()
        .builtin_theme()
        .story(
            "first",
            "title: \"First </script> & more\"\ndate: 2024-01-02\nsummary: \"Sum.\"\ntags: [campaign]\nauthor: \"Ana\"",
            "See [the second](@/stories/second.md) and ![a map](/map.svg).\n",
        )
        .story("second", "title: Second\ndate: 2024-01-01\nsummary: \"S.\"", "Text.\n")
        .story("draft", "title: Draft\ndate: 2024-01-03\nsummary: \"D.\"\ndraft: true", "Xylophonic.\n")
        .story("later", "title: Later\ndate: 2999-01-01\nsummary: \"L.\"", "Quokkalike.\n")
        .file("static/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .run()
        .success()
        .page("stories/first/", "<link rel=\"alternate\" type=\"application/feed+json\"");
    let text = out.output("stories/feed.json");
    let feed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(feed["feed_url"], "https://example.org/stories/feed.json");
    let items = feed["items"].as_array().expect("items");
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/stories/first/",
            "https://example.org/stories/second/"
        ]
    );
    let first = &items[0];
    assert_eq!(first["title"], "First </script> & more");
    assert_eq!(first["date_published"], "2024-01-02T00:00:00Z");
    assert_eq!(first["authors"][0]["name"], "Ana");
    assert_eq!(first["tags"][0], "Campaign");
    let html = first["content_html"].as_str().expect("content_html");
    assert!(
        html.contains("href=\"https://example.org/stories/second/\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"https://example.org/map.svg\""),
        "{html}"
    );
    // Drafts and future stories stay out. (The feed is a file of its own, not a script
    // element: `</script>` in a title is written as it is, and read back above.)
    for word in ["Xylophonic", "Quokkalike"] {
        assert!(!text.contains(word), "the feed's text holds {word}");
    }
}
