//! The `form`, `letter` and `share` embeds: the HTML each gives with the campaign theme, the
//! checks of `forms:` in site.yaml (with file and line), the email fallback and its warning,
//! and hostile text in letters and settings printed as text.

use crate::support::{Outcome, Test};

const BASE: &str = "title: Test site\nbase_url: https://example.org/\n";

/// A site with the built-in theme, `forms` as the `forms:` block of site.yaml, and a page
/// `content/act.md` holding `body`, plus a thank-you and a privacy page.
fn site(forms: &str, body: &str) -> Test {
    Test::new()
        .builtin_theme()
        .file("site.yaml", &format!("{BASE}{forms}"))
        .file("content/act.md", &format!("---\ntitle: Act\n---\n{body}"))
        .file("content/thanks.md", "---\ntitle: Thank you\n---\nThanks.\n")
        .file(
            "content/privacy.md",
            "---\ntitle: Privacy\n---\nHow we handle data.\n",
        )
}

/// The page's `<main>`: the theme's own scripts are outside it.
fn main(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

/// Asserts that the `<main>` of `page` has no script and holds no `piece`s.
fn no_script_in(out: &Outcome, page: &str, lacks: &[&str]) {
    let html = out.output(&format!("{page}index.html"));
    for piece in std::iter::once(&"<script").chain(lacks) {
        assert!(!main(&html).contains(piece), "{page} has {piece}:\n{html}");
    }
}

const ENDORSE: &str = "forms:\n  privacy_page: \"@/privacy.md\"\n  endorse:\n    endpoint: \"https://forms.example.net/f/abc\"\n    thanks: /thanks/\n";

#[test]
fn endorse_form_posts_to_its_endpoint_with_every_field() {
    let out = site(ENDORSE, "{{< form endorse >}}\n").run().success();
    let html = out.output("act/index.html");
    for piece in [
        r#"<form class="embed embed-form" id="endorse--0" action="https://forms.example.net/f/abc" method="post">"#,
        r#"<legend class="embed-form__title">Endorse the campaign</legend>"#,
        r#"<input type="hidden" name="_next" value="https://example.org/thanks/">"#,
        r#"<label for="endorse--0-organisation">Organisation <span class="field__required">(required)</span></label>"#,
        r#"<input id="endorse--0-organisation" name="organisation" type="text" autocomplete="organization" required>"#,
        r#"<input id="endorse--0-name" name="name" type="text" autocomplete="name" required>"#,
        r#"<input id="endorse--0-email" name="email" type="email" autocomplete="email" required>"#,
        r#"<input id="endorse--0-country" name="country" type="text" autocomplete="country-name" required>"#,
        r#"<label for="endorse--0-message">Message <span class="field__optional">(optional)</span></label>"#,
        r#"<textarea id="endorse--0-message" name="message" rows="4" autocomplete="off"></textarea>"#,
        r#"<p class="form-hp" aria-hidden="true"><label for="endorse--0-hp">Leave this field empty</label>"#,
        r#"<input id="endorse--0-hp" name="_gotcha" type="text" tabindex="-1" autocomplete="off">"#,
        r#"<button type="submit" class="button">Send</button>"#,
        r#"<p class="embed-form__privacy">What you send goes to forms.example.net. <a href="https://example.org/privacy/">How your data is handled</a>.</p>"#,
    ] {
        assert!(html.contains(piece), "missing {piece}\nin:\n{html}");
    }
    assert!(!main(&html).contains("<script"), "{html}");
    assert!(!html.contains("disabled"), "{html}");
    // A form with an endpoint is nothing to warn about.
    out.then()
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("has no endpoint");
}

#[test]
fn signup_form_with_configured_privacy_and_honeypot_and_title() {
    site(
        "forms:\n  signup:\n    endpoint: \"https://formsubmit.example/x\"\n    privacy: \"Sent to the campaign's mailing list\"\n    honeypot: _honey\n",
        "{{< form signup title=\"Stay in touch\" >}}\n",
    )
    .run()
    .success()
    .page("act/", r#"<legend class="embed-form__title">Stay in touch</legend>"#)
    .page("act/", r#"name="name" type="text" autocomplete="name" required"#)
    .page("act/", r#"name="email" type="email" autocomplete="email" required"#)
    .page_lacks("act/", r#"name="organisation""#)
    .page_lacks("act/", r#"name="_next""#)
    .page("act/", r#"name="_honey" type="text" tabindex="-1""#)
    .page("act/", r#"<p class="embed-form__privacy">Sent to the campaign&#39;s mailing list</p>"#);
}

#[test]
fn a_path_endpoint_is_a_netlify_form() {
    site(
        "forms:\n  endorse:\n    endpoint: /thanks/\n",
        "{{< form endorse >}}\n",
    )
    .run()
    .success()
    .page("act/", r#"action="/thanks/" method="post" name="endorse" data-netlify="true" data-netlify-honeypot="_gotcha">"#)
    .page("act/", r#"<input type="hidden" name="form-name" value="endorse">"#)
    .page("act/", "What you send goes to the host of this website.");
}

fn config_fails(forms: &str, line_col: &str, message: &str) -> Outcome {
    site(forms, "{{< form endorse >}}\n")
        .run()
        .failure(1)
        .stderr_has(&[
            &format!("error: {message}"),
            &format!("site.yaml:{line_col}"),
        ])
        .stderr_has(&["help: forms carry names and email addresses, so they must travel encrypted"])
}

#[test]
fn an_http_endpoint_is_refused_with_its_line() {
    config_fails(
        "forms:\n  endorse:\n    endpoint: \"http://forms.example.net/f/abc\"\n",
        "5:16",
        "the endorse form's `endpoint` must be an https:// address or a path on this site: \"http://forms.example.net/f/abc\" is an http:// address, which sends what visitors type unencrypted",
    );
}

#[test]
fn a_javascript_endpoint_is_refused() {
    config_fails(
        "forms:\n  endorse:\n    endpoint: \"javascript:alert(1)\"\n",
        "5:16",
        "the endorse form's `endpoint` must be an https:// address or a path on this site: \"javascript:alert(1)\" is neither an https:// address nor a path on this site starting with /",
    );
}

#[test]
fn a_protocol_relative_endpoint_is_refused() {
    config_fails(
        "forms:\n  signup:\n    endpoint: //evil.example/collect\n",
        "5:15",
        "the signup form's `endpoint` must be an https:// address or a path on this site: \"//evil.example/collect\" starts with //, which sends the form to another host without saying https",
    );
}

#[test]
fn bad_thanks_page_and_contact_address_are_refused() {
    site("forms:\n  endorse:\n    thanks: \"https://elsewhere.example/\"\n", "")
        .run()
        .failure(1)
        .stderr_has(&[
            "error: the endorse form's thank-you page must be a page of this site, not \"https://elsewhere.example/\"",
            "site.yaml:5:14",
        ]);
    site("forms:\n  contact_email: \"a@b.org?bcc=x@y.org\"\n", "")
        .run()
        .failure(1)
        .stderr_has(&[
            "error: `contact_email` is not one email address: \"a@b.org?bcc=x@y.org\"",
            "site.yaml:4:19",
        ]);
    site(
        "forms:\n  endorse:\n    endpoint: \"https://f.example/x\"\n    thanks: /nope/\n",
        "{{< form endorse >}}\n",
    )
    .run()
    .failure(1)
    .stderr_has(&[
        "error: the endorse form's thank-you page (forms.endorse.thanks in site.yaml): ",
        "content/act.md:4:1",
    ]);
}

#[test]
fn without_an_endpoint_the_form_is_a_prepared_email_and_check_warns() {
    let out = site(
        "forms:\n  contact_email: campaign@example.org\n",
        "{{< form endorse >}}\n",
    )
    .run()
    .success()
    .stderr_has(&["warning: the endorse form has no endpoint: it opens the visitor's email program instead", "content/act.md:4:1"])
    .page("act/", r#"action="mailto:campaign@example.org" method="get">"#)
    .page("act/", r#"<input type="hidden" name="subject" value="Endorsement of the campaign">"#)
    .page("act/", "<textarea id=\"endorse--0-body\" name=\"body\" rows=\"7\" autocomplete=\"off\">Organisation:\nContact name:\nEmail:\nCountry:\nMessage (optional):\n</textarea>")
    .page("act/", "Your email program sends this to campaign@example.org; nothing is stored on this website.")
    .page_lacks("act/", "method=\"post\"");
    out.then().args(&["check"]).run().success().stderr_has(&[
        "warning: the endorse form has no endpoint: it opens the visitor's email program instead",
        "content/act.md:4:1",
        "help: set `forms.endorse.endpoint` in site.yaml",
    ]);
}

#[test]
fn without_an_endpoint_or_address_the_form_is_shown_switched_off() {
    site("", "{{< form signup >}}\n")
        .run()
        .success()
        .stderr_has(&["warning: the signup form has no endpoint and site.yaml has no `forms.contact_email`: it is shown switched off"])
        .page("act/", "<fieldset disabled>")
        .page("act/", "This form is not open yet: the website has nowhere to send it.")
        // No action: the form goes nowhere.
        .page("act/", "<form class=\"embed embed-form\" id=\"signup--0\">");
}

#[test]
fn unknown_form_kind_suggests_one() {
    site("", "{{< form endorsement >}}\n")
        .run()
        .failure(1)
        .stderr_has(&[
            "error: there is no `endorsement` form",
            "content/act.md:4:1",
            "did you mean `endorse`?",
        ]);
}

#[test]
fn letter_is_an_editable_mailto_form() {
    site(
        "",
        "{{< letter to=\"minister@example.gov\" subject=\"Children first\" >}}\n\nDear Minister,\n\nPlease act.\n\n{{< /letter >}}\n",
    )
    .run()
    .success()
    .page("act/", r#"<form class="embed embed-form embed-letter" id="letter--0" action="mailto:minister@example.gov" method="get">"#)
    .page("act/", r#"name="subject" type="text" value="Children first""#)
    .page("act/", "name=\"body\" rows=\"12\" autocomplete=\"off\" required>Dear Minister,\n\nPlease act.</textarea>")
    .page_lacks("act/", r#"name="to""#);
    site(
        "",
        "{{< letter subject=\"S\" >}}\nDear all\n{{< /letter >}}\n",
    )
    .run()
    .success()
    .page("act/", r#"action="mailto:" method="get">"#)
    .page(
        "act/",
        r#"<input id="letter--0-to" name="to" type="email" autocomplete="off" required>"#,
    );
    site(
        "",
        "{{< letter to=\"x@y.org?cc=z@w.org\" subject=\"S\" >}}\nHi\n{{< /letter >}}\n",
    )
    .run()
    .failure(1)
    .stderr_has(&[
        "error: `to` is not one email address: \"x@y.org?cc=z@w.org\"",
        "content/act.md:4:1",
    ]);
}

#[test]
fn share_links_need_no_script() {
    site("", "{{< share text=\"Free children\" >}}\n")
        .run()
        .success()
        .page("act/", r#"<nav class="embed embed-share" aria-label="Share">"#)
        .page("act/", "mailto:?subject=Free%20children&amp;body=Free%20children%0A%0Ahttps%3A%2F%2Fexample.org%2F")
        .page("act/", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.org%2F");
}

#[test]
fn hostile_text_in_letters_and_settings_is_escaped() {
    let out = site(
        "forms:\n  endorse:\n    endpoint: \"https://f.example/x?a=1&b=2\"\n    privacy: \"<script>alert(1)</script> \\\"quoted\\\"\"\n",
        "{{< form endorse title=\"A 'title' <b>\" >}}\n\n\
         {{< letter subject=\"S' onfocus='x <i>\" >}}\n\n</textarea><script>alert(2)</script> \"quote\" & more\n\n{{< /letter >}}\n\n\
         {{< share text=\"<script>x</script>\" >}}\n",
    )
    .run()
    .success()
    .page("act/", r#"action="https://f.example/x?a=1&amp;b=2" method="post""#)
    .page("act/", "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;")
    .page("act/", "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt; &quot;quote&quot; &amp; more</textarea>")
    .page("act/", "value=\"S&#39; onfocus=&#39;x &lt;i&gt;\"");
    no_script_in(&out, "act/", &["<b>", "<i>"]);
}
