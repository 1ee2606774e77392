//! What static hosts read besides the pages (the publishing issue, part 2): aliases as
//! redirect pages and `_redirects` lines, `_headers` with the security headers and long
//! caching of fingerprinted files. The host files are parsed as Netlify and Cloudflare Pages
//! document them.

use std::collections::BTreeMap;

use crate::support::{Outcome, Test, snapshot};

/// `_redirects`: one rule a line, `from to [status]`, blank lines and `#` comments ignored.
fn redirect_rules(text: &str) -> Vec<(String, String, u16)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert!(f.len() == 3, "a rule has three fields: {l:?}");
            assert!(f[0].starts_with('/'), "from is a path: {l:?}");
            let status = f[2].parse().unwrap_or_else(|_| panic!("status: {l:?}"));
            (f[0].to_string(), f[1].to_string(), status)
        })
        .collect()
}

/// `_headers`: a path line at the start of a line, then its headers indented, `Name: value`.
fn header_rules(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut rules: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (name, value) = line.trim().split_once(':').expect("Name: value");
            let rule = rules.last_mut().expect("a header after a path");
            rule.1
                .insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        } else {
            assert!(line.starts_with('/'), "a path line: {line:?}");
            rules.push((line.to_string(), BTreeMap::new()));
        }
    }
    rules
}

/// Whether `url` (a path on the site) is a page or file of the output.
fn resolves(out: &Outcome, url: &str) -> bool {
    let rel = url.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    out.out_path(&file).is_file()
}

fn aliased() -> Test {
    Test::new()
        .story(
            "moved",
            "title: Moved\ndate: 2024-01-01\nsummary: A story with old addresses.\naliases:\n  - old/story/\n  - /2019/news.html\n  - news/2019",
            "Text.\n",
        )
        .simple_story("other", "2024-01-02")
}

