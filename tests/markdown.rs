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
