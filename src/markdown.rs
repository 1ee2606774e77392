//! Markdown to HTML with pulldown-cmark: stable heading ids, a table of contents, word counts,
//! and a hook that rewrites every link and image address (for `@/` content links).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// A heading of the page, for the table of contents and anchor checks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The HTML of a Markdown text and what templates want to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    pub words: usize,
}

/// What a link hook is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Called for every link and image with its address and byte range in the source; returns a
/// replacement address, or None to keep it.
pub type LinkHook<'a> = dyn FnMut(LinkKind, &str, Range<usize>) -> Option<String> + 'a;

/// Renders `src`, passing every link and image address through `resolve`.
pub fn render(src: &str, resolve: &mut LinkHook) -> Rendered {
    let mut events: Vec<Event> = Vec::with_capacity(src.len() / 16);
    let mut toc = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut words = 0;
    let mut heading_start: Option<usize> = None;

    for (event, span) in Parser::new_ext(src, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(LinkKind::Link, &dest_url, span)
                    .map(CowStr::from)
                    .unwrap_or(dest_url);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(LinkKind::Image, &dest_url, span)
                    .map(CowStr::from)
                    .unwrap_or(dest_url);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let title = plain_text(&events[start + 1..]);
                    if let Event::Start(Tag::Heading {
                        id, classes, attrs, ..
                    }) = &events[start]
                    {
                        let base = match id {
                            Some(id) => id.to_string(),
                            None => heading_id(&title),
                        };
                        let unique = unique_id(&base, &mut used);
                        toc.push(Heading {
                            level: level_number(level),
                            id: unique.clone(),
                            title,
                        });
                        events[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(CowStr::from(unique)),
                            classes: classes.clone(),
                            attrs: attrs.clone(),
                        });
                    }
                }
                events.push(event);
            }
            Event::Text(ref t) => {
                words += count_words(t);
                events.push(event);
            }
            Event::Code(ref t) => {
                words += count_words(t);
                events.push(event);
            }
            other => events.push(other),
        }
    }

    let mut out = String::with_capacity(src.len() + src.len() / 4);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        toc,
        words,
    }
}

/// Renders a short Markdown text (e.g. a description) without links being rewritten.
pub fn render_inline(src: &str) -> String {
    render(src, &mut |_, _, _| None).html
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn count_words(t: &str) -> usize {
    t.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The anchor of a heading: its text as a lowercase ASCII slug (`What changed in 2016?` is
/// `what-changed-in-2016`).
pub fn heading_id(title: &str) -> String {
    let s = slug::slugify(title);
    if s.is_empty() { "section".into() } else { s }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 1;
    loop {
        let candidate = format!("{base}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn level_number(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Rendered {
        render(s, &mut |_, _, _| None)
    }

    #[test]
    fn extensions_are_on() {
        let r = md("| a |\n|---|\n| b |\n\n~~x~~ - [x] t\n\n\"q\"[^1]\n\n[^1]: n\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("\u{201c}q\u{201d}"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let r = md("## What changed in 2016?\n\n## What changed in 2016?\n\n### Custom {#mine}\n");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["what-changed-in-2016", "what-changed-in-2016-1", "mine"]
        );
        assert!(r.html.contains(r#"<h2 id="what-changed-in-2016">"#));
        assert_eq!(r.toc[2].level, 3);
    }

    #[test]
    fn links_are_rewritten_with_their_span() {
        let src = "See [x](@/a.md) and ![i](p.png).";
        let mut seen = Vec::new();
        let r = render(src, &mut |k, d, span| {
            seen.push((k, d.to_string(), src[span].to_string()));
            (k == LinkKind::Link).then(|| "/a/".to_string())
        });
        assert!(r.html.contains(r#"href="/a/""#));
        assert!(r.html.contains(r#"src="p.png""#));
        assert_eq!(seen[0].2, "[x](@/a.md)");
        assert_eq!(seen[1].0, LinkKind::Image);
    }

    #[test]
    fn counts_words() {
        assert_eq!(md("Hello *big* world — again.").words, 4);
    }
}
