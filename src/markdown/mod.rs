//! Markdown to HTML with pulldown-cmark: stable heading ids, a table of contents, word counts,
//! and a hook that rewrites every link and image address (for `@/` content links). Its
//! parts: reading embed tags (`embed_tag`), naming headings and footnotes clear of each other
//! and of the theme (`ids`), cleaning untrusted HTML (`sanitize`), counting words (`words`).
//! What stays here is the one pass over the events that all of them share (links, embeds,
//! headings and footnotes change events in flight), and its tests.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

mod embed_tag;
mod hreflang;
mod ids;
mod sanitize;
mod words;

use embed_tag::{parse_tag, stray_embed};
pub use hreflang::with_hreflang;
pub use ids::{THEME_IDS, heading_id, is_theme_id};
use ids::{footnote_id, prescan, unique_id};
use sanitize::deep_place;
pub use sanitize::{MAX_DEPTH, MarkdownIds, RawTag, TooDeep, sanitize, scan_tags};
use words::count_words;

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
    /// Embeds found in the text, in order; the HTML holds [`embed_marker`]`(i)` for each.
    pub embeds: Vec<EmbedCall>,
}

/// An embed written as `{{< name arg="value" >}}` on its own line (and, for block embeds,
/// closed by `{{< /name >}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedCall {
    pub name: String,
    /// A bare first argument (`{{< cite a-res-71-1 >}}`).
    pub positional: Option<String>,
    pub args: Vec<(String, String)>,
    /// Rendered Markdown between the opening and closing tags of a block embed.
    pub body: Option<String>,
    /// Where that text is in the source, as written (for embeds that take plain text, such as
    /// the letter of `letter`).
    pub body_src: Option<Range<usize>>,
    /// The tag (or the whole block) in the source text.
    pub span: Range<usize>,
    /// A syntax problem, reported by the caller with the span.
    pub error: Option<String>,
}

/// Embeds that wrap Markdown text and need a closing tag.
pub const BLOCK_EMBEDS: [&str; 3] = ["quote", "cta", "letter"];

/// The placeholder an embed leaves in the HTML until templates render it.
pub fn embed_marker(i: usize) -> String {
    format!("<!--rally:embed:{i}-->")
}

/// What a link hook is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

/// The Markdown extensions rally turns on (for other passes over the same text to read it
/// the same way).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Called for every link and image with its address and byte range in the source; returns a
/// replacement address, or None to keep it. A link to a page in another language than the
/// text's says so with [`with_hreflang`].
pub type LinkHook<'a> = dyn FnMut(LinkKind, &str, Range<usize>) -> Option<String> + 'a;

/// Renders `src`, passing every link and image address through `resolve`. Raw HTML in the
/// text is kept as it is (for collections whose writers are trusted).
pub fn render(src: &str, resolve: &mut LinkHook) -> Rendered {
    // Only cleaning refuses a text.
    render_as(src, resolve, false).unwrap_or_default()
}

/// [`render`] for a collection whose raw HTML is not trusted: the HTML, and the HTML of the
/// text inside every embed, pass through [`sanitize`]. Refuses text nested so deeply that
/// cleaning it would take very long, with the place in `src` where the nesting gets too deep.
pub fn render_untrusted(src: &str, resolve: &mut LinkHook) -> Result<Rendered, TooDeep> {
    render_as(src, resolve, true).map_err(|_| TooDeep {
        span: deep_place(src).unwrap_or(0..0),
    })
}

