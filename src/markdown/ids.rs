//! The ids a body gives its headings and footnotes: unique within the page that shows it, and
//! clear of the ids the theme gives its own elements (a second `id="main"` would send the
//! "skip to content" link to a heading). Also finds, before rendering starts, what the text
//! holds that the first events cannot tell: embeds and footnote labels.

use rustc_hash::FxHashSet as HashSet;

/// The ids the campaign theme (`themes/campaign/templates/`) gives its own elements. This
/// list mirrors the templates: a test reads every literal `id="…"` in them and fails if one
/// is missing here, so a new id in the theme cannot silently collide with a heading. (The
/// theme's computed ids, `type-…` and `year-…`, are on list pages, which show no body.)
pub const THEME_IDS: &[&str] = &[
    "about-doc-title",
    "cited-bodies-title",
    "cited-by-title",
    "cited-title",
    "cta-title",
    "details-title",
    "featured-title",
    "filter-body",
    "filter-kind",
    "filter-name",
    "filter-region",
    "filter-stance",
    "filter-type",
    "follow-title",
    "header-q",
    "hero-title",
    "latest-title",
    "main",
    "map-desc",
    "map-title",
    "page-title",
    "paras-title",
    "partner-list",
    "partner-title",
    "partners-title",
    "related-title",
    "res-title",
    "resolution-list",
    "search-hint",
    "search-q",
    "search-results",
    "share-title",
    "share-url",
    "site-menu",
    "stats-title",
    "story-title",
    "timeline-title",
    "toc-title",
    "topics-title",
    "where-title",
];

/// Whether the theme uses `id` for an element of its own.
pub fn is_theme_id(id: &str) -> bool {
    THEME_IDS.contains(&id)
}

/// The anchor of a heading: its text as a lowercase ASCII slug (`What changed in 2016?` is
/// `what-changed-in-2016`).
pub fn heading_id(title: &str) -> String {
    let s = slug::slugify(title);
    if s.is_empty() { "section".into() } else { s }
}

/// `base`, or `base-1`, `base-2`… : the first that is neither `used` by another heading nor
/// `taken` (by the theme or a footnote). Notes it as used.
pub(super) fn unique_id(
    base: &str,
    used: &mut HashSet<String>,
    taken: impl Fn(&str) -> bool,
) -> String {
    if !taken(base) && used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 1;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken(&candidate) && used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// What a text holds that rendering needs to know before its first event.
#[derive(Default)]
pub(super) struct Prescan<'a> {
    /// Whether it may have embeds (`{{<`).
    pub(super) has_embeds: bool,
    /// The label of every `[^label]:` in the text: the footnote definitions, whose labels
    /// pulldown-cmark makes their ids (and perhaps a few look-alikes, in code, which only
    /// keep a heading from an id it could have had).
    pub(super) footnotes: Vec<&'a str>,
}

/// One search through `src` for both things [`Prescan`] tells (`{` and `^` are rare in prose,
/// so the search seldom stops).
pub(super) fn prescan(src: &str) -> Prescan<'_> {
    let bytes = src.as_bytes();
    let mut out = Prescan::default();
    for i in memchr::memchr2_iter(b'{', b'^', bytes) {
        if bytes[i] == b'{' {
            out.has_embeds |= bytes[i..].starts_with(b"{{<");
        } else if i > 0 && bytes[i - 1] == b'[' {
            let rest = &bytes[i + 1..];
            if let Some(end) = memchr::memchr2(b']', b'\n', rest)
                && end > 0
                && rest[end] == b']'
                && rest.get(end + 1) == Some(&b':')
                // `]` and `\n` are ASCII, so these are character boundaries.
                && let Some(label) = src.get(i + 1..i + 1 + end)
            {
                out.footnotes.push(label);
            }
        }
    }
    out
}

/// The id a footnote labelled `label` gets: its label, unless the theme uses that id (then
/// `label-1`, or the first free one after it).
pub(super) fn footnote_id(label: &str, labels: &[&str]) -> Option<String> {
    if !is_theme_id(label) {
        return None;
    }
    let mut used = HashSet::default();
    Some(unique_id(label, &mut used, |c| {
        is_theme_id(c) || labels.contains(&c)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prescan_finds_embeds_and_footnote_labels() {
        let p = prescan("a[^1] {x} ^ [^note]: n\n> [^q b]: c\n[^]: no [^x]\n{{< cite a >}}");
        assert!(p.has_embeds);
        assert_eq!(p.footnotes, ["note", "q b"]);
        assert!(!prescan("{ {<").has_embeds);
        assert!(prescan("[^é]:").footnotes == ["é"]);
    }

    #[test]
    fn ids_avoid_the_theme_footnotes_and_each_other() {
        let mut used = HashSet::default();
        let taken = |c: &str| is_theme_id(c) || c == "1";
        assert_eq!(unique_id("main", &mut used, taken), "main-1");
        assert_eq!(unique_id("main", &mut used, taken), "main-2");
        assert_eq!(unique_id("1", &mut used, taken), "1-1");
        assert_eq!(unique_id("intro", &mut used, taken), "intro");
        assert_eq!(unique_id("intro", &mut used, taken), "intro-1");
        assert_eq!(
            footnote_id("main", &["main", "main-1"]).as_deref(),
            Some("main-2")
        );
        assert_eq!(footnote_id("n", &["n"]), None);
    }

    /// Every literal id in the campaign theme's templates is in [`THEME_IDS`].
    #[test]
    fn theme_ids_cover_the_campaign_theme() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/campaign/templates");
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.expect("theme folder readable");
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = std::fs::read_to_string(path).expect("template readable");
            for (i, _) in text.match_indices("id=") {
                // An attribute named exactly `id` (not `data-id=`, `aria-labelledby=`).
                if !text[..i].ends_with(|c: char| c.is_ascii_whitespace()) {
                    continue;
                }
                let value = &text[i + 3..];
                let value = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                    _ => value
                        .split(|c: char| c.is_ascii_whitespace() || c == '>')
                        .next()
                        .unwrap_or(""),
                };
                found.push((path.display().to_string(), value.to_string()));
            }
        }
        assert!(found.len() >= THEME_IDS.len(), "{found:?}");
        for (file, id) in &found {
            if id.contains("{{") {
                // Computed ids: only on list pages, which show no Markdown body, and in
                // form embeds, whose ids hold `--`, which no heading slug does
                // (`render::embeds::embed_id`).
                assert!(
                    file.ends_with("resolutions.html")
                        || file.ends_with("partners.html")
                        || file.ends_with("embeds.html"),
                    "{file}: computed id `{id}` on a page that may show a body"
                );
                continue;
            }
            assert!(
                is_theme_id(id),
                "{file}: id `{id}` is missing from THEME_IDS"
            );
        }
    }
}
