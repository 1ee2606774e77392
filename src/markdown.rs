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
/// replacement address, or None to keep it.
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
    let mut events = Events {
        parser: Parser::new_ext(src, options()).into_offset_iter(),
        src,
        resolve,
        // memchr's search, whatever the inlining: `str::contains` took 3,000 instructions per
        // story when it was not inlined.
        has_embeds: memchr::memmem::find(src.as_bytes(), b"{{<").is_some(),
        clean,
        skip_until: 0,
        closes: Default::default(),
        heading: None,
        ready: std::collections::VecDeque::new(),
        used: HashSet::default(),
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
                && let Some((call, end)) = self.embed_at(span.clone())
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
            return None;
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

/// The ids rally's Markdown gave a text: those of its headings and footnotes. Cleaning keeps
/// these and drops every other id, so that raw HTML cannot take an id the page's theme uses
/// (`id="main"` would capture the skip link).
pub struct MarkdownIds<'a> {
    pub headings: &'a HashSet<String>,
    pub footnotes: &'a HashSet<String>,
}

/// Deepest nesting of HTML elements that [`sanitize`] accepts. The HTML parser under it takes
/// time proportional to the depth for every element (50,000 nested quotes took 12 s); real
/// text is never more than a few dozen levels deep.
pub const MAX_DEPTH: usize = 256;

/// Text refused because its elements are nested more than [`MAX_DEPTH`] levels deep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// Where in the Markdown text the nesting gets too deep (empty when not found).
    pub span: Range<usize>,
}

/// Removes everything that could run a script or take over the page from rendered HTML (for
/// collections whose raw HTML is not trusted), keeping what Markdown itself produces and the
/// embed markers: of ids only `ids`, on the elements Markdown puts them on; of styles only
/// table alignment. HTML nested more than [`MAX_DEPTH`] levels deep is refused.
pub fn sanitize(html: &str, ids: &MarkdownIds) -> Result<String, TooDeep> {
    use std::borrow::Cow;
    use std::cell::RefCell;
    use std::sync::LazyLock;
    /// The ids of the text being cleaned, for the attribute filter (which must be 'static):
    /// heading ids, then footnote ids.
    type Kept = (HashSet<String>, HashSet<String>);
    thread_local! {
        static KEPT: RefCell<Kept> = RefCell::default();
    }
    fn keep<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
        // An embed marker inside an attribute would be replaced by the embed's HTML there.
        if value.as_bytes().contains(&b'<') && value.contains("rally:embed") {
            return None;
        }
        let kept = match attribute {
            "id" => KEPT.with_borrow(|(headings, footnotes)| match element {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => headings.contains(value),
                "div" => footnotes.contains(value),
                _ => false,
            }),
            // What pulldown-cmark writes for a column's alignment.
            "style" => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            ),
            _ => true,
        };
        kept.then_some(Cow::Borrowed(value))
    }
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .attribute_filter(keep)
            .strip_comments(false)
            .link_rel(None);
        b
    });
    if html_depth(html) > MAX_DEPTH {
        return Err(TooDeep { span: 0..0 });
    }
    let previous = KEPT.replace((ids.headings.clone(), ids.footnotes.clone()));
    let clean = CLEANER.clean(html).to_string();
    KEPT.set(previous);
    Ok(clean)
}

/// Elements an HTML parser closes by itself when the next one of their kind starts (written
/// unclosed, as `<p>a<p>b`, they do not nest), that it ignores outside a table, and elements
/// without content. (Ruby's `rt` and the like are not here: outside `ruby` they nest.)
const NOT_NESTING: [&[u8]; 29] = [
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"wbr",
];

/// Formatting elements: an HTML parser reopens those left unclosed after every block that
/// closed them, so they count as open until their own end tag.
const FORMATTING: [&[u8]; 14] = [
    b"a", b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike",
    b"strong", b"tt", b"u",
];

/// Elements whose end tag closes every element opened inside them (up to a table).
const CLOSES_INNER: [&[u8]; 35] = [
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"button",
    b"center",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"header",
    b"hgroup",
    b"listing",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"pre",
    b"search",
    b"section",
    b"summary",
    b"ul",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"table",
];