fn render_as(src: &str, resolve: &mut LinkHook, clean: bool) -> Result<Rendered, TooDeep> {
    // memchr's search, whatever the inlining: `str::contains` took 3,000 instructions per
    // story when it was not inlined.
    let found = prescan(src);
    let mut footnote_ids = HashSet::default();
    let mut footnote_renames = Vec::new();
    for &label in &found.footnotes {
        match footnote_id(label, &found.footnotes) {
            Some(id) => {
                footnote_ids.insert(id.clone());
                footnote_renames.push((label, id));
            }
            None => {
                footnote_ids.insert(label.to_string());
            }
        }
    }
    let mut events = Events {
        parser: Parser::new_ext(src, options()).into_offset_iter(),
        src,
        resolve,
        has_embeds: found.has_embeds,
        footnote_ids,
        footnote_renames,
        renamed: Vec::new(),
        held: None,
        clean,
        skip_until: 0,
        closes: Default::default(),
        heading: None,
        ready: std::collections::VecDeque::new(),
        used: HashSet::default(),
        open_hreflang: false,
        out: Rendered::default(),
    };
    // Bodies are kept until their pages render. The HTML is a little longer than its
    // Markdown: written into a buffer of about its final size, it is trimmed to it in place
    // (copying each body out of a reused buffer was 1 % of a build).
    let mut html = String::with_capacity(src.len() + src.len() / 4 + 64);
    if clean {
        // Footnote labels are the ids of their definitions (collected here, off the path of
        // trusted text).
        let mut footnotes = HashSet::default();
        html::push_html(
            &mut html,
            (&mut events).inspect(|e| {
                if let Event::Start(Tag::FootnoteDefinition(label)) = e {
                    footnotes.insert(label.to_string());
                }
            }),
        );
        html = sanitize(
            &html,
            &MarkdownIds {
                headings: &events.used,
                footnotes: &footnotes,
            },
        )?;
    } else {
        html::push_html(&mut html, &mut events);
    }
    html.shrink_to_fit();
    Ok(Rendered { html, ..events.out })
}

/// The parser's events as they stream to the HTML writer, with link addresses resolved,
/// embeds replaced by markers, words counted and heading ids made unique. Only a heading's
/// own events are held back, until its text (and so its id) is known.
struct Events<'a, 'h> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    src: &'a str,
    resolve: &'h mut LinkHook<'h>,
    has_embeds: bool,
    /// The ids of the text's footnotes (perhaps a few more), which headings must not take.
    footnote_ids: HashSet<String>,
    /// Footnotes whose label is an id of the theme, with the id they get instead.
    footnote_renames: Vec<(&'a str, String)>,
    /// Headings whose id would have been one the theme uses: (that id, the heading's id).
    /// In-page links to that id go to the heading, as the writer meant.
    renamed: Vec<(String, String)>,
    /// Once a link to one of the theme's ids is seen: the rest of the events, held until the
    /// headings after it are named, then handed out (see `next`).
    held: Option<std::collections::VecDeque<Event<'a>>>,
    /// Whether the HTML of embed bodies is sanitised (as the text's own is).
    clean: bool,
    /// Events before this offset belong to an embed already handled.
    skip_until: usize,
    /// Per block embed: where the last search for its closing tag started and what it found,
    /// so that many unclosed embeds do not each search the rest of the text.
    closes: [Option<(usize, Option<usize>)>; BLOCK_EMBEDS.len()],
    /// The events of the heading being read.
    heading: Option<Vec<Event<'a>>>,
    /// A finished heading's events, to hand out.
    ready: std::collections::VecDeque<Event<'a>>,
    used: HashSet<String>,
    /// Whether a link written as HTML (with `hreflang`) is open: its end is HTML too.
    open_hreflang: bool,
    /// The table of contents, words and embeds found so far (`html` stays empty).
    out: Rendered,
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(held) = &mut self.held {
            return held.pop_front();
        }
        let event = self.step()?;
        if let Event::Start(Tag::Link { dest_url, .. }) = &event
            && dest_url.strip_prefix('#').is_some_and(is_theme_id)
        {
            // `[x](#main)`: a heading further on may be `## Main` (given `main-1`), which the
            // link means. Rare, so the rest of the text may wait in memory.
            let mut held: std::collections::VecDeque<Event<'a>> = [event].into();
            while let Some(e) = self.step() {
                held.push_back(e);
            }
            for e in &mut held {
                if let Event::Start(Tag::Link { dest_url, .. }) = e
                    && let Some((_, id)) = self
                        .renamed
                        .iter()
                        .find(|(was, _)| dest_url.strip_prefix('#') == Some(was.as_str()))
                {
                    *dest_url = CowStr::from(format!("#{id}"));
                }
            }
            self.held = Some(held);
            return self.held.as_mut()?.pop_front();
        }
        Some(event)
    }
}

