//! Markdown to HTML with pulldown-cmark: stable heading ids, a table of contents, word counts,
//! and a hook that rewrites every link and image address (for `@/` content links).

use rustc_hash::FxHashSet as HashSet;
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
    /// The tag (or the whole block) in the source text.
    pub span: Range<usize>,
    /// A syntax problem, reported by the caller with the span.
    pub error: Option<String>,
}

/// Embeds that wrap Markdown text and need a closing tag.
pub const BLOCK_EMBEDS: [&str; 2] = ["quote", "cta"];

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
    let mut events = Events {
        parser: Parser::new_ext(src, options()).into_offset_iter(),
        src,
        resolve,
        has_embeds: src.contains("{{<"),
        skip_until: 0,
        heading: None,
        ready: std::collections::VecDeque::new(),
        used: HashSet::default(),
        out: Rendered::default(),
    };
    // Bodies are kept until their pages render. The HTML is a little longer than its
    // Markdown: written into a buffer of about its final size, it is trimmed to it in place
    // (copying each body out of a reused buffer was 1 % of a build).
    let mut html = String::with_capacity(src.len() + src.len() / 4 + 64);
    html::push_html(&mut html, &mut events);
    html.shrink_to_fit();
    Rendered { html, ..events.out }
}

/// The parser's events as they stream to the HTML writer, with link addresses resolved,
/// embeds replaced by markers, words counted and heading ids made unique. Only a heading's
/// own events are held back, until its text (and so its id) is known.
struct Events<'a, 'h> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    src: &'a str,
    resolve: &'h mut LinkHook<'h>,
    has_embeds: bool,
    /// Events before this offset belong to an embed already handled.
    skip_until: usize,
    /// The events of the heading being read.
    heading: Option<Vec<Event<'a>>>,
    /// A finished heading's events, to hand out.
    ready: std::collections::VecDeque<Event<'a>>,
    used: HashSet<String>,
    /// The table of contents, words and embeds found so far (`html` stays empty).
    out: Rendered,
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
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
                && let Some((call, end)) = embed_at(self.src, span.clone(), self.resolve)
            {
                let marker = format!("{}\n", embed_marker(self.out.embeds.len()));
                self.out.embeds.push(call);
                self.skip_until = end;
                return Some(Event::Html(CowStr::from(marker)));
            }
            let mut event = event;
            let address = match &mut event {
                Event::Start(Tag::Link { dest_url, .. }) => Some((LinkKind::Link, dest_url)),
                Event::Start(Tag::Image { dest_url, .. }) => Some((LinkKind::Image, dest_url)),
                _ => None,
            };
            if let Some((kind, dest_url)) = address
                && let Some(url) = (self.resolve)(kind, dest_url, span)
            {
                *dest_url = CowStr::from(url);
            }
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
                Event::Text(ref t) | Event::Code(ref t) => {
                    self.out.words += count_words(t);
                    event
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
            let unique = unique_id(&base, &mut self.used);
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

/// If the paragraph at `span` is an embed, parses it; returns the call and where its source
/// ends (events before that are skipped).
fn embed_at(src: &str, span: Range<usize>, resolve: &mut LinkHook) -> Option<(EmbedCall, usize)> {
    let para = &src[span.clone()];
    let lead = para.len() - para.trim_start().len();
    let text = para.trim();
    if !text.starts_with("{{<") || !text.ends_with(">}}") {
        return None;
    }
    let start = span.start + lead;
    let tag_end = text.find(">}}")? + 3;
    let mut call = parse_tag(&text[..tag_end]);
    call.span = start..start + tag_end;
    let rest = text[tag_end..].trim();
    let block = BLOCK_EMBEDS.contains(&call.name.as_str());
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
        if block && let Some(body) = rest.strip_suffix(close.as_str()) {
            let body_start = start + tag_end + text[tag_end..].find(body.trim_start()).unwrap_or(0);
            call.body = Some(render_nested(body, body_start, resolve));
            call.span = start..span.start + lead + text.len();
        } else {
            call.error =
                Some("an embed must stand on its own line, with empty lines around it".into());
        }
        return Some((call, span.end));
    }
    if !block {
        return Some((call, span.end));
    }
    let close = format!("{{{{< /{} >}}}}", call.name);
    match src[span.end..].find(&close) {
        Some(i) => {
            let body_range = span.end..span.end + i;
            call.body = Some(render_nested(
                &src[body_range.clone()],
                body_range.start,
                resolve,
            ));
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

/// Renders the body of a block embed, passing links to `resolve` with spans in the outer text.
fn render_nested(body: &str, offset: usize, resolve: &mut LinkHook) -> String {
    let mut shifted =
        |k: LinkKind, d: &str, r: Range<usize>| resolve(k, d, r.start + offset..r.end + offset);
    render(body, &mut shifted).html
}

/// Parses `{{< name positional key="value" key='v' key=bare >}}`.
fn parse_tag(tag: &str) -> EmbedCall {
    let inner = tag.trim_start_matches("{{<").trim_end_matches(">}}").trim();
    let mut call = EmbedCall {
        name: String::new(),
        positional: None,
        args: Vec::new(),
        body: None,
        span: 0..0,
        error: None,
    };
    let mut chars = inner.char_indices().peekable();
    let mut tokens: Vec<(Option<String>, String)> = Vec::new();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let _ = i;
        // A key (up to `=`) or a bare word.
        let mut word = String::new();
        let mut value: Option<String> = None;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            if c == '=' {
                chars.next();
                value = Some(read_value(&mut chars, &mut call));
                break;
            }
            if c == '"' || c == '\'' || c == '\u{201c}' {
                word = read_value(&mut chars, &mut call);
                break;
            }
            word.push(c);
            chars.next();
        }
        match value {
            Some(v) => tokens.push((Some(word), v)),
            None => tokens.push((None, word)),
        }
    }
    let mut tokens = tokens.into_iter();
    match tokens.next() {
        Some((None, name)) => call.name = name,
        _ => {
            call.error = Some("an embed starts with its name, e.g. {{< cite a-res-71-1 >}}".into());
            return call;
        }
    }
    for (key, value) in tokens {
        match key {
            Some(k) => call.args.push((k, value)),
            None if call.positional.is_none() && call.args.is_empty() => {
                call.positional = Some(value)
            }
            None => {
                call.error.get_or_insert(format!(
                    "`{value}` needs a name: write it as key=\"{value}\""
                ));
            }
        }
    }
    call
}

fn read_value(
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    call: &mut EmbedCall,
) -> String {
    let mut v = String::new();
    let quote = match chars.peek() {
        Some(&(_, q @ ('"' | '\''))) => {
            chars.next();
            Some(q)
        }
        Some(&(_, '\u{201c}')) => {
            chars.next();
            Some('\u{201d}')
        }
        _ => None,
    };
    for (_, c) in chars.by_ref() {
        match quote {
            Some(q) if c == q => return v,
            None if c.is_whitespace() => return v,
            _ => v.push(c),
        }
    }
    if quote.is_some() {
        call.error
            .get_or_insert("a quoted value is not closed: add the missing quote".into());
    }
    v
}

/// Removes everything that could run a script from rendered HTML (for collections whose raw
/// HTML is not trusted), keeping what Markdown itself produces and the embed markers.
pub fn sanitize(html: &str) -> String {
    use std::sync::LazyLock;
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .strip_comments(false)
            .link_rel(None);
        b
    });
    CLEANER.clean(html).to_string()
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

