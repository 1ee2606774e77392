//! `rally check`'s advice: things that build fine but make the site worse for readers
//! (missing alt text, "click here" links, skipped heading levels, long summaries, ...), and
//! the optional check of external links, and out-of-date translations ([`translations`]).
//! All of it is warnings, never errors.

mod safety;
mod translations;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap as HashMap;

use crate::content::{self, Content, Doc};
use crate::diagnostics::Diagnostic;
use crate::load::{AssetData, Sources};

/// Longest summary that fits social cards and search results without being cut.
pub const SUMMARY_MAX: usize = 200;
/// Images larger than this slow pages down on phones.
pub const IMAGE_BUDGET: u64 = 500 * 1024;

/// Link texts that say nothing out of context (screen-reader users list links by text).
const VAGUE: [&str; 8] = [
    "click here",
    "here",
    "read more",
    "more",
    "this link",
    "link",
    "this",
    "click",
];

/// All content warnings of a site.
pub fn lint(sources: &Sources) -> Vec<Diagnostic> {
    let (content, _) = content::parse_all(&sources.content, &mut content::ParseMemo::default());
    let mut out = Vec::new();
    let sizes: HashMap<&str, u64> = sources
        .assets
        .iter()
        .map(|a| match &a.data {
            AssetData::File(_, stamp) => (a.out.as_str(), stamp.0),
            AssetData::Embedded(b) => (a.out.as_str(), b.len() as u64),
        })
        .collect();
    safety::warnings(sources, &content, &mut out);
    translations::warnings(sources, &content, &mut out);
    for d in &content.stories {
        body(d, &sizes, &mut out);
        let m = &d.meta;
        let len = m.summary.chars().count();
        if len > SUMMARY_MAX && !inherits(d, "summary") {
            out.push(
                warn(d, "summary", "", format!("the summary is {len} characters long"))
                    .help(format!("social cards and search results cut it after about {SUMMARY_MAX}; shorten it to one or two sentences")),
            );
        }
        if m.tags.is_empty() && !inherits(d, "tags") {
            out.push(
                warn(d, "title", "", "this story has no tags")
                    .help("add `tags: [...]` so readers find it from related stories; reuse tags other stories have"),
            );
        }
        if let Some(img) = m.image.as_ref().filter(|_| !inherits(d, "image")) {
            // `alt: ""` says the picture only decorates.
            if !img.alt.is_empty() && img.alt.trim().len() < 4
                || ["image", "photo", "picture", "hero"]
                    .contains(&img.alt.trim().to_lowercase().as_str())
            {
                out.push(
                    warn(
                        d,
                        "alt",
                        &img.alt,
                        "this alt text does not describe the image",
                    )
                    .help("say what the picture shows, for readers who cannot see it"),
                );
            }
            let path = format!("{}{}", source_dir(d), img.src);
            too_big(d, d.locate("src", &img.src), &path, &sizes, &mut out);
        }
    }
    for d in &content.resolutions {
        body(d, &sizes, &mut out);
    }
    for d in &content.partners {
        body(d, &sizes, &mut out);
    }
    for d in &content.pages {
        body(d, &sizes, &mut out);
    }
    duplicate_titles(&content, &mut out);
    out
}

/// Whether `d` is a translation that does not write `key` itself (it inherits it from its
/// original, or neither has it): advice about that key is given once, on the original,
/// where it is fixed.
fn inherits<M>(d: &Doc<M>, key: &str) -> bool {
    d.translation.is_some()
        && !d.file.text[d.meta_span.clone()]
            .lines()
            .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
}

fn warn<M>(d: &Doc<M>, key: &str, needle: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(message).at(&d.file.path, &d.file.text, d.locate(key, needle))
}

fn source_dir<M>(d: &Doc<M>) -> String {
    let inner = d.file.path.strip_prefix("content/").unwrap_or(&d.file.path);
    inner
        .rfind('/')
        .map_or(String::new(), |i| inner[..=i].to_string())
}

