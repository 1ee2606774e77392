//! The CommonMark spec's 652 examples (`tests/data/commonmark-spec.json`), built as one site:
//! one page per example, published through a template that prints only the body. Each page
//! must be the spec's HTML, but for three documented choices of rally (see docs/writing.md),
//! which are undone before comparing:
//!
//! - smart punctuation: curly quotes, dashes and ellipses are turned back into `"`, `'`,
//!   `--`, `---` and `...`;
//! - heading ids: `id="…"` on `<h1>`–`<h6>` is removed;
//! - addresses: a relative address (no scheme, not `#…`, not `//…`) in the spec's HTML is
//!   written as rally publishes it: `/` followed by the path from the site's top with `.`
//!   and `..` segments and repeated `/` resolved (each page is at the top of `content/`, so
//!   `foo` is `/foo`), the query and fragment kept; a relative address ending in `.md` names
//!   a content file and is published as its page's address (`target.md` is `/target/`).
//!
//! One difference of spelling is not a difference of HTML: pulldown-cmark writes a double
//! quote in text as `"`, the spec as `&quot;`, which is the same text; outside tags, `&quot;`
//! is read as `"` on both sides ("quote escaping" in the counts).
//!
//! The site is built twice. First with raw HTML kept (pages are trusted by default, see
//! `raw_html` in site.yaml). Rally resolves the addresses of Markdown links and images only,
//! not those inside raw HTML; the address normalisation rewrites every `href` and `src` of
//! the spec's HTML, but only for an example that does not already match as it is (no example
//! has both raw HTML addresses and Markdown links). Then with pages' raw HTML
//! sanitised, as partner texts are: the spec's HTML is passed through the same sanitiser
//! (which removes scripts and event handlers, and writes the HTML its own way) before
//! comparing, so the test checks that cleaning changes nothing but what it changes in the
//! spec's own HTML.
//!
//! Every other difference fails the test with the example's number and both HTMLs; an example
//! that differs must be listed in `EXPECTED_DIFFERENCES` with its reason, and the list may not
//! hold an example that no longer differs.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet as HashSet;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::support::Test;

/// Examples whose output differs from the spec's beyond the normalisations, each with why, in
/// both runs (raw HTML kept and sanitised). Kept exact both ways: a new difference fails, and
/// so does a listed one that is gone.
const EXPECTED_DIFFERENCES: &[(usize, &str)] = &[
    // `- <div>`: pulldown-cmark writes `<li><div>`, the spec `<li>\n<div>`. A line break
    // between the tags, which a browser ignores there.
    (
        175,
        "no line break between <li> and an HTML block that opens the item",
    ),
];

/// A normalisation: its name in the counts, and whether it applies to rally's HTML too (or only
/// to the spec's, to write it as rally publishes).
struct Step {
    name: &'static str,
    apply: fn(&str) -> String,
    on_ours: bool,
}

const STEPS: [Step; 4] = [
    Step {
        name: "heading ids",
        apply: without_heading_ids,
        on_ours: true,
    },
    Step {
        name: "addresses",
        apply: published_addresses,
        on_ours: false,
    },
    Step {
        name: "smart punctuation",
        apply: plain_punctuation,
        on_ours: true,
    },
    Step {
        name: "quote escaping",
        apply: plain_quotes,
        on_ours: true,
    },
];

#[derive(serde::Deserialize)]
struct Example {
    markdown: String,
    html: String,
    example: usize,
    section: String,
}

/// Whether an address leads off the site or within the page (rally keeps it as written).
fn kept(dest: &str) -> bool {
    let scheme = dest.find(':').is_some_and(|i| {
        i > 0
            && dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || scheme
}

/// The path of `dest` from the site's top, `.` and `..` resolved (None above the top), and
/// the query and fragment after it.
fn split(dest: &str) -> (Option<String>, &str) {
    let cut = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(cut);
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    return (None, rest);
                }
            }
            s => out.push(s),
        }
    }
    let mut p = out.join("/");
    if path.ends_with('/') && !p.is_empty() {
        p.push('/');
    }
    (Some(p), rest)
}

/// The files the links and images of `markdown` lead to, as paths from the site folder: a
/// file under `static/`, or a page under `content/` for a `.md` link.
fn targets(markdown: &str, into: &mut BTreeSet<String>) {
    for event in Parser::new_ext(markdown, rally::markdown::options()) {
        let dest = match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if kept(&dest) {
            continue;
        }
        if let (Some(path), _) = split(&dest) {
            let path = percent_encoding::percent_decode_str(&path)
                .decode_utf8()
                .map_or(path.clone(), |d| d.into_owned());
            let file = if path.ends_with(".md") && !dest.starts_with('/') {
                format!("content/{path}")
            } else if path.is_empty() || path.ends_with('/') {
                format!("static/{path}index.html")
            } else {
                format!("static/{path}")
            };
            into.insert(file);
        }
    }
}