/// Words with at least one letter or digit (what `split_whitespace` and
/// `char::is_alphanumeric` would count). Word counting used to be the hottest function of
/// a build: ASCII text takes [`count_ascii_words`], other text one pass that decodes only
/// its non-ASCII characters.
fn count_words(t: &str) -> usize {
    const SPACE: u8 = 1;
    const ALNUM: u8 = 2;
    const CLASS: [u8; 128] = {
        let mut c = [0u8; 128];
        let mut i = 0;
        while i < 128 {
            let b = i as u8;
            // Unicode White_Space within ASCII (includes \x0b, unlike is_ascii_whitespace).
            c[i] = if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                SPACE
            } else if b.is_ascii_alphanumeric() {
                ALNUM
            } else {
                0
            };
            i += 1;
        }
        c
    };
    let bytes = t.as_bytes();
    if t.is_ascii() {
        return count_ascii_words(bytes);
    }
    let (mut words, mut alnum, mut i) = (0usize, 0usize, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let class = if b < 0x80 {
            i += 1;
            CLASS[b as usize]
        } else {
            let c = t[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if c.is_whitespace() {
                SPACE
            } else if c.is_alphanumeric() {
                ALNUM
            } else {
                0
            }
        };
        let space = usize::from(class == SPACE);
        words += space & alnum;
        alnum = (alnum & (space ^ 1)) | usize::from(class == ALNUM);
    }
    words + alnum
}