fn too_big<M>(
    d: &Doc<M>,
    span: Range<usize>,
    path: &str,
    sizes: &HashMap<&str, u64>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(&size) = sizes.get(path)
        && size > IMAGE_BUDGET
    {
        out.push(
            Diagnostic::warning(format!("this image is {} KB", size / 1024))
                .at(&d.file.path, &d.file.text, span)
                .help(format!("images over {} KB load slowly on phones; resize it (1,600 pixels wide is plenty) or save it as WebP or JPEG", IMAGE_BUDGET / 1024)),
        );
    }
}

/// Warnings about the Markdown body: images, links, headings.
fn body<M>(d: &Doc<M>, sizes: &HashMap<&str, u64>, out: &mut Vec<Diagnostic>) {
    let text = d.body_text();
    if text.trim().is_empty() {
        return;
    }
    let base = d.body.start;
    let at = |r: Range<usize>| base + r.start..base + r.end;
    let mut last_level = 1u8;
    // (is_image, destination, text so far, span)
    let mut open: Option<(bool, String, String, Range<usize>)> = None;
    for (event, span) in Parser::new_ext(text, pulldown_cmark::Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((true, dest_url.to_string(), String::new(), span))
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((false, dest_url.to_string(), String::new(), span))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(o) = open.as_mut() {
                    o.2.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::Link) => {
                if let Some((image, dest, label, span)) = open.take() {
                    let label = label.trim().to_lowercase();
                    let d_at = |m: String| {
                        Diagnostic::warning(m).at(&d.file.path, &d.file.text, at(span.clone()))
                    };
                    if image {
                        if label.is_empty() {
                            out.push(d_at("this image has no alt text".into()).help(
                                "write what it shows between the brackets: ![Children at a community centre](photo.jpg)",
                            ));
                        }
                        if !dest.contains(':') {
                            too_big(
                                d,
                                at(span.clone()),
                                &format!("{}{}", source_dir(d), dest),
                                sizes,
                                out,
                            );
                        }
                    } else if label.is_empty() {
                        out.push(d_at("this link has no text".into()).help(
                            "put words between the brackets: [the New York Declaration](...)",
                        ));
                    } else if VAGUE.contains(&label.trim_end_matches(['.', '!'])) {
                        out.push(d_at(format!("the link text \"{label}\" does not say where it goes")).help(
                            "screen readers list links by their text; name the destination, e.g. [read the New York Declaration](...)",
                        ));
                    }
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let n = level_number(level);
                if n == 1 {
                    out.push(
                        Diagnostic::warning("a level-1 heading (#) in the text")
                            .at(&d.file.path, &d.file.text, at(span.clone()))
                            .help(
                                "the page title is the only level-1 heading; use ## for sections",
                            ),
                    );
                } else if n > last_level + 1 {
                    out.push(
                        Diagnostic::warning(format!(
                            "this heading skips from level {last_level} to level {n}"
                        ))
                        .at(&d.file.path, &d.file.text, at(span.clone()))
                        .help(format!(
                            "screen-reader users navigate by headings; use {} here",
                            "#".repeat(last_level as usize + 1)
                        )),
                    );
                }
                last_level = n.max(1);
            }
            _ => {}
        }
    }
}

fn level_number(l: HeadingLevel) -> u8 {
    l as u8
}

/// Stories with the same title in the same language (a translation not yet translated is
/// the same title in another language, which readers tell apart).
fn duplicate_titles(content: &Content, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(Option<&str>, String), &Arc<Doc<content::Story>>> = BTreeMap::new();
    for d in &content.stories {
        let key = (d.lang(), d.meta.title.trim().to_lowercase());
        match seen.get(&key) {
            Some(first) => out.push(
                warn(
                    d,
                    "title",
                    &d.meta.title,
                    "another story has the same title",
                )
                .help(format!(
                    "{} is also called \"{}\"; readers and search engines cannot tell them apart",
                    first.file.path, first.meta.title
                )),
            ),
            None => {
                seen.insert(key, d);
            }
        }
    }
}

/// A place in a file: path, text, byte range.
pub type Place = (String, Arc<str>, Range<usize>);

