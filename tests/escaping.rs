//! Front matter is data, never markup: script payloads through every field must come out
//! inert in every output file, with the real theme and in every template context (HTML text,
//! attributes, feeds, sitemap). Raw HTML in Markdown is kept only where site.yaml trusts it.

use crate::support::{Test, snapshot};

const P1: &str = "<script>alert(1)</script>";
const P2: &str = "\"><img src=x onerror=alert(2)>";

/// Both payloads, as a single-quoted YAML string.
fn evil(label: &str) -> String {
    format!("'{label} {P1} {P2}'")
}

fn hostile_site() -> Test {
    Test::new()
        .file(
            "site.yaml",
            &format!(
                "title: {}\ndescription: {}\nbase_url: https://example.org/\n\
                 menu:\n  - name: {}\n    url: /stories/\n\
                 extra:\n  campaign_name: {}\n  headline: {}\n  call: {}\n",
                evil("site"),
                evil("desc"),
                evil("menu"),
                evil("name"),
                evil("headline"),
                evil("call")
            ),
        )
        .builtin_theme()
        .file(
            "content/stories/s/index.md",
            &format!(
                "---\ntitle: {}\ndate: 2020-01-01\nsummary: {}\nauthor: {}\nimage:\n  src: p.svg\n  alt: {}\n\
                 tags: [{}]\nresolutions: [r]\npartners: [p, q]\nfeatured: true\n---\n\
                 Text.\n\n{{{{< quote by={} role={} >}}}}\nQuoted.\n{{{{< /quote >}}}}\n\n\
                 {{{{< figure src=\"p.svg\" alt={} caption={} credit={} >}}}}\n\n\
                 {{{{< cta url=\"@/about.md\" label={} title={} >}}}}\nGo.\n{{{{< /cta >}}}}\n\n\
                 {{{{< video url=\"https://vimeo.com/1\" title={} >}}}}\n\n{{{{< cite r paragraph=\"1\" >}}}}\n\n{{{{< partner p >}}}}\n",
                evil("title"),
                evil("summary"),
                evil("author"),
                evil("alt"),
                evil("tag"),
                evil("by"),
                evil("role"),
                evil("falt"),
                evil("caption"),
                evil("credit"),
                evil("label"),
                evil("ctitle"),
                evil("vtitle"),
            ),
        )
        .file("content/stories/s/p.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file(
            "content/resolutions/r.md",
            &format!(
                "---\ntitle: {}\nsymbol: {}\nbody: {}\nadopted: 2016\nkind: resolution\nparagraphs:\n  - number: 1\n    summary: {}\n---\nText.\n",
                evil("rtitle"),
                evil("symbol"),
                evil("organ"),
                evil("para")
            ),
        )
        .file(
            "content/partners/p.md",
            &format!(
                "---\nname: {}\nacronym: {}\ntype: ngo\nregion: global\ncountry: CH\nroles: [{}]\ndescription: {}\n---\n\
                 Partner text {P1} and {P2} and [click](javascript:alert(3)).\n",
                evil("pname"),
                evil("acr"),
                evil("role"),
                evil("pdesc")
            ),
        )
        .file(
            "content/partners.yaml",
            &format!("- id: q\n  name: {}\n  type: ngo\n  region: europe\n  description: {}\n", evil("qname"), evil("qdesc")),
        )
        .file("content/about.md", &format!("---\ntitle: {}\ndescription: {}\n---\nAbout.\n", evil("ptitle"), evil("pdesc")))
}

#[test]
fn payloads_in_every_field_come_out_inert_everywhere() {
    let out = hostile_site().run().success();
    let files = snapshot(&out.test.path("public"));
    let mut checked = 0;
    for (path, bytes) in &files {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        checked += 1;
        let text = String::from_utf8_lossy(bytes);
        for bad in ["<script>alert", "<img src=x onerror", "javascript:alert"] {
            assert!(!text.contains(bad), "{path} contains a live `{bad}`");
        }
    }
    assert!(checked > 10, "checked only {checked} files");
    // The payloads are there, as text.
    let story = out.output("stories/s/");
    assert!(
        story.contains("title &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{story}"
    );
    assert!(story.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
}

#[test]
fn raw_html_is_kept_for_stories_and_cleaned_for_partners_by_default() {
    Test::new()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "<div class=\"note\">Staff <b>HTML</b></div>\n\n<script>track()</script>\n",
        )
        .partner(
            "p",
            "name: P\ntype: ngo\nregion: global",
            "Submitted <b>text</b><script>steal()</script><img src=x onerror=steal()>\n",
        )
        .run()
        .success()
        .page("stories/s/", "<div class=\"note\">Staff <b>HTML</b></div>")
        .page("stories/s/", "<script>track()</script>")
        .page("partners/p/", "Submitted <b>text</b>")
        .page_lacks("partners/p/", "<script>")
        .page_lacks("partners/p/", "onerror");
}

#[test]
fn raw_html_switches_per_collection() {
    Test::new()
        .file(
            "site.yaml",
            "title: T\ntheme: test\nraw_html:\n  stories: false\n  partners: true\n",
        )
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "<script>x()</script><b>ok</b>\n",
        )
        .partner(
            "p",
            "name: P\ntype: ngo\nregion: global",
            "<script>trusted()</script>\n",
        )
        .run()
        .success()
        .page_lacks("stories/s/", "<script>")
        .page("stories/s/", "<b>ok</b>")
        .page("partners/p/", "<script>trusted()</script>");
}