/// [`count_words`] for ASCII text. A word starts at a letter or digit when the last space,
/// letter or digit before it was a space (or there was none). Byte by byte, that is a chain
/// of dependent steps (it was a tenth of a build); here 32 bytes are classified at once into
/// bit masks and the rule applied to the masks, the "last was a space" state carried through
/// runs of punctuation by an addition.
fn count_ascii_words(bytes: &[u8]) -> usize {
    let mut words = 0usize;
    // Whether the position after the previous block follows a space.
    let mut carry = 1u64;
    let mut block = |(spaces, alnums): (u32, u32)| {
        let (spaces, alnums) = (u64::from(spaces), u64::from(alnums));
        let other = !(spaces | alnums) & 0xffff_ffff;
        // Positions right after a space; those on punctuation pass it on, through the run of
        // punctuation, to the position after the run (the addition's carry).
        let seeds = (spaces << 1 | carry) & 0xffff_ffff;
        let passed = (seeds & other) + other;
        let after_space = (seeds | passed) & !other & 0xffff_ffff;
        words += (after_space & alnums).count_ones() as usize;
        carry = (spaces >> 31) | (passed >> 32);
    };
    let (blocks, rest) = bytes.as_chunks::<32>();
    for b in blocks {
        block(classify32(b));
    }
    if !rest.is_empty() {
        // Padded with spaces, which start no word.
        let mut b = [b' '; 32];
        b[..rest.len()].copy_from_slice(rest);
        block(classify32(&b));
    }
    words
}

/// Bit masks (bit k for byte k) of the spaces and of the letters and digits among 32 ASCII
/// bytes.
#[cfg(target_arch = "x86_64")]
fn classify32(b: &[u8; 32]) -> (u32, u32) {
    // SAFETY: SSE2 is part of every x86_64 processor.
    unsafe { classify32_sse2(b) }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify32(b: &[u8; 32]) -> (u32, u32) {
    classify32_swar(b)
}

/// [`classify32`] with 16 bytes per instruction: three times as fast as [`classify32_swar`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classify32_sse2(b: &[u8; 32]) -> (u32, u32) {
    use std::arch::x86_64::*;
    let half = |h: &[u8; 16]| {
        // SAFETY: `h` is 16 readable bytes, and unaligned loads are allowed.
        let x = unsafe { _mm_loadu_si128(h.as_ptr().cast()) };
        let splat = |c: u8| _mm_set1_epi8(c as i8);
        // Signed comparisons are right for ASCII (< 0x80).
        let within = |v, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(lo - 1)),
                _mm_cmplt_epi8(v, splat(hi + 1)),
            )
        };
        let space = _mm_or_si128(_mm_cmpeq_epi8(x, splat(b' ')), within(x, b'\t', b'\r'));
        let lower = _mm_or_si128(x, splat(0x20));
        let alnum = _mm_or_si128(within(x, b'0', b'9'), within(lower, b'a', b'z'));
        (
            _mm_movemask_epi8(space) as u32 & 0xffff,
            _mm_movemask_epi8(alnum) as u32 & 0xffff,
        )
    };
    let (lo, hi) = b.split_at(16);
    let (Ok(lo), Ok(hi)) = (<&[u8; 16]>::try_from(lo), <&[u8; 16]>::try_from(hi)) else {
        unreachable!("32 bytes split in two halves of 16")
    };
    let ((s0, a0), (s1, a1)) = (half(lo), half(hi));
    (s0 | s1 << 16, a0 | a1 << 16)
}