impl<'a> Events<'a, '_> {
    /// The next event with addresses resolved, embeds replaced and headings named.
    fn step(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            let (event, span) = self.parser.next()?;
            if span.start < self.skip_until {
                continue;
            }
            if self.has_embeds
                && let Event::Start(Tag::Paragraph) = event
                && let Some((call, end)) = self.embed_at(span.clone())
            {
                let marker = format!("{}\n", embed_marker(self.out.embeds.len()));
                self.out.embeds.push(call);
                self.skip_until = end;
                return Some(Event::Html(CowStr::from(marker)));
            }
            let mut event = event;
            if let Event::Start(Tag::Link { title, .. } | Tag::Image { title, .. }) = &mut event
                && !title.is_empty()
            {
                *title = decoded(std::mem::replace(title, CowStr::Borrowed("")));
            }
            let address = match &mut event {
                // `<info@example.org>`: the HTML writer adds `mailto:`; it is never a file.
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    ..
                }) => None,
                Event::Start(Tag::Link { dest_url, .. }) => Some((LinkKind::Link, dest_url)),
                Event::Start(Tag::Image { dest_url, .. }) => Some((LinkKind::Image, dest_url)),
                _ => None,
            };
            if let Some((kind, dest_url)) = address
                && let Some(url) = (self.resolve)(kind, dest_url, span)
            {
                *dest_url = CowStr::from(url);
            }
            let event = self.with_hreflang(event);
            let event = match event {
                Event::Start(Tag::Heading { .. }) => {
                    self.heading = Some(vec![event]);
                    continue;
                }
                Event::End(TagEnd::Heading(level)) => {
                    if let Some(mut events) = self.heading.take() {
                        self.finish_heading(&mut events, level);
                        self.ready.extend(events);
                    }
                    self.ready.push_back(event);
                    continue;
                }
                Event::Text(t) => {
                    self.out.words += count_words(&t);
                    Event::Text(decoded(t))
                }
                Event::Code(ref t) => {
                    self.out.words += count_words(t);
                    event
                }
                Event::FootnoteReference(label) => {
                    Event::FootnoteReference(self.footnote_label(label))
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    Event::Start(Tag::FootnoteDefinition(self.footnote_label(label)))
                }
                other => other,
            };
            match &mut self.heading {
                Some(events) => events.push(event),
                None => return Some(event),
            }
        }
    }
}

impl<'a> Events<'a, '_> {
    /// The label a footnote is written with, or the one it gets if the theme uses its id.
    fn footnote_label(&self, label: CowStr<'a>) -> CowStr<'a> {
        match self.footnote_renames.iter().find(|(l, _)| **l == *label) {
            Some((_, id)) => CowStr::from(id.clone()),
            None => label,
        }
    }
}

impl Events<'_, '_> {
    /// Gives the heading whose events are `events` (its start first) a unique id, and adds
    /// it to the table of contents.
    fn finish_heading(&mut self, events: &mut [Event], level: HeadingLevel) {
        let title = plain_text(&events[1..]);
        if let Some(Event::Start(Tag::Heading {
            id, classes, attrs, ..
        })) = events.first()
        {
            let base = match id {
                Some(id) => id.to_string(),
                None => heading_id(&title),
            };
            let footnotes = &self.footnote_ids;
            let unique = unique_id(&base, &mut self.used, |id| {
                is_theme_id(id) || footnotes.contains(id)
            });
            if unique != base && is_theme_id(&base) {
                self.renamed.push((base, unique.clone()));
            }
            self.out.toc.push(Heading {
                level: level_number(level),
                id: unique.clone(),
                title,
            });
            events[0] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(unique)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
        }
    }
}

