//! Entry points for the fuzz targets in `fuzz/` and their regression tests: each takes
//! arbitrary bytes and runs one part of the pipeline on them. None may panic.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{Page, Partner, Resolution, Story};
use crate::frontmatter;
use crate::link::BuildOptions;
use crate::load::{SourceText, Sources};
use crate::markdown::{self, LinkKind};

/// Splitting and parsing front matter of every collection, list rows and CSV rows.
pub fn frontmatter(data: &[u8]) {
    let text: Arc<str> = Arc::from(String::from_utf8_lossy(data).as_ref());
    if let Ok(split) = frontmatter::split("f.md", &text) {
        let _ = frontmatter::parse::<Story>("f.md", &text, split.yaml.clone(), "story");
        let _ = frontmatter::parse::<Resolution>("f.md", &text, split.yaml.clone(), "resolution");
        if let Err(d) = frontmatter::parse::<Partner>("f.md", &text, split.yaml.clone(), "partner")
        {
            let _ = d.render_plain();
        }
        for d in frontmatter::silent_losses("f.md", &text, split.yaml.clone(), false) {
            let _ = d.render_plain();
        }
        let _ = frontmatter::parse::<Page>("f.md", &text, split.yaml, "page");
    }
    // List rows: each row's problem (or the whole file's) must render.
    for rows in [
        frontmatter::parse_rows::<Partner>("p.yaml", &text),
        crate::content::csv_rows::parse("p.csv", &text),
    ] {
        for r in &rows.rows {
            if let Err(d) = &r.result {
                let _ = d.render_plain();
            }
        }
        if let Some(d) = rows.whole {
            let _ = d.render_plain();
        }
    }
    let _ = frontmatter::silent_losses("p.yaml", &text, 0..text.len(), false);
    let _ = SiteConfig::parse(&text);
    // Every diagnostic must render.
    if let Err(d) = frontmatter::split("f.md", &text) {
        let _ = d.render_plain();
    }
}

/// Markdown rendering with our extensions (heading ids, embeds, link hooks), and the
/// sanitiser.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let r = markdown::render(&text, &mut |kind, dest, span| {
        // Spans must always be valid ranges of the source.
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span out of range"
        );
        (kind == LinkKind::Link && dest.starts_with("@/")).then(|| format!("/x/{}", dest.len()))
    });
    for e in &r.embeds {
        assert!(
            e.span.start <= e.span.end && e.span.end <= text.len(),
            "embed span out of range"
        );
    }
    if let Err(deep) = markdown::render_untrusted(&text, &mut |_, _, _| None) {
        assert!(deep.span.end <= text.len(), "nesting span out of range");
    }
}

const TEMPLATE: &str =
    "{{ page.title }}{% if page.content is defined %}{{ page.content }}{% endif %}";

/// The whole pipeline on a small site whose story body (first half of the input) and link
/// target names (second half) are fuzzed: link resolution, anchors, embeds, rendering.
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (body, names) = text.split_at(
        text.char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    let mut content = vec![
        SourceText::new(
            "content/stories/a.md",
            Arc::from(format!(
                "---\ntitle: A\ndate: 2020-01-01\nsummary: s\n---\n{body}"
            )),
        ),
        SourceText::new(
            "content/resolutions/r.md",
            Arc::from(
                "---\ntitle: R\nbody: B\nadopted: 2016\nkind: resolution\nparagraphs:\n  - number: 1\n    summary: p\n---\n## Key points\n",
            ),
        ),
        SourceText::new(
            "content/partners.yaml",
            Arc::from("- id: p\n  name: P\n  type: ngo\n  region: global\n"),
        ),
    ];
    for (i, name) in names.split_whitespace().take(4).enumerate() {
        content.push(SourceText::new(
            format!("content/{name}.md"),
            Arc::from(format!("---\ntitle: T{i}\n---\n## Part {i}\n")),
        ));
    }
    content.sort_by(|a, b| a.path.cmp(&b.path));
    content.dedup_by(|a, b| a.path == b.path);
    let Ok(config) = SiteConfig::parse(&Arc::from("title: Fuzz\n")) else {
        return;
    };
    let names = [
        "base.html",
        "index.html",
        "story.html",
        "stories.html",
        "resolution.html",
        "resolutions.html",
        "partner.html",
        "partners.html",
        "page.html",
        "tags.html",
        "tag.html",
        "404.html",
    ];
    let mut templates: Vec<SourceText> = names
        .iter()
        .map(|n| SourceText::new(format!("theme/{n}"), Arc::from(TEMPLATE)))
        .collect();
    templates.push(SourceText::new(
        "theme/embeds.html",
        Arc::from("{% component cite(resolution, paragraph=None) %}c{% endcomponent cite %}{% component partner(partner) %}p{% endcomponent partner %}{% component cta(url, label, title=None) %}{{ body }}{% endcomponent cta %}{% component figure(src, alt, caption=None, credit=None) %}f{% endcomponent figure %}{% component quote(by=None, role=None) %}{{ body }}{% endcomponent quote %}{% component video(url, embed_url, title, poster=None) %}v{% endcomponent video %}"),
    ));
    let sources = Sources {
        root: PathBuf::from("/nonexistent"),
        config,
        config_file: SourceText::new("site.yaml", Arc::from("title: Fuzz\n")),
        content,
        assets: Vec::new(),
        templates,
        strings: Vec::new(),
        theme_assets: Vec::new(),
        theme_label: "fuzz".into(),
        card_fonts: Vec::new(),
        unpublished: Vec::new(),
        unreadable: Vec::new(),
        host_files: Default::default(),
        fingerprints: Default::default(),
        walker: crate::load::Walker::new(
            &PathBuf::from("/nonexistent"),
            &mut crate::diagnostics::Diagnostics::new(),
        ),
    };
    let options = BuildOptions {
        drafts: true,
        today: crate::date::Date(jiff::civil::date(2026, 1, 1)),
        cards: Default::default(),
        search: Default::default(),
        ..Default::default()
    };
    let (_, diags) = crate::build(&sources, &options);
    let _ = diags.render_plain();
}