/// An upper bound of how deep an HTML parser nests the elements of a text, tag by tag, in
/// time proportional to the text: an end tag closes only the element it names, and only when
/// nothing but elements it closes by itself lie above it; anything unclear counts as open.
#[derive(Default)]
struct Nesting {
    /// The open elements, formatting elements aside.
    stack: Vec<TagName>,
    /// Open formatting elements, per entry of [`FORMATTING`].
    formatting: [usize; FORMATTING.len()],
    open_formatting: usize,
}

/// An element's name in lowercase, kept without allocating; a name longer than the buffer
/// never matches an end tag (its element stays open, which only overestimates).
#[derive(Clone, Copy, PartialEq, Eq)]
struct TagName {
    bytes: [u8; 16],
    len: u8,
}

impl TagName {
    fn new(name: &[u8]) -> TagName {
        let mut bytes = [0u8; 16];
        let len = name.len().min(16);
        for (b, c) in bytes.iter_mut().zip(name) {
            *b = c.to_ascii_lowercase();
        }
        TagName {
            bytes,
            len: if name.len() > 16 { u8::MAX } else { len as u8 },
        }
    }
    fn is(&self, name: &[u8]) -> bool {
        usize::from(self.len) == name.len() && self.bytes[..name.len()] == *name
    }
    fn is_any(&self, names: &[&[u8]]) -> bool {
        names.iter().any(|n| self.is(n))
    }
}

impl Nesting {
    fn depth(&self) -> usize {
        self.stack.len() + self.open_formatting
    }

    fn tag(&mut self, name: &[u8], closing: bool) {
        let name = TagName::new(name);
        if name.is_any(&NOT_NESTING) {
            return;
        }
        if let Some(f) = FORMATTING.iter().position(|f| name.is(f)) {
            if !closing {
                self.formatting[f] += 1;
                self.open_formatting += 1;
            } else if self.formatting[f] > 0 {
                self.formatting[f] -= 1;
                self.open_formatting -= 1;
            }
            return;
        }
        if !closing {
            self.stack.push(name);
            return;
        }
        let through = name.is_any(&CLOSES_INNER);
        for k in (0..self.stack.len()).rev() {
            if self.stack[k] == name && name.len != u8::MAX {
                self.stack.truncate(k);
                return;
            }
            if !through || self.stack[k].is(b"table") {
                return;
            }
        }
    }
}

/// How deep the elements of `html` are nested (see [`Nesting`]), in one pass; stops counting
/// once past [`MAX_DEPTH`].
fn html_depth(html: &str) -> usize {
    let mut nesting = Nesting::default();
    let mut deepest = 0;
    scan_tags(html, |t| {
        nesting.tag(t.name, t.closing);
        deepest = deepest.max(nesting.depth());
        deepest <= MAX_DEPTH
    });
    deepest
}

/// A start or end tag found by [`scan_tags`]; ranges are byte offsets into the scanned text.
pub struct RawTag<'a> {
    /// The element's name as written (any case).
    pub name: &'a [u8],
    pub closing: bool,
    /// The whole tag, from `<` to `>`.
    pub span: Range<usize>,
    /// Each attribute's name and, if it has one, its value (without quotes, entities not
    /// decoded).
    pub attributes: &'a [(Range<usize>, Option<Range<usize>>)],
}