impl Events<'_, '_> {
    /// If the paragraph at `span` is an embed, parses it; returns the call and where its
    /// source ends (events before that are skipped). Kept out of `next`, whose every call
    /// would otherwise pay for its larger frame.
    #[inline(never)]
    fn embed_at(&mut self, span: Range<usize>) -> Option<(EmbedCall, usize)> {
        let src = self.src;
        let para = &src[span.clone()];
        let lead = para.len() - para.trim_start().len();
        let text = para.trim();
        if !text.starts_with("{{<") || !text.ends_with(">}}") {
            return stray_embed(para, span.start).map(|call| (call, span.end));
        }
        let start = span.start + lead;
        let tag_end = text.find(">}}")? + 3;
        let mut call = parse_tag(&text[..tag_end]);
        call.span = start..start + tag_end;
        let rest = text[tag_end..].trim();
        let block = BLOCK_EMBEDS.iter().position(|b| *b == call.name);
        if call.name.starts_with('/') {
            call.error = Some(format!(
                "`{{{{< {} >}}}}` closes an embed that was not opened",
                call.name
            ));
            return Some((call, span.end));
        }
        if !rest.is_empty() {
            // Opening tag, body and closing tag in one paragraph.
            let close = format!("{{{{< /{} >}}}}", call.name);
            if block.is_some()
                && let Some(body) = rest.strip_suffix(close.as_str())
            {
                let body_start =
                    start + tag_end + text[tag_end..].find(body.trim_start()).unwrap_or(0);
                self.nested(&mut call, body, body_start);
                call.span = start..span.start + lead + text.len();
            } else {
                call.error =
                    Some("an embed must stand on its own line, with empty lines around it".into());
            }
            return Some((call, span.end));
        }
        let Some(kind) = block else {
            return Some((call, span.end));
        };
        let close = format!("{{{{< /{} >}}}}", call.name);
        // The first closing tag after the paragraph. A search that found none (or found one
        // further on) answers for every later paragraph too.
        let found = match self.closes[kind] {
            Some((from, found)) if from <= span.end && found.is_none_or(|f| f >= span.end) => found,
            _ => {
                let found = src[span.end..].find(&close).map(|i| span.end + i);
                self.closes[kind] = Some((span.end, found));
                found
            }
        };
        match found {
            Some(close_start) => {
                let body_range = span.end..close_start;
                self.nested(&mut call, &src[body_range.clone()], body_range.start);
                let end = body_range.end + close.len();
                call.span = start..end;
                Some((call, end))
            }
            None => {
                call.error = Some(format!(
                    "`{{{{< {0} >}}}}` is never closed: add a line `{close}` after its text",
                    call.name
                ));
                Some((call, span.end))
            }
        }
    }

    /// Renders the body of a block embed into `call`, passing links to `resolve` with spans
    /// in the outer text, and cleaning it like the outer text.
    fn nested(&mut self, call: &mut EmbedCall, body: &str, offset: usize) {
        call.body_src = Some(offset..offset + body.len());
        let resolve = &mut *self.resolve;
        let mut shifted =
            |k: LinkKind, d: &str, r: Range<usize>| resolve(k, d, r.start + offset..r.end + offset);
        match render_as(body, &mut shifted, self.clean) {
            Ok(r) => call.body = Some(r.html),
            Err(_) => {
                call.error = Some(format!(
                    "the text of this `{}` is nested more than {MAX_DEPTH} levels deep",
                    call.name
                ))
            }
        }
    }
}

/// Renders a short Markdown text (e.g. a description) without links being rewritten.
pub fn render_inline(src: &str) -> String {
    render(src, &mut |_, _, _| None).html
}