/// The spec's HTML with its relative addresses as rally publishes them.
fn published_addresses(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let i = match (rest.find(" href=\""), rest.find(" src=\"")) {
            (Some(h), Some(s)) => h.min(s),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let start = i + rest[i..].find('"').unwrap_or(0) + 1;
        let end = start + rest[start..].find('"').unwrap_or(0);
        out.push_str(&rest[..start]);
        let value = &rest[start..end];
        // An attribute (inside a tag), not text that reads like one (`<code>href="x"</code>`).
        let before = &html[..html.len() - rest.len() + i];
        let in_tag = before.rfind('<') > before.rfind('>');
        match split(value) {
            (Some(path), tail) if in_tag && !kept(value) => {
                out.push('/');
                match path.strip_suffix(".md") {
                    Some(page) if !value.starts_with('/') => {
                        out.push_str(page);
                        out.push('/');
                    }
                    _ => out.push_str(&path),
                }
                out.push_str(tail);
            }
            _ => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Smart punctuation turned back into what it was typed as.
fn plain_punctuation(html: &str) -> String {
    html.replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace('\u{2014}', "---")
        .replace('\u{2013}', "--")
        .replace('\u{2026}', "...")
}

/// `html` with `&quot;` outside tags written `"`, as it reads.
fn plain_quotes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut rest = html;
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if !in_tag && rest.starts_with("&quot;") {
            out.push('"');
            rest = &rest[6..];
            continue;
        }
        match rest.as_bytes()[0] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ => {}
        }
        out.push_str(&rest[..1]);
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// `html` without the `id` rally gives headings.
fn without_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        let tag = &rest[i..];
        let level = tag.as_bytes().get(2).copied().unwrap_or(0);
        if (b'1'..=b'6').contains(&level) && tag[3..].starts_with(" id=\"") {
            let close = tag[8..].find('"').map_or(0, |j| 8 + j + 1);
            out.push_str(&rest[..i + 3]);
            rest = &rest[i + close..];
        } else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn the_commonmark_spec_examples_build_as_the_spec_renders_them() {
    let text = include_str!("data/commonmark-spec.json");
    let examples: Vec<Example> = serde_json::from_str(text).expect("the spec's examples");
    assert_eq!(examples.len(), 652);
    let mut files = BTreeSet::new();
    let mut site = Test::new().template("page.html", "{{ page.content }}");
    for e in &examples {
        targets(&e.markdown, &mut files);
        site = site.file(
            &format!("content/e{:03}.md", e.example),
            &format!("---\ntitle: Example {}\n---\n{}", e.example, e.markdown),
        );
    }
    for f in &files {
        let text = if f.ends_with(".md") {
            "---\ntitle: T\n---\n"
        } else {
            ""
        };
        site = site.file(f, text);
    }
    let out = site.run().success();
    compare(
        "trusted",
        &examples,
        |e| out.output(&format!("e{:03}/", e.example)),
        |e| e.html.clone(),
        EXPECTED_DIFFERENCES,
    );
    // The same examples in a collection whose raw HTML is not trusted: rally's HTML must be
    // the spec's after both pass through the sanitiser (which also writes both the same way).
    let out = out
        .then()
        .file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\ntheme: test\n\
             raw_html:\n  pages: false\n",
        )
        .run()
        .success();
    let no_ids = HashSet::default();
    let ids = rally::markdown::MarkdownIds {
        headings: &no_ids,
        footnotes: &no_ids,
    };
    compare(
        "sanitised",
        &examples,
        |e| out.output(&format!("e{:03}/", e.example)),
        |e| rally::markdown::sanitize(&e.html, &ids).unwrap_or_default(),
        EXPECTED_DIFFERENCES,
    );
    let cleaned = examples
        .iter()
        .filter(|e| rally::markdown::sanitize(&e.html, &ids).as_deref() != Ok(e.html.as_str()))
        .count();
    eprintln!("(the sanitiser changes the spec's HTML of {cleaned} examples)");
}

/// Compares rally's page of each example (`ours`) with the spec's HTML (`theirs`), undoing the
/// normalisations; fails on a difference that is not `listed`, or on a listed example that no
/// longer differs.
fn compare(
    label: &str,
    examples: &[Example],
    ours_of: impl Fn(&Example) -> String,
    theirs_of: impl Fn(&Example) -> String,
    listed: &[(usize, &str)],
) {
    // How many examples match exactly, and how many needed each normalisation (some need
    // several).
    let mut exactly = 0;
    let mut needed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for e in examples {
        let mut ours = ours_of(e);
        let mut theirs = theirs_of(e);
        if ours == theirs {
            exactly += 1;
            continue;
        }
        let mut how = Vec::new();
        for step in STEPS {
            let a = if step.on_ours {
                (step.apply)(&ours)
            } else {
                ours.clone()
            };
            let b = (step.apply)(&theirs);
            if a != ours || b != theirs {
                how.push(step.name);
            }
            (ours, theirs) = (a, b);
        }
        if ours == theirs {
            for name in how {
                *needed.entry(name).or_default() += 1;
            }
        } else {
            unexplained.push((e.example, &e.section, &e.markdown, theirs, ours));
        }
    }
    let summary: Vec<String> = needed.iter().map(|(how, n)| format!("{how} {n}")).collect();
    eprintln!(
        "CommonMark examples ({label}): {exactly} of {} as the spec; after normalising: {}; \
         listed: {}",
        examples.len(),
        summary.join(", "),
        unexplained.len()
    );
    let listed: BTreeSet<usize> = listed.iter().map(|(n, _)| *n).collect();
    let differing: BTreeSet<usize> = unexplained.iter().map(|(n, ..)| *n).collect();
    let report: Vec<String> = unexplained
        .iter()
        .filter(|(n, ..)| !listed.contains(n))
        .map(|(n, section, md, theirs, ours)| {
            format!("example {n} ({section}):\n{md:?}\nspec:  {theirs:?}\nrally: {ours:?}\n")
        })
        .collect();
    assert!(
        report.is_empty(),
        "{label}: {} examples differ from the spec:\n{}",
        report.len(),
        report.join("\n")
    );
    let gone: Vec<&usize> = listed.difference(&differing).collect();
    assert!(
        gone.is_empty(),
        "{label}: listed as differing but now as the spec says: {gone:?}"
    );
}
