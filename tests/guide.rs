//! The writers' guide, `docs/content.md`, shows what builds: its examples are put into a copy
//! of the bundled site and `rally build` must accept them. An example that names a
//! resolution, partner, story or heading the site does not have fails the build, and so
//! this test.
//!
//! The guide marks its examples in the info string of a fenced code block (renderers such as
//! GitHub's read only the first word, for highlighting):
//!
//! - ```` ```markdown file=content/stories/x.md ````: a complete file, written at that path
//!   (replacing the bundled site's file there, if any);
//! - ```` ```yaml rows=content/partners.yaml ```` and ```` ```csv rows=content/partners.csv ````:
//!   rows of a partner list, which replace the rows of the same ids in `partners.yaml`;
//! - ```` ```markdown ```` without a marker: a piece of a story's text; all of them are put
//!   together into one story bundle.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::support::{Outcome, Test};

/// The file the guide tells writers to put beside a bundle's `index.md`; the test does that.
const BESIDE_BUNDLE: &str = "photo.jpg";

/// Where the guide's Markdown snippets are put together.
const SNIPPETS: &str = "content/stories/guide-snippets/index.md";

/// The embeds the guide must show in a snippet, so that each is built with real ids.
const EMBEDS: [&str; 6] = ["cite", "partner", "cta", "figure", "quote", "video"];

/// A fenced code block of the guide: the first word of its info string, its `key=value`
/// markers, and its text.
struct Block {
    lang: String,
    marks: Vec<(String, String)>,
    text: String,
}

impl Block {
    fn mark(&self, key: &str) -> Option<&str> {
        self.marks
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn guide() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn blocks(guide: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for event in Parser::new(guide) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let mut words = info.split_whitespace();
                let lang = words.next().unwrap_or("").to_string();
                let marks = words
                    .filter_map(|w| w.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                open = Some(Block {
                    lang,
                    marks,
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(b) = &mut open {
                    b.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The output page of a content file: `content/stories/a/index.md` is `stories/a/`.
fn page_of(file: &str) -> String {
    let inner = file.strip_prefix("content/").unwrap_or(file);
    let inner = inner.strip_suffix(".md").unwrap_or(inner);
    format!("{}/", inner.strip_suffix("/index").unwrap_or(inner))
}

/// The ids of a list snippet: `- id:` lines (YAML) or the first cell of each row (CSV).
fn row_ids(block: &Block) -> Vec<String> {
    if block.lang == "csv" {
        let rows = block.text.lines().skip(1).filter(|l| !l.trim().is_empty());
        rows.map(|l| l.split([',', ';']).next().unwrap_or("").trim().to_string())
            .collect()
    } else {
        let ids = block.text.lines().filter_map(|l| l.strip_prefix("- id:"));
        ids.map(|id| id.trim().to_string()).collect()
    }
}

/// `partners.yaml` without the rows of `ids` (a row runs from its `- id:` line to the next).
fn without_rows(list: &str, ids: &[String]) -> String {
    let mut out = String::new();
    let mut keep = true;
    for line in list.split_inclusive('\n') {
        if let Some(id) = line.strip_prefix("- id:") {
            keep = !ids.iter().any(|i| i == id.trim());
        }
        if keep {
            out.push_str(line);
        }
    }
    out
}

/// The bundled site with the guide's examples in it, and the pages they must give.
fn site_with_examples(guide: &str) -> (Test, Vec<String>) {
    let mut t = Test::bundled();
    let mut pages = Vec::new();
    let mut snippets = Vec::new();
    for block in blocks(guide) {
        if let Some(file) = block.mark("file") {
            assert!(
                file.starts_with("content/"),
                "example outside content/: {file}"
            );
            if file.ends_with("/index.md") {
                let beside = Path::new(file).with_file_name(BESIDE_BUNDLE);
                t = t.bytes(&beside.to_string_lossy(), &crate::support::tiny_jpeg());
            }
            t = t.file(file, &block.text);
            pages.push(page_of(file));
        } else if let Some(list) = block.mark("rows") {
            let ids = row_ids(&block);
            assert!(!ids.is_empty(), "no rows in the example of {list}");
            let mut yaml = without_rows(&t.read("content/partners.yaml"), &ids);
            if block.lang == "csv" {
                t = t.file(list, &block.text);
            } else {
                yaml = format!("{yaml}\n{}", block.text);
            }
            t = t.file("content/partners.yaml", &yaml);
            pages.extend(ids.iter().map(|id| format!("partners/{id}/")));
        } else if block.lang == "markdown" {
            snippets.push(block.text);
        }
    }
    for kind in ["stories/", "resolutions/", "partners/", "key-documents/"] {
        assert!(
            pages.iter().any(|p| p.starts_with(kind)),
            "the guide has no complete example giving {kind}"
        );
    }
    let body = snippets.join("\n");
    for embed in EMBEDS {
        assert!(
            body.contains(&format!("{{{{< {embed} ")),
            "no Markdown example in the guide shows the `{embed}` embed"
        );
    }
    let snippets_file = format!(
        "---\ntitle: \"The guide's examples\"\ndate: 2019-01-01\nsummary: \"Every \
         Markdown example of docs/content.md.\"\ntags: [campaign]\n---\n{body}"
    );
    let beside = Path::new(SNIPPETS).with_file_name(BESIDE_BUNDLE);
    t = t
        .bytes(&beside.to_string_lossy(), &crate::support::tiny_jpeg())
        .file(SNIPPETS, &snippets_file);
    pages.push(page_of(SNIPPETS));
    (t, pages)
}

#[test]
fn the_guides_examples_build() {
    let (t, pages) = site_with_examples(&guide());
    let mut out: Outcome = t.run().success();
    for page in &pages {
        out = out.exists(page);
        // An embed that is not read as one is published as typed, without an error.
        out = out.page_lacks(page, "{{&lt;");
    }
    // The examples are models: `rally check` gives no advice about them either.
    let out = out.then().args(&["check"]).run().success();
    for page in &pages {
        let id = page.trim_end_matches('/');
        assert!(
            !out.stderr.contains(&format!("content/{id}")),
            "rally check has advice about the guide's example {id}:\n{}",
            out.stderr
        );
    }
}

/// The test above fails when an example names an id the site does not have.
#[test]
fn an_example_naming_a_missing_id_fails_the_guide() {
    let good = guide();
    let broken = good.replace(
        "{{< partner defence-for-children >}}",
        "{{< partner defence-for-kids >}}",
    );
    assert_ne!(broken, good, "the story example lost its partner card");
    let (t, _) = site_with_examples(&broken);
    t.run()
        .failure(1)
        .stderr_has(&["there is no partner with id `defence-for-kids`"]);
}