/// An external address and where it is used.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    pub places: Vec<Place>,
}

/// Every http(s) address in content: Markdown links and images, `url`, `website`.
pub fn external_links(sources: &Sources) -> Vec<ExternalLink> {
    let (content, _) = content::parse_all(&sources.content, &mut content::ParseMemo::default());
    let mut found: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    fn scan<M>(d: &Doc<M>, found: &mut BTreeMap<String, Vec<Place>>) {
        let base = d.body.start;
        for (event, span) in
            Parser::new_ext(d.body_text(), pulldown_cmark::Options::all()).into_offset_iter()
        {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
                && (dest_url.starts_with("https://") || dest_url.starts_with("http://"))
            {
                found
                    .entry(dest_url.split('#').next().unwrap_or(&dest_url).to_string())
                    .or_default()
                    .push((
                        d.file.path.clone(),
                        d.file.text.clone(),
                        base + span.start..base + span.end,
                    ));
            }
        }
    }
    let mut front = |d_path: &str, text: &Arc<str>, range: Range<usize>, url: &str| {
        found
            .entry(url.to_string())
            .or_default()
            .push((d_path.to_string(), text.clone(), range));
    };
    for d in &content.resolutions {
        if let Some(u) = &d.meta.url {
            front(&d.file.path, &d.file.text, d.locate("url", u), u);
        }
    }
    for d in &content.partners {
        if let Some(u) = &d.meta.website {
            front(&d.file.path, &d.file.text, d.locate("website", u), u);
        }
    }
    for d in &content.stories {
        scan(d, &mut found);
    }
    for d in &content.resolutions {
        scan(d, &mut found);
    }
    for d in &content.partners {
        scan(d, &mut found);
    }
    for d in &content.pages {
        scan(d, &mut found);
    }
    found
        .into_iter()
        .map(|(url, places)| ExternalLink { url, places })
        .collect()
}

/// What an external address answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkStatus {
    Ok,
    /// The host answered with this HTTP status.
    Broken(u16),
    /// No answer (DNS, refused, timeout): may be a passing problem.
    Unreachable(String),
}

/// Checks addresses with at most `concurrency` requests at once and a timeout each. Results
/// found in `cache` (url → status, for addresses answered Ok within its lifetime) are reused.
pub fn check_links(urls: &[String], concurrency: usize, timeout: Duration) -> Vec<LinkStatus> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("rally-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(concurrency.max(1))
        .build();
    let check = |url: &String| match agent.head(url).call() {
        Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 403 => {
            match agent.get(url).call() {
                Ok(r) if r.status().is_success() || r.status().is_redirection() => LinkStatus::Ok,
                Ok(r) => LinkStatus::Broken(r.status().as_u16()),
                Err(e) => LinkStatus::Unreachable(e.to_string()),
            }
        }
        Ok(r) if r.status().is_success() || r.status().is_redirection() => LinkStatus::Ok,
        Ok(r) => LinkStatus::Broken(r.status().as_u16()),
        Err(e) => LinkStatus::Unreachable(e.to_string()),
    };
    match pool {
        Ok(pool) => pool.install(|| {
            use rayon::prelude::*;
            urls.par_iter().map(check).collect()
        }),
        Err(_) => urls.iter().map(check).collect(),
    }
}

/// Files under `content/` that the build leaves out because they are not web files.
pub fn unpublished(sources: &Sources) -> Vec<Diagnostic> {
    sources
        .unpublished
        .iter()
        .map(|path| {
            Diagnostic::warning(format!("not published: {path}"))
                .in_file(path.clone())
                .help(format!(
                    "only web files in content/ are published (images, PDF, audio, video: see docs/content.md); \
                     this one stays private. To publish it, save it as PDF; to silence this, move it out of content/ \
                     or add its name to {}",
                    crate::load::IGNORE_FILE
                ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_link_texts() {
        assert!(VAGUE.contains(&"click here"));
        assert!(!VAGUE.contains(&"the new york declaration"));
    }
}
