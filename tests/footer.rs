//! The footer's keys in site.yaml (`footer:`): each is shown when set and absent when not,
//! links are resolved and refused when they could run a script (with file and line), text is
//! escaped, and the bundled site's footer links its privacy page.

use crate::support::{Outcome, Test};

const BASE: &str = "title: Test site\nbase_url: https://example.org/\n";

/// A site with the built-in theme, `extra` appended to site.yaml, and a privacy and an
/// about page.
fn site(extra: &str) -> Test {
    Test::new()
        .builtin_theme()
        .file("site.yaml", &format!("{BASE}{extra}"))
        .file(
            "content/privacy.md",
            "---\ntitle: Privacy\n---\nHow we handle data.\n",
        )
        .file(
            "content/act.md",
            "---\ntitle: Act\n---\n{{< form signup >}}\n",
        )
}

/// The home page's `<footer class="site-footer">`.
fn footer(out: &Outcome) -> String {
    let html = out.output("index.html");
    let start = html
        .find("<footer class=\"site-footer\">")
        .expect("a site footer");
    let end = start + html[start..].find("</footer>").expect("its end");
    html[start..end].to_string()
}

const FULL: &str = "footer:
  coordinator:
    name: \"International Detention Coalition\"
    url: \"https://idcoalition.org\"
  contact_email: campaign@example.org
  privacy: \"@/privacy.md\"
  licence: { name: \"CC BY 4.0\", url: \"https://creativecommons.org/licenses/by/4.0/\" }
  social:
    - { name: Mastodon, url: \"https://social.example/@campaign\" }
    - { name: Videos, url: /videos/ }
  newsletter: \"@/act.md\"
forms:
  signup:
    endpoint: \"https://forms.example.net/f/abc\"
";

#[test]
fn footer_shows_every_key_that_is_set() {
    let out = site(FULL).run().success();
    // Without the invisible marks that isolate inserted values (docs/templates.md).
    let f = footer(&out).replace(['\u{2068}', '\u{2069}'], "");
    for piece in [
        r#"Coordinated by <a href="https://idcoalition.org">International Detention Coalition</a>."#,
        r#"<a href="mailto:campaign@example.org" dir="ltr">campaign@example.org</a>"#,
        r#"<a href="/privacy/">Privacy</a>"#,
        r#"<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>"#,
        r#"<li><a href="https://social.example/@campaign">Mastodon</a></li>"#,
        r#"<li><a href="/videos/">Videos</a></li>"#,
        r#"<a href="/act/">Get campaign updates by email</a>"#,
    ] {
        assert!(f.contains(piece), "missing {piece}\nin:\n{f}");
    }
}

#[test]
fn footer_shows_nothing_for_keys_not_set() {
    let out = site("").run().success();
    let f = footer(&out);
    for piece in [
        "Coordinated by",
        "mailto:",
        "Privacy",
        "rel=\"license\"",
        "footer-social",
        "updates by email",
    ] {
        assert!(!f.contains(piece), "has {piece}\nin:\n{f}");
    }
}

#[test]
fn footer_links_sign_up_only_while_the_form_has_an_endpoint() {
    let out = site("footer:\n  newsletter: \"@/act.md\"\n")
        .run()
        .success();
    assert!(!footer(&out).contains("updates by email"));
}

#[test]
fn footer_links_follow_the_base_path() {
    let out = site(FULL)
        .args(&["build", "--base-url", "https://example.org/campaign/"])
        .run()
        .success();
    let f = footer(&out);
    assert!(
        f.contains(r#"<a href="/campaign/privacy/">Privacy</a>"#),
        "{f}"
    );
    assert!(
        f.contains(r#"<a href="/campaign/videos/">Videos</a>"#),
        "{f}"
    );
}

#[test]
fn footer_javascript_link_is_an_error_at_its_line() {
    site("footer:\n  social:\n    - name: X\n      url: \"javascript:alert(1)\"\n")
        .run()
        .failure(1)
        .stderr_has(&["`footer.social`", "site.yaml:6:13"]);
    site("footer:\n  coordinator: { name: C, url: \"http://c.example\" }\n")
        .run()
        .failure(1)
        .stderr_has(&["`footer.coordinator`", "site.yaml:4:"]);
    site("footer:\n  contact_email: \"a@b.org?cc=x@y.org\"\n")
        .run()
        .failure(1)
        .stderr_has(&["contact_email", "site.yaml:4:"]);
}

#[test]
fn footer_content_link_to_nothing_is_an_error() {
    site("footer:\n  privacy: \"@/nowhere.md\"\n")
        .run()
        .failure(1)
        .stderr_has(&["`@/nowhere.md`", "site.yaml:4:"]);
}

#[test]
fn footer_text_is_escaped() {
    let out = site(
        "footer:\n  coordinator: { name: \"<script>alert(1)</script> \\\"Q\\\" & Co\", url: \"https://c.example/?a=1&b=2\" }\n  social:\n    - { name: \"<img src=x onerror=alert(1)>\", url: /x/ }\n",
    )
    .run()
    .success();
    let f = footer(&out);
    assert!(!f.contains("<script>alert"), "{f}");
    assert!(!f.contains("<img"), "{f}");
    assert!(
        f.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || f.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{f}"
    );
    assert!(f.contains("&quot;Q&quot; &amp; Co"), "{f}");
    assert!(f.contains("a=1&amp;b=2"), "{f}");
}

#[test]
fn bundled_footer_links_privacy_and_coordinator() {
    let out = Test::bundled().run().success();
    let f = footer(&out);
    assert!(f.contains(r#"<a href="/privacy/">Privacy</a>"#), "{f}");
    assert!(
        f.contains(r#"<a href="https://idcoalition.org">International Detention Coalition</a>"#),
        "{f}"
    );
    // Nothing the fact sheet does not support, and no sign-up link while the form is off.
    for piece in [
        "mailto:",
        "rel=\"license\"",
        "footer-social",
        "updates by email",
    ] {
        assert!(!f.contains(piece), "has {piece}\nin:\n{f}");
    }
    out.exists("privacy/index.html");
}