#[test]
fn an_alias_is_a_redirect_page_and_a_redirects_line() {
    let out = aliased().run().success();
    for (file, from) in [
        ("old/story/index.html", "/old/story/"),
        ("2019/news.html", "/2019/news.html"),
        ("news/2019/index.html", "/news/2019/"),
    ] {
        let page = out.output(file);
        assert!(
            page.contains(r#"<meta http-equiv="refresh" content="0; url=/stories/moved/">"#),
            "{file}: {page}"
        );
        assert!(
            page.contains(r#"<link rel="canonical" href="https://example.org/stories/moved/">"#)
        );
        assert!(
            page.contains(r#"<a href="/stories/moved/">https://example.org/stories/moved/</a>"#)
        );
        assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
        let rules = redirect_rules(&out.output("_redirects"));
        assert!(
            rules.contains(&(from.into(), "/stories/moved/".into(), 301)),
            "{from}: {rules:?}"
        );
    }
    let rules = redirect_rules(&out.output("_redirects"));
    assert_eq!(rules.len(), 3);
    for (from, to, _) in &rules {
        assert!(resolves(&out, from) && resolves(&out, to), "{from} → {to}");
    }
}

#[test]
fn aliases_under_a_subpath_stay_in_it() {
    let out = aliased()
        .args(&["build", "--base-url", "https://example.org/campaign/"])
        .run()
        .success();
    let page = out.output("old/story/index.html");
    assert!(page.contains("url=/campaign/stories/moved/"), "{page}");
    let rules = redirect_rules(&out.output("_redirects"));
    assert!(rules.contains(&(
        "/campaign/old/story/".into(),
        "/campaign/stories/moved/".into(),
        301
    )));
}

#[test]
fn an_alias_leaving_the_site_is_an_error_at_its_line() {
    for (alias, says) in [
        ("../outside/", "leaves the site"),
        ("a/../../x/", "leaves the site"),
        ("https://evil.example/", "not an address on this site"),
        ("//evil.example/x", "not an address on this site"),
        ("javascript:alert(1)", "not an address on this site"),
        ("/", "the home page"),
        ("index.html", "the home page"),
        ("old/file.pdf", "`.pdf`"),
        ("a b/", "has a ` `"),
    ] {
        Test::new()
            .story(
                "s",
                &format!("title: S\ndate: 2024-01-01\nsummary: S.\naliases:\n  - \"{alias}\""),
                "Text.\n",
            )
            .run()
            .failure(1)
            .stderr_has(&[says, "content/stories/s.md:6:"]);
    }
}

#[test]
fn an_alias_that_is_a_page_or_another_alias_names_both_files() {
    // Another story's address.
    Test::new()
        .story(
            "a",
            "title: A\ndate: 2024-01-01\nsummary: A.\naliases: [stories/b/]",
            "Text.\n",
        )
        .simple_story("b", "2024-01-02")
        .run()
        .failure(1)
        .stderr_has(&["content/stories/b.md", "content/stories/a.md:5:"]);
    // A list page.
    Test::new()
        .story(
            "a",
            "title: A\ndate: 2024-01-01\nsummary: A.\naliases: [resolutions/]",
            "Text.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["the resolutions list", "content/stories/a.md:5:"]);
    // The same old address in two files.
    Test::new()
        .story(
            "a",
            "title: A\ndate: 2024-01-01\nsummary: A.\naliases: [old/]",
            "Text.\n",
        )
        .story(
            "b",
            "title: B\ndate: 2024-01-02\nsummary: B.\naliases: [/old]",
            "Text.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "also an alias in content/stories/b.md (`/old`)",
            "content/stories/a.md:5:",
        ]);
    // A file of static/.
    Test::new()
        .file("static/old/index.html", "<p>mine</p>")
        .story(
            "a",
            "title: A\ndate: 2024-01-01\nsummary: A.\naliases: [old/]",
            "Text.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["static/old/index.html", "content/stories/a.md:5:"]);
}

#[test]
fn an_alias_of_a_translation_may_not_be_a_page_of_another_language() {
    let languages =
        "languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n";
    let t = Test::new();
    let cfg = t.read("site.yaml") + languages;
    t.file("site.yaml", &cfg)
        .simple_story("launch", "2024-01-01")
        .simple_story("other", "2024-01-02")
        .file(
            "content/stories/launch.es.md",
            "---\ntitle: Lanzamiento\nsummary: Sobre el lanzamiento.\naliases: [stories/other/]\n---\nTexto.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["the address of content/stories/other.md", "content/stories/launch.es.md:4:"]);
}

#[test]
fn the_sites_own_redirects_come_first() {
    let out = aliased()
        .file(
            "static/_redirects",
            "# Ours\n/donate https://donate.example.org/ 302",
        )
        .run()
        .success();
    let text = out.output("_redirects");
    assert!(
        text.starts_with("# Ours\n/donate https://donate.example.org/ 302\n"),
        "{text}"
    );
    assert_eq!(redirect_rules(&text).len(), 4);
}

#[test]
fn the_headers_file_sets_the_security_headers_and_caches_fingerprinted_files() {
    let out = Test::bundled().run().success();
    let rules = header_rules(&out.output("_headers"));
    let all = &rules
        .iter()
        .find(|(p, _)| p == "/*")
        .expect("a rule for every page")
        .1;
    assert_eq!(all["x-content-type-options"], "nosniff");
    assert_eq!(all["referrer-policy"], "strict-origin-when-cross-origin");
    let csp = &all["content-security-policy"];
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("form-action 'self'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    // The theme's inline script is allowed by its digest, computed here independently.
    let home = out.output("index.html");
    let start = home.find("<script>").expect("the inline script") + "<script>".len();
    let script = &home[start..start + home[start..].find("</script>").expect("its end")];
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    assert!(csp.contains(&format!("'sha256-{digest}'")), "{csp}");

    // The stylesheet and the scripts are published under their digest, referenced by that
    // name, and cached for a year; their plain names are not published.
    let cached: Vec<&str> = rules
        .iter()
        .filter(|(_, h)| {
            h.get("cache-control")
                .is_some_and(|c| c.contains("immutable"))
        })
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(cached.len(), 3, "{cached:?}");
    for path in &cached {
        assert!(resolves(&out, path), "{path}");
    }
    let css = cached
        .iter()
        .find(|p| p.starts_with("/css/site."))
        .expect("the stylesheet");
    assert!(
        home.contains(&format!(r#"<link rel="stylesheet" href="{css}">"#)),
        "{css}"
    );
    let js = cached
        .iter()
        .find(|p| p.starts_with("/js/site."))
        .expect("site.js");
    assert!(home.contains(&format!(r#"<script src="{js}" defer>"#)));
    let search = cached
        .iter()
        .find(|p| p.starts_with("/js/search."))
        .expect("search.js");
    assert!(
        out.output("search/index.html")
            .contains(&format!(r#"src="{search}""#))
    );
    out.missing("css/site.css").missing("js/site.js");
}

#[test]
fn a_changed_stylesheet_gets_a_new_name_and_the_same_input_the_same_one() {
    let first = Test::bundled().run().success();
    let names = |out: &Outcome| -> Vec<String> {
        snapshot(&out.test.path("public"))
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.starts_with("css/"))
            .collect()
    };
    let before = names(&first);
    let again = first.then().run().success();
    assert_eq!(names(&again), before);
    let t = again.then();
    let css = t.read("themes/campaign/static/css/site.css") + "\n.x{color:red}\n";
    let changed = t
        .file("themes/campaign/static/css/site.css", &css)
        .run()
        .success();
    let after = names(&changed);
    assert_eq!(after.len(), 1);
    assert_ne!(after, before);
}

#[test]
fn form_endpoints_are_the_only_other_places_forms_may_post_to() {
    let t = Test::new();
    let cfg = t.read("site.yaml")
        + "forms:\n  contact_email: team@example.org\n  signup:\n    endpoint: https://formspree.io/f/abc\n";
    let out = t.file("site.yaml", &cfg).run().success();
    let rules = header_rules(&out.output("_headers"));
    let csp = &rules[0].1["content-security-policy"];
    assert!(
        csp.contains("form-action 'self' https://formspree.io mailto:;"),
        "{csp}"
    );
    // The test theme has no search page: no WebAssembly.
    assert!(!csp.contains("wasm-unsafe-eval"), "{csp}");
}

/// The text between `open` (up to its `>`) and `close`, each time it occurs.
fn elements(html: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let after = &rest[i..];
        let Some(start) = after.find('>') else { break };
        let Some(end) = after.find(close) else { break };
        out.push(after[start + 1..end].to_string());
        rest = &after[end..];
    }
    out
}

#[test]
fn minified_pages_keep_pre_scripts_and_structured_data_as_written() {
    let site = || {
        Test::new().builtin_theme().story(
            "code",
            "title: \"Code </script> & <b>bold</b>\"\ndate: 2024-01-01\nsummary: A story with a poem.",
            "Lines:\n\n```\n  indented   with   spaces\n\n    and a blank line above\n```\n\nAnd   some   text.\n",
        )
    };
    let plain = site().run().success();
    let small = site().args(&["build", "--minify"]).run().success();
    let page = "stories/code/index.html";
    let (a, b) = (plain.output(page), small.output(page));
    assert!(
        b.len() < a.len() * 9 / 10,
        "{} → {} bytes",
        a.len(),
        b.len()
    );
    // No line breaks left but those of the `<pre>` block.
    let pre = &elements(&b, "<pre", "</pre>")[0];
    assert!(
        !b.replace(pre.as_str(), "").trim_end().contains('\n'),
        "{b}"
    );
    assert_eq!(
        elements(&a, "<pre", "</pre>"),
        elements(&b, "<pre", "</pre>")
    );
    assert!(elements(&b, "<pre", "</pre>")[0].contains("  indented   with   spaces\n\n    and"));
    // Structured data and the inline script (allowed by its digest) are as written.
    let ld = |h: &str| elements(h, "application/ld+json", "</script>");
    assert_eq!(ld(&a), ld(&b));
    let json: serde_json::Value = serde_json::from_str(&ld(&b)[0]).expect("JSON-LD parses");
    assert_eq!(
        json["@graph"][1]["headline"],
        "Code </script> & <b>bold</b>"
    );
    assert_eq!(
        elements(&a, "<script>", "</script>"),
        elements(&b, "<script>", "</script>")
    );
    // `minify: true` in site.yaml does the same.
    let t = site();
    let cfg = t.read("site.yaml") + "minify: true\n";
    let configured = t.file("site.yaml", &cfg).run().success();
    assert_eq!(configured.output(page), b);
}