/// [`classify32`] eight bytes at a time in a `u64`, for any processor.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify32_swar(b: &[u8; 32]) -> (u32, u32) {
    let (mut spaces, mut alnums) = (0u32, 0u32);
    for (k, c) in b.as_chunks::<8>().0.iter().enumerate() {
        let (s, a) = classify8(u64::from_le_bytes(*c));
        spaces |= u32::from(s) << (8 * k);
        alnums |= u32::from(a) << (8 * k);
    }
    (spaces, alnums)
}

/// Bit masks (bit k for byte k) of the spaces and of the letters and digits among eight
/// ASCII bytes, with per-byte arithmetic that cannot carry between bytes (all are < 0x80).
fn classify8(x: u64) -> (u8, u8) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte: byte >= n (n <= 0x80), byte == c.
    let ge = |x: u64, n: u8| ((x | HIGH) - ONES * u64::from(n)) & HIGH;
    let eq = |x: u64, c: u8| !((x ^ (ONES * u64::from(c))) + ONES * 0x7f) & HIGH;
    let space = eq(x, b' ') | (ge(x, b'\t') & !ge(x, b'\r' + 1));
    let lower = x | (ONES * 0x20);
    let alnum = (ge(x, b'0') & !ge(x, b'9' + 1)) | (ge(lower, b'a') & !ge(lower, b'z' + 1));
    // Gather the eight high bits into one byte, byte k's at bit k.
    let pack = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8;
    (pack(space), pack(alnum))
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
        // Inline or in code: left alone.
        let r = md("Text {{< cite x >}} inline.\n\n```\n{{< cite x >}}\n```\n");
        assert!(r.embeds.is_empty());
    }

    #[test]
    fn sanitizing_keeps_markdown_and_removes_scripts() {
        let r = md(
            "## Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) **b**\n\n- [x] done\n\n| a |\n|---|\n| b |\n",
        );
        let clean = sanitize(&format!("{}{}", r.html, embed_marker(0)));
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
    fn counts_words() {
        assert_eq!(md("Hello *big* world — again.").words, 4);
    }

    #[test]
    fn ascii_word_count_matches_the_general_rule() {
        let general = |t: &str| {
            t.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        };
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "a - b -- c",
            "tab\tnew\nline\r\nvt\x0bff\x0cend",
            "... 42 !!",
            "x\x1fy",
            "smart ‘quotes’ — dashes\u{a0}nbsp\u{2003}em space ünïcödé 日本語",
            "— – …",
        ] {
            assert_eq!(count_words(t), general(t), "{t:?}");
        }
        // Random ASCII texts over an alphabet of spaces, letters, digits and punctuation.
        let alphabet = b" \t\n\x0b\x0c\raZ09.,-(\"'\x1f*";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..1500 {
            let text: String = (0..len % 150)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()] as char
                })
                .collect();
            assert_eq!(count_words(&text), general(&text), "{text:?}");
        }
    }

    #[test]
    fn both_classifiers_agree_on_every_ascii_byte_at_every_position() {
        let slow = |b: u8| {
            (
                matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
                b.is_ascii_alphanumeric(),
            )
        };
        for byte in 0..0x80u8 {
            for pos in 0..32 {
                // The byte among neighbours of every kind.
                let mut block = *b"a b.c9 d\te,f g-h Z i(j k0l m\nn;x";
                block[pos] = byte;
                let (spaces, alnums) = classify32_swar(&block);
                #[cfg(target_arch = "x86_64")]
                assert_eq!(classify32(&block), (spaces, alnums), "{byte:#x} at {pos}");
                for (k, &b) in block.iter().enumerate() {
                    let (space, alnum) = slow(b);
                    assert_eq!(spaces >> k & 1 == 1, space, "{b:#x} at {k}");
                    assert_eq!(alnums >> k & 1 == 1, alnum, "{b:#x} at {k}");
                }
            }
        }
    }
}
