//! Interface strings: plural forms, fallbacks and their warnings, syntax errors, escaping,
//! site overrides, and that the bundled English site reads as before.

use crate::support::Test;

/// Isolation marks Fluent puts around inserted values.
fn plain(s: &str) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

/// A site in `lang` on the built-in theme, whose home page prints `index`.
fn site(lang: &str, index: &str) -> Test {
    Test::new()
        .builtin_theme()
        .file(
            "site.yaml",
            &format!("title: Test site\nbase_url: https://example.org/\nlanguage: {lang}\n"),
        )
        .file("templates/index.html", index)
}

#[test]
fn arabic_has_a_form_for_each_plural_category() {
    let out = site(
        "ar",
        r#"{% for n in [0, 1, 2, 3, 11, 100] %}[{{ t(key="topic-count", count=n) }}]{% endfor %}"#,
    )
    .run()
    .success();
    let page = plain(&out.output("index.html"));
    let expected = "[لا قصص][قصة واحدة][قصتان][3 قصص][11 قصة][100 قصة]";
    assert!(page.contains(expected), "{page}");
    // Six numbers, and no two share a text (other and many differ only by the number).
    let forms: Vec<&str> = page.split(['[', ']']).filter(|s| !s.is_empty()).collect();
    assert_eq!(forms.len(), 6, "{forms:?}");
}

#[test]
fn plurals_and_dates_follow_the_language() {
    let out = site(
        "es",
        r#"{{ t(key="topic-count", count=1) }}|{{ t(key="topic-count", count=2) }}|{% for s in stories %}{{ s.date_display }}{% endfor %}|{{ "2016-09" | date }}|{{ "2016-09-19" | date(style="full") }}"#,
    )
    .simple_story("one", "2016-09-19")
    .run()
    .success();
    let page = plain(&out.output("index.html"));
    assert!(
        page.contains("1 historia|2 historias|19 de septiembre de 2016"),
        "{page}"
    );
}

#[test]
fn a_missing_key_warns_with_key_and_language_and_shows_the_fallback() {
    Test::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntheme: test\nlanguage: es\n",
        )
        .file("themes/test/strings/en.ftl", "hello = Hello\nbye = Goodbye\n")
        .file("themes/test/strings/es.ftl", "hello = Hola\n")
        .template(
            "index.html",
            "{% extends \"base.html\" %}{% block content %}{{ UI.hello }}/{{ UI.bye }}{% endblock content %}",
        )
        .run()
        .success()
        .stderr_has(&["warning", "`bye` has no `es` text", "`en`"])
        .page("index.html", "Hola/Goodbye");
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    site("en", "{{ UI.footer_home }}")
        .file(
            "strings/en.ftl",
            "footer-home = Start\nthis line has no equals sign\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["error", "not `key = text`", "strings/en.ftl:2:", "help"]);
}

#[test]
fn html_and_tera_syntax_in_a_string_are_text() {
    let out = site(
        "en",
        "<p>{{ UI.footer_home }}</p><p>{{ t(key=\"story-by\", author=\"<i>A</i>\") }}</p>",
    )
    .file(
        "strings/en.ftl",
        "footer-home = <b>Home</b> {\"{{\"} site.title {\"}}\"}\n",
    )
    .run()
    .success();
    let page = plain(&out.output("index.html"));
    assert!(
        // Shown as `<b>Home</b> {{ site.title }}`: braces as entities, never template syntax.
        page.contains("<p>&lt;b&gt;Home&lt;/b&gt; &#123;&#123; site.title &#125;&#125;</p>"),
        "{page}"
    );
    assert!(page.contains("<p>By &lt;i&gt;A&lt;/i&gt;</p>"), "{page}");
}

#[test]
fn a_site_override_wins_over_the_theme_and_may_add_keys() {
    site(
        "en",
        "{{ UI.footer_home }}|{{ UI.my_own }}|{{ UI.footer_topics }}",
    )
    .file("strings/en.ftl", "footer-home = Start\nmy-own = Mine\n")
    .run()
    .success()
    .stderr_lacks("interface string")
    .page("index.html", "Start|Mine|Topics");
}

#[test]
fn a_key_no_language_has_is_an_error_naming_template_and_key() {
    site("en", "{{ UI.footer_hom }}")
        .run()
        .failure(1)
        .stderr_has(&["templates/index.html", "`footer-hom`", "footer-home"]);
}

#[test]
fn a_string_with_arguments_read_from_ui_is_an_error() {
    site("en", "{{ UI.topic_count }}")
        .run()
        .failure(1)
        .stderr_has(&["`topic-count` takes arguments", "t(key=\"topic-count\""]);
}

#[test]
fn topic_names_come_from_the_strings_of_the_language() {
    let front = "title: S\ndate: 2016-09-19\nsummary: s\ntags: [crc, my-own-topic]";
    let out = site("fr", "{% for t in tags %}[{{ t.label }}]{% endfor %}")
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguage: fr\ntopics:\n  crc: CRC (site.yaml)\n  my-own-topic: Mon thème\n",
        )
        .story("s", front, "Text.\n")
        .run()
        .success();
    let page = out.output("index.html");
    assert!(page.contains("[Comité des droits de l’enfant]"), "{page}");
    assert!(page.contains("[Mon thème]"), "{page}");
}

#[test]
fn the_bundled_english_site_reads_as_before() {
    let out = Test::bundled().run().success();
    for (page, text) in [
        ("404.html", "We can’t find that page"),
        ("404.html", "Skip to main content"),
        ("index.html", "The campaign in numbers"),
        ("index.html", "resolutions &amp; standards referenced"),
        (
            "stories/index.html",
            "stories so far. Get new ones in your feed reader with the",
        ),
        (
            "tags/index.html",
            "Every story is filed under one or more topics.",
        ),
        ("partners/index.html", "organisations are listed here."),
        ("resolutions/index.html", "documents from"),
    ] {
        let html = plain(&out.output(page));
        assert!(html.contains(text), "{page} lacks {text:?}");
    }
    let html = plain(&out.output("stories/index.html"));
    assert!(html.contains("Page 2 of 2") || !html.contains("title-sub"));
    // English dates keep the international order.
    let story = out.output("index.html");
    assert!(!story.contains("September 19, "), "US-style date");
}

#[test]
fn every_translation_has_every_english_key() {
    for lang in ["es", "fr", "ar"] {
        site(lang, "{{ UI.footer_home }}")
            .run()
            .success()
            .stderr_lacks("has no `");
    }
}
