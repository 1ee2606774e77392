//! Markdown that stays Markdown: what writers type (email autolinks, percent-encoded file
//! names, text pasted from word processors, headings named like the theme's landmarks)
//! publishes as CommonMark says, and the CommonMark spec's own examples build as the spec
//! renders them (`commonmark.rs`).

use crate::support::Test;

const FRONT: &str = "title: S\ndate: 2020-01-01\nsummary: s";

#[test]
fn email_autolinks_publish_as_mailto_links() {
    Test::new()
        .story("s", FRONT, "Write to <info@example.org>.\n")
        // A file of that name beside the story must not capture the address.
        .file("content/stories/info@example.org", "x")
        .run()
        .success()
        .page(
            "stories/s/",
            r#"<a href="mailto:info@example.org">info@example.org</a>"#,
        );
}

#[test]
fn percent_encoded_links_reach_bundle_files() {
    Test::new()
        .file(
            "content/stories/x/index.md",
            &format!(
                "---\n{FRONT}\n---\n[a](my%20file.pdf) [b](my%20file.pdf#page=2) [c](<my file.pdf>) \
                 [d](/stories/x/my%20file.pdf)\n"
            ),
        )
        .file("content/stories/x/my file.pdf", "%PDF")
        .run()
        .success()
        .page("stories/x/", r#"<a href="/stories/x/my%20file.pdf">a</a>"#)
        .page(
            "stories/x/",
            r#"<a href="/stories/x/my%20file.pdf#page=2">b</a>"#,
        )
        .page("stories/x/", r#"<a href="/stories/x/my%20file.pdf">c</a>"#)
        .page("stories/x/", r#"<a href="/stories/x/my%20file.pdf">d</a>"#)
        .exists("stories/x/my file.pdf");
}

#[test]
fn a_percent_encoded_link_to_no_file_is_still_reported() {
    let out = Test::new()
        .file(
            "content/stories/x/index.md",
            &format!("---\n{FRONT}\n---\n[a](my%20fiel.pdf)\n"),
        )
        .file("content/stories/x/my file.pdf", "%PDF")
        .run()
        .failure(1);
    assert_eq!(
        out.stderr,
        concat!(
            "error: the page or file `my%20fiel.pdf` does not exist\n",
            "  ┌─ content/stories/x/index.md:6:5\n",
            "  │\n",
            "6 │ [a](my%20fiel.pdf)\n",
            "  │     ^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: did you mean `my%20file.pdf`?\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        )
    );
}

/// Every `id="…"` in `html`.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// Asserts that no id is given twice in the output page at `rel`; returns the page.
fn ids_are_unique(out: &crate::support::Outcome, rel: &str) -> String {
    let page = out.output(rel);
    let found = ids(&page);
    let mut unique = found.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(found.len(), unique.len(), "{rel}: repeated ids: {found:?}");
    page
}

#[test]
fn heading_ids_never_repeat_the_themes_or_footnotes_ids() {
    let body = "See [the main part](#main) and [one](#1).\n\n## Main\n\n## Story title\n\n\
                ## Share title\n\n## 1\n\n## Main\n\nA note[^1] and another[^main].\n\n\
                [^1]: One.\n\n[^main]: Two.\n";
    let out = Test::new()
        .builtin_theme()
        .story("s", FRONT, body)
        .file(
            "content/about.md",
            &format!("---\ntitle: About\n---\n{body}"),
        )
        .run()
        .success();
    let story = ids_are_unique(&out, "stories/s/");
    for piece in [
        // Footnotes are named first: `[^main]` gets `main-1`, so the headings `Main` get the
        // next free ids.
        r#"<div class="footnote-definition" id="main-1">"#,
        r##"<a href="#main-1">2</a>"##,
        r#"<div class="footnote-definition" id="1">"#,
        r#"<h2 id="main-2">Main</h2>"#,
        r#"<h2 id="story-title-1">Story title</h2>"#,
        r#"<h2 id="share-title-1">Share title</h2>"#,
        r#"<h2 id="1-1">1</h2>"#,
        r#"<h2 id="main-3">Main</h2>"#,
        // The in-page link follows the heading; `#1` is the footnote's.
        r##"<a href="#main-2">the main part</a>"##,
        r##"<a href="#1">one</a>"##,
        r#"<main id="main""#,
    ] {
        assert!(story.contains(piece), "lacks {piece}:\n{story}");
    }
    // The page's table of contents links to the headings' ids.
    let page = ids_are_unique(&out, "about/");
    for piece in [
        r##"<a href="#main-2">Main</a>"##,
        r##"<a href="#1-1">1</a>"##,
    ] {
        assert!(page.contains(piece), "lacks {piece}:\n{page}");
    }
}

#[test]
fn links_from_other_pages_name_the_renamed_heading() {
    let out = Test::new()
        .story("a", FRONT, "## Main\n")
        .story("b", FRONT, "[x](@/stories/a.md#main)\n")
        .run()
        .failure(1);
    assert_eq!(
        out.stderr,
        concat!(
            "error: `stories/a.md` has no heading `#main`\n",
            "  ┌─ content/stories/b.md:6:19\n",
            "  │\n",
            "6 │ [x](@/stories/a.md#main)\n",
            "  │                   ^^^^^ broken anchor\n",
            "  │\n",
            "  = help: did you mean `#main-1`?\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        )
    );
}

#[test]
fn control_characters_pasted_into_a_body_are_refused_with_their_place() {
    let out = Test::new()
        .story("s", FRONT, "Text\u{0B} here.\n\nAnd\u{0C} more\u{01}.\n")
        .run()
        .failure(1);
    assert_eq!(
        out.stderr,
        concat!(
            "error: a control character (U+000B, vertical tab) is in the text\n",
            "  ┌─ content/stories/s.md:6:5\n",
            "  │\n",
            "6 │ Text␋ here.\n",
            "  │     ^ invisible character here\n",
            "  │\n",
            "  = help: it usually comes from pasting from a word processor, and most editors do not \
             show it; delete it: put the cursor just after the place shown and press Backspace \
             (or retype the words around it); this file has 2 more, on line 8\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        )
    );
}

#[test]
fn control_characters_in_front_matter_and_c1_controls_are_refused_too() {
    Test::new()
        .story(
            "s",
            "title: \"A\u{0B}B\"\ndate: 2020-01-01\nsummary: s",
            "Text\u{85}.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "error: a control character (U+000B, vertical tab) is in the text",
            "content/stories/s.md:2:10",
            "this file has 1 more, on line 6",
        ]);
}

/// `rel` under public/ parses as XML (roxmltree refuses what XML 1.0 forbids).
fn parses_as_xml(out: &crate::support::Outcome, rel: &str) -> String {
    let text = out.output(rel);
    if let Err(e) = roxmltree::Document::parse(&text) {
        panic!("public/{rel} is not well-formed XML: {e}\n{text}");
    }
    text
}

#[test]
fn the_feed_of_a_site_with_every_kind_of_text_is_well_formed_xml() {
    let out = Test::new()
        .builtin_theme()
        .story(
            "s",
            "title: \"Tom & Jerry <3 “quotes”\"\ndate: 2020-01-01\nsummary: \"a < b & c\"",
            "\"Quotes\" -- and... &amp; &copy; &#11; &#xFFFE; &#0; [t](https://example.org \"&#12;\")\n\n\
             <div>raw <b>HTML</b> &nbsp;</div>\n\n`code <&>`\n\n```\n<pre> & \n```\n\n\
             Note[^1] ünïcödé 日本語 😀\n\n[^1]: n\n",
        )
        .run()
        .success();
    let feed = parses_as_xml(&out, "stories/atom.xml");
    parses_as_xml(&out, "sitemap.xml");
    assert!(
        feed.contains("\u{fffd}") && !feed.contains('\u{0b}'),
        "{feed}"
    );
    let page = out.output("stories/s/");
    assert!(
        !page.contains(|c: char| rally::chars::is_forbidden(c)),
        "{page}"
    );
    assert!(page.contains("title=\"\u{fffd}\""), "{page}");
}