/// Calls `tag` for every start and end tag of `html`, in order, as an HTML parser's tokenizer
/// finds them (attribute values may hold `>`), until it returns false. Comments and the text
/// of `<script>` and the like are read as HTML too, which can only find more tags than the
/// parser does.
pub fn scan_tags(html: &str, mut tag: impl FnMut(&RawTag) -> bool) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        AfterQuoted,
        Unquoted,
    }
    let b = html.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let mut attributes: Vec<(Range<usize>, Option<Range<usize>>)> = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        let open = i + lt;
        i = open + 1;
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // `<!--`, `<!doctype`, `<?`, `< 3`: no tag (a comment's text is read on).
            continue;
        }
        let name_len = b[name_start..]
            .iter()
            .take_while(|&&c| !space(c) && c != b'/' && c != b'>')
            .count();
        let name = &b[name_start..name_start + name_len];
        attributes.clear();
        let mut j = name_start + name_len;
        let mut state = State::BeforeName;
        // Where the current attribute's name, or value, started.
        let mut from = j;
        while j < b.len() {
            let c = b[j];
            let next = match (state, c) {
                (State::Quoted(q), c) if c == q => State::AfterQuoted,
                (State::Quoted(q), _) => State::Quoted(q),
                (_, b'>') => break,
                (State::Unquoted, c) if space(c) => State::BeforeName,
                (State::Unquoted, _) => State::Unquoted,
                (State::BeforeValue, b'"' | b'\'') => State::Quoted(c),
                (State::BeforeValue, c) if space(c) => State::BeforeValue,
                (State::BeforeValue, _) => State::Unquoted,
                (State::Name | State::AfterName, b'=') => State::BeforeValue,
                (State::Name, c) if space(c) => State::AfterName,
                (_, b'/') => State::BeforeName,
                (_, c) if space(c) => match state {
                    State::AfterName => State::AfterName,
                    _ => State::BeforeName,
                },
                // Any other character (`=` too, at the start) is part of a name.
                _ => State::Name,
            };
            match (state, next) {
                (State::Name, State::Name) => {}
                (State::Name, _) => attributes.push((from..j, None)),
                (_, State::Name) => from = j,
                (State::Quoted(_), State::AfterQuoted) | (State::Unquoted, State::BeforeName) => {
                    if let Some(last) = attributes.last_mut() {
                        last.1 = Some(from..j);
                    }
                }
                (State::BeforeValue, State::Quoted(_)) => from = j + 1,
                (State::BeforeValue, State::Unquoted) => from = j,
                _ => {}
            }
            state = next;
            j += 1;
        }
        if j >= b.len() {
            // A tag cut off by the end of the text is dropped.
            return;
        }
        match state {
            State::Name => attributes.push((from..j, None)),
            State::Unquoted => {
                if let Some(last) = attributes.last_mut() {
                    last.1 = Some(from..j);
                }
            }
            State::BeforeValue => {
                if let Some(last) = attributes.last_mut() {
                    last.1 = Some(j..j);
                }
            }
            _ => {}
        }
        i = j + 1;
        let found = RawTag {
            name,
            closing,
            span: open..i,
            attributes: &attributes,
        };
        if !tag(&found) {
            return;
        }
    }
}

/// Where in the Markdown `src` elements first get nested more than [`MAX_DEPTH`] deep,
/// counting Markdown's own elements and the tags of raw HTML, for the message when
/// [`sanitize`] refuses a text.
fn deep_place(src: &str) -> Option<Range<usize>> {
    let mut markdown = 0usize;
    let mut raw = Nesting::default();
    for (event, span) in Parser::new_ext(src, options()).into_offset_iter() {
        match event {
            // Elements that do not nest (see `NOT_NESTING`), and HTML blocks, which are not
            // elements.
            Event::Start(
                Tag::Paragraph | Tag::Item | Tag::TableRow | Tag::TableCell | Tag::HtmlBlock,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::HtmlBlock,
            ) => {}
            Event::Start(_) => markdown += 1,
            Event::End(_) => markdown = markdown.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                let mut over = None;
                scan_tags(&h, |t| {
                    raw.tag(t.name, t.closing);
                    if markdown + raw.depth() > MAX_DEPTH {
                        over = Some(t.span.clone());
                    }
                    over.is_none()
                });
                if let Some(tag) = over {
                    // The tag itself, when the piece of HTML is the text as written.
                    return Some(if src.get(span.clone()) == Some(&*h) {
                        span.start + tag.start..span.start + tag.end
                    } else {
                        span
                    });
                }
            }
            _ => {}
        }
        if markdown + raw.depth() > MAX_DEPTH {
            return Some(span);
        }
    }
    None
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
            r#"<h2 id="main">"#,
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
