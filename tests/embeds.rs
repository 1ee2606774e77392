//! Embeds for writers: `{{< name ... >}}` lines in Markdown rendered by theme components.

use crate::support::Test;

fn site() -> Test {
    Test::new()
        .resolution(
            "a-res-71-1",
            "title: \"New York Declaration\"\nsymbol: \"A/RES/71/1\"\nbody: UN General Assembly\nadopted: 2016-09-19\nkind: declaration\n\
             paragraphs:\n  - number: 33\n    summary: \"Children should not be detained.\"",
            "",
        )
        .partner("unicef", "name: UNICEF\ntype: un-agency\nregion: global", "")
        .file("content/take-action.md", "---\ntitle: Take action\n---\nJoin.\n")
        .bytes("content/stories/trip/photo.png", crate::support::TINY_PNG)
}

fn story(body: &str) -> Test {
    site().story("s", "title: S\ndate: 2020-01-01\nsummary: s", body)
}

#[test]
fn every_embed_renders_through_its_component() {
    story(
        "Intro.\n\n\
         {{< cite a-res-71-1 paragraph=\"33\" >}}\n\n\
         {{< partner unicef >}}\n\n\
         {{< cta url=\"@/take-action.md\" label=\"Join the campaign\" title=\"Act now\" >}}\n\
         Every **signature** counts.\n\
         {{< /cta >}}\n\n\
         {{< figure src=\"/img/p.png\" alt=\"Children playing\" caption=\"A centre\" credit=\"Photo: IDC\" >}}\n\n\
         {{< quote by=\"Grant Mitchell\" >}}\n\
         Ending child detention is *possible*.\n\
         {{< /quote >}}\n\n\
         {{< video url=\"https://www.youtube.com/watch?v=abc123\" title=\"Launch film\" >}}\n",
    )
    .file("static/img/p.png", "png")
    .run()
    .success()
    .page("stories/s/", r#"<cite-embed href="/resolutions/a-res-71-1/">A/RES/71/1 para 33: Children should not be detained.</cite-embed>"#)
    .page("stories/s/", r#"<partner-embed href="/partners/unicef/">UNICEF</partner-embed>"#)
    .page("stories/s/", r#"<cta-embed href="/take-action/" title="Act now">Join the campaign|<p>Every <strong>signature</strong> counts.</p>"#)
    .page("stories/s/", r#"<img src="/img/p.png" alt="Children playing"><figcaption>A centre/Photo: IDC</figcaption>"#)
    .page("stories/s/", r#"<quote-embed by="Grant Mitchell"><p>Ending child detention is <em>possible</em>.</p>"#)
    .page("stories/s/", r#"data-embed="https://www.youtube-nocookie.com/embed/abc123?autoplay=1" href="https://www.youtube.com/watch?v=abc123">Launch film"#)
    .page_lacks("stories/s/", "{{<")
    .page_lacks("stories/s/", "rally:embed");
}

#[test]
fn literal_braces_do_not_break_the_build() {
    story("Templates use {{ this }} and {% that %}, and `{{< cite x >}}` in code stays text.\n\n```\n{{< cite nothing >}}\n```\n")
        .run()
        .success()
        .page("stories/s/", "Templates use {{ this }} and {% that %}")
        .page("stories/s/", "<code>{{&lt; cite x &gt;}}</code>");
}

#[test]
fn builtin_theme_has_every_embed() {
    story(
        "{{< cite a-res-71-1 paragraph=33 >}}\n\n{{< partner unicef >}}\n\n{{< cta url=\"@/take-action.md\" label=\"Join\" >}}\nText\n{{< /cta >}}\n\n\
         {{< figure src=\"/img/p.png\" alt=\"A\" >}}\n\n{{< quote >}}\nQ\n{{< /quote >}}\n\n{{< video url=\"https://vimeo.com/123\" title=\"T\" >}}\n",
    )
    .file("static/img/p.png", "png")
    .builtin_theme()
    .run()
    .success()
    .page("stories/s/", "A/RES/71/1")
    .page("stories/s/", "https://player.vimeo.com/video/123");
}

fn fails(body: &str, expected: &[&str]) {
    story(body).run().failure(1).stderr_has(expected);
}

#[test]
fn unknown_embed() {
    fails(
        "{{< cit a-res-71-1 >}}\n",
        &[
            "there is no embed called `cit`",
            "content/stories/s.md:6:1",
            "did you mean `cite`?",
        ],
    );
}

#[test]
fn unknown_argument() {
    fails(
        "{{< cite a-res-71-1 para=\"33\" >}}\n",
        &[
            "the `cite` embed has no `para`",
            "did you mean `paragraph`?",
        ],
    );
}

#[test]
fn unknown_resolution_and_paragraph() {
    fails(
        "{{< cite a-res-71-2 >}}\n\n{{< cite a-res-71-1 paragraph=\"34\" >}}\n",
        &[
            "there is no resolution or standard with id `a-res-71-2`",
            "content/stories/s.md:6:1",
            "did you mean `a-res-71-1`?",
            "`a-res-71-1` has no key paragraph `34`",
            "content/stories/s.md:8:1",
            "its key paragraphs are: 33",
        ],
    );
}

#[test]
fn missing_required_argument() {
    fails(
        "{{< figure src=\"/x.png\" >}}\n",
        &["the `figure` embed needs `alt`", "for example:"],
    );
}

#[test]
fn unclosed_block_embed() {
    fails(
        "{{< quote by=\"A\" >}}\n\nNever closed.\n",
        &["is never closed: add a line `{{< /quote >}}`"],
    );
}

#[test]
fn missing_figure_image_and_bad_video() {
    fails(
        "{{< figure src=\"nope.png\" alt=\"A\" >}}\n\n{{< video url=\"https://example.org/v.mp4\" title=\"T\" >}}\n",
        &[
            "the image `nope.png` does not exist",
            "is not a YouTube or Vimeo video address",
        ],
    );
}

#[test]
fn theme_without_components_is_explained() {
    story("{{< partner unicef >}}\n")
        .template("embeds.html", "")
        .run()
        .failure(1)
        .stderr_has(&[
            "the theme has no `partner` embed component",
            "content/stories/s.md:6:1",
        ]);
}

/// An embed written inside a block embed's text leaves a marker in that text; expanding the
/// page's own embeds must not mistake it for one of theirs (the partner below used to land
/// inside the call to action).
#[test]
fn markers_inside_embed_text_are_not_the_pages_own() {
    let out = story(
        "{{< cta url=\"@/take-action.md\" label=\"Join\" >}}\n\n\
         {{< quote >}}\nA\n{{< /quote >}}\n\n{{< quote >}}\nB\n{{< /quote >}}\n\n\
         {{< /cta >}}\n\n\
         {{< partner unicef >}}\n",
    )
    .run()
    .success();
    let page = out.output("stories/s/");
    let cta_end = page.find("</cta-embed>").expect("cta");
    let partner = page.find("<partner-embed").expect("partner");
    assert!(cta_end < partner, "{page}");
    assert_eq!(page.matches("<partner-embed").count(), 1, "{page}");
}