/// A text as the HTML writer may print it. Content files hold no control characters (they
/// are refused as they are parsed), but a character reference (`&#11;`) decodes to one: it
/// is replaced, as CommonMark replaces `&#0;`. Text straight from the file is borrowed, and
/// not searched again.
fn decoded(t: CowStr<'_>) -> CowStr<'_> {
    if let CowStr::Borrowed(_) = t {
        return t;
    }
    match crate::chars::replace_forbidden(&t) {
        Some(clean) => CowStr::from(clean),
        None => t,
    }
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
    use super::sanitize::html_depth;
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
    fn embeds_become_markers() {
        let src = "Intro.\n\n{{< cite a-res-71-1 paragraph=\"33\" >}}\n\n{{< quote by='Ana' >}}\nNever *again*.\n{{< /quote >}}\n\nEnd with {{ braces }}.\n";
        let r = md(src);
        assert_eq!(r.embeds.len(), 2, "{:?}", r.embeds);
        let cite = &r.embeds[0];
        assert_eq!(cite.name, "cite");
        assert_eq!(cite.positional.as_deref(), Some("a-res-71-1"));
        assert_eq!(cite.args, vec![("paragraph".to_string(), "33".to_string())]);
        assert_eq!(
            &src[cite.span.clone()],
            "{{< cite a-res-71-1 paragraph=\"33\" >}}"
        );
        let quote = &r.embeds[1];
        assert_eq!(quote.args[0], ("by".to_string(), "Ana".to_string()));
        assert!(quote.body.as_ref().unwrap().contains("<em>again</em>"));
        assert!(r.html.contains(&embed_marker(0)) && r.html.contains(&embed_marker(1)));
        assert!(r.html.contains("End with {{ braces }}."));
        assert!(!r.html.contains("Never"));
    }

    #[test]
    fn embed_syntax_errors_are_reported() {
        let r = md("{{< quote >}}\n\nnever closed\n");
        assert!(r.embeds[0].error.as_ref().unwrap().contains("never closed"));
        let r = md("{{< cite \"a >}}\n");
        assert!(r.embeds[0].error.is_some());
        // Inside a paragraph: an error (it would be published as its source text).
        let r = md("Text {{< cite x >}} inline.\n");
        assert!(r.embeds[0].error.as_ref().unwrap().contains("own line"));
        // In code, as an example: left alone.
        let r = md("Write `{{< cite x >}}`.\n\n```\n{{< cite x >}}\n```\n");
        assert!(r.embeds.is_empty());
    }

    fn clean(s: &str) -> String {
        render_untrusted(s, &mut |_, _, _| None)
            .expect("not too deep")
            .html
    }

    #[test]
    fn sanitizing_keeps_markdown_and_removes_scripts() {
        let clean = clean(
            "## Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) **b**\n\n- [x] done\n\n| a |\n|---|\n| b |\n\n{{< cite x >}}\n",
        );
        assert!(
            !clean.contains("<script")
                && !clean.contains("onerror")
                && !clean.contains("javascript:"),
            "{clean}"
        );
        assert!(clean.contains(r#"<h2 id="title">"#) && clean.contains("<strong>b</strong>"));
        assert!(clean.contains("<table>") && clean.contains("checkbox"));
        assert!(clean.contains(&embed_marker(0)));
    }

    #[test]
    fn sanitizing_keeps_only_markdown_ids_and_alignment() {
        let html = clean(
            "## A {#main}\n\nx[^n]\n\n[^n]: note\n\n| a |\n|:-:|\n| b |\n\n\
             <h2 id=\"raw\" style=\"text-align: left\">r</h2><div id=\"a\">d</div><span id=\"n\">s</span>\
             <td style=\"text-align: center; position: fixed\">c</td><a title=\"<!--rally:embed:0-->\">t</a>\n",
        );
        for kept in [
            // `main` is the theme's: the heading gets the next free id.
            r#"<h2 id="main-1">"#,
            r#"<div class="footnote-definition" id="n">"#,
            r#"<th style="text-align: center">"#,
            "<h2>r</h2>",
            "<div>d</div>",
            "<span>s</span>",
            "<a>t</a>",
        ] {
            assert!(html.contains(kept), "lacks {kept}: {html}");
        }
        assert!(
            !html.contains("fixed") && !html.contains("rally:embed"),
            "{html}"
        );
    }

    #[test]
    fn embed_text_is_cleaned_with_its_text() {
        let r = render_untrusted(
            "{{< quote >}}\n<b onclick=x>a</b> <div id=main>b</div>\n{{< /quote >}}\n",
            &mut |_, _, _| None,
        )
        .expect("fine");
        let body = r.embeds[0].body.as_deref().unwrap_or("");
        assert!(body.starts_with("<p><b>a</b> </p><div>b</div>"), "{body}");
        let r = md("{{< quote >}}\n<b onclick=x>a</b>\n{{< /quote >}}\n");
        assert!(
            r.embeds[0]
                .body
                .as_deref()
                .unwrap_or("")
                .contains("onclick")
        );
    }

    #[test]
    fn tags_are_found_as_a_browser_finds_them() {
        let html = "<a href='x>y' title=\"<b>\">t</a><!-- <i> --><p-x a=1 b c = \"d\" =e/><3 </ b>";
        let mut seen = Vec::new();
        scan_tags(html, |t| {
            let attrs: Vec<String> = t
                .attributes
                .iter()
                .map(|(n, v)| match v {
                    Some(v) => format!("{}={}", &html[n.clone()], &html[v.clone()]),
                    None => html[n.clone()].to_string(),
                })
                .collect();
            seen.push(format!(
                "{}{} {}",
                if t.closing { "/" } else { "" },
                String::from_utf8_lossy(t.name),
                attrs.join(",")
            ));
            true
        });
        assert_eq!(
            seen,
            ["a href=x>y,title=<b>", "/a ", "i ", "p-x a=1,b,c=d,=e"],
            "{seen:?}"
        );
    }

    #[test]
    fn nesting_is_never_underestimated() {
        let depth = |s: &str| html_depth(s);
        assert_eq!(depth("<div><p>a<p>b<ul><li>c<li>d</ul></div>"), 2);
        assert_eq!(depth("<b><i>x</i></b><b>y</b>"), 2);
        // End tags that close nothing, or that HTML would not apply here.
        assert_eq!(depth(&"<div></span>".repeat(10)), 10);
        assert_eq!(depth(&"<span><div></span>".repeat(10)), 20);
        assert_eq!(depth(&"<div/>".repeat(10)), 10);
        // Formatting elements stay open until their own end tag.
        assert_eq!(depth(&"<div><b></div>".repeat(10)), 11);
        assert_eq!(depth("<div><span></div>"), 2);
        assert!(depth(&"<blockquote>".repeat(MAX_DEPTH + 10)) > MAX_DEPTH);
    }

    #[test]
    fn too_deep_text_is_refused_with_its_place() {
        let src = format!("Intro.\n\n{}x\n", "> ".repeat(MAX_DEPTH + 1));
        let err = render_untrusted(&src, &mut |_, _, _| None).expect_err("too deep");
        assert_eq!(err.span.start, 8 + 2 * MAX_DEPTH, "{:?}", err.span);
        // Trusted text is not cleaned, and so not refused.
        assert!(md(&src).html.contains("<blockquote>"));
        let ok = format!("{}x\n", "> ".repeat(MAX_DEPTH - 1));
        assert!(render_untrusted(&ok, &mut |_, _, _| None).is_ok());
    }

    #[test]
    fn many_unclosed_embeds_search_for_their_end_once() {
        let src = "{{< quote >}}\n\n".repeat(2000) + "{{< cta url=x >}}\n\nA\n\n{{< /cta >}}\n";
        let r = md(&src);
        assert_eq!(r.embeds.len(), 2001);
        assert!(r.embeds[..2000].iter().all(|e| {
            e.error
                .as_deref()
                .is_some_and(|e| e.contains("never closed"))
        }));
        assert_eq!(r.embeds[2000].body.as_deref(), Some("<p>A</p>\n"));
        // A closing tag further on still closes each opening before it.
        let r =
            md("{{< quote >}}\n\nA\n\n{{< /quote >}}\n\n{{< quote >}}\n\nB\n\n{{< /quote >}}\n");
        assert_eq!(r.embeds.len(), 2);
        assert_eq!(r.embeds[1].body.as_deref(), Some("<p>B</p>\n"));
    }

    #[test]
    fn counts_words() {
        assert_eq!(md("Hello *big* world — again.").words, 4);
    }
}
