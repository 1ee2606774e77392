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