/// The writer's text inside embeds is theirs too: cleaned like the rest of a partner's body,
/// while the embed's own markup (the theme's) stays. Before, both scripts were published live.
#[test]
fn text_inside_embeds_of_a_cleaned_collection_is_cleaned() {
    let out = Test::new()
        .partner(
            "p",
            "name: P\ntype: ngo\nregion: global",
            "{{< quote by=\"a\" >}}<img src=x onerror=alert(1)>{{< /quote >}}\n\n\
             {{< cta url=\"https://example.org/\" label=\"Go\" >}}\n<script>alert(2)</script>\n\n**Act** <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">now</a>\n{{< /cta >}}\n\n\
             {{< cta url=\"https://example.org/\" label=\"Nested\" >}}\n{{< quote >}}\n<img src=y onerror=alert(5)>\n{{< /quote >}}\n{{< /cta >}}\n",
        )
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "{{< quote >}}\n<b onclick=\"staff()\">trusted</b>\n{{< /quote >}}\n",
        )
        .run()
        .success();
    let page = out.output("partners/p/");
    for bad in ["onerror", "<script", "alert(2)", "javascript:", "onclick"] {
        assert!(!page.contains(bad), "partners/p/ has {bad}:\n{page}");
    }
    assert!(
        page.contains("<quote-embed by=\"a\"><img src=\"x\"></quote-embed>"),
        "{page}"
    );
    assert!(
        page.contains("<cta-embed href=\"https://example.org/\" title=\"\">Go|"),
        "{page}"
    );
    assert!(page.contains("<strong>Act</strong> <a>now</a>"), "{page}");
    // Stories trust their writers, inside embeds too.
    out.page("stories/s/", "<b onclick=\"staff()\">trusted</b>");
}

/// Ids and styles a writer types could take over the page (`id="main"` captures the skip
/// link; a style can cover the page with a remote image): cleaning keeps only those Markdown
/// writes, headings' and footnotes' ids and table alignment.
#[test]
fn cleaning_keeps_markdown_ids_and_alignment_only() {
    let out = Test::new()
        .partner(
            "p",
            "name: P\ntype: ngo\nregion: global",
            "## Our work\n\n## Custom {#mine}\n\nSee the note.[^note]\n\n[^note]: The note.\n\n\
             | a | b |\n|:-:|--:|\n| 1 | 2 |\n\n\
             <table><tr><td style=\"position:fixed;inset:0;background:url(https://evil.example/x.png)\">cell</td>\
             <td style=\"text-align: center\">kept</td></tr></table>\n\n\
             <div id=\"main\" class=\"note\">Over</div>\n\n<h2 id=\"skip\">Raw</h2>\n\n\
             <p style=\"color:red\" title=\"<!--rally:embed:0-->\">t</p>\n\n{{< partner p >}}\n",
        )
        .run()
        .success();
    let page = out.output("partners/p/");
    for good in [
        "<h2 id=\"our-work\">Our work</h2>",
        "<h2 id=\"mine\">Custom</h2>",
        "<a href=\"#note\">1</a>",
        "<div class=\"footnote-definition\" id=\"note\">",
        "<th style=\"text-align: center\">a</th>",
        "<td style=\"text-align: right\">2</td>",
        "<td style=\"text-align: center\">kept</td>",
        "<td>cell</td>",
        "<div class=\"note\">Over</div>",
        "<h2>Raw</h2>",
        "<p>t</p>",
    ] {
        assert!(page.contains(good), "partners/p/ lacks {good}:\n{page}");
    }
    for bad in [
        "id=\"main\"",
        "id=\"skip\"",
        "position:fixed",
        "url(",
        "color:red",
    ] {
        assert!(!page.contains(bad), "partners/p/ has {bad}:\n{page}");
    }
    // The embed is expanded once, where it was written, not inside the attribute.
    assert_eq!(page.matches("<partner-embed").count(), 1, "{page}");
}

/// Collections whose raw HTML is trusted are not cleaned at all.
#[test]
fn trusted_collections_keep_writer_ids_and_styles() {
    Test::new()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "<div id=\"staff\" style=\"color: green\">Staff</div>\n",
        )
        .run()
        .success()
        .page(
            "stories/s/",
            "<div id=\"staff\" style=\"color: green\">Staff</div>",
        );
}
