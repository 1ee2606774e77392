//! Cleaning the HTML of writers whose raw HTML is not trusted (ammonia), and the one-pass
//! nesting bound that keeps cleaning linear: text nested too deep is refused, with its place.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rustc_hash::FxHashSet as HashSet;

use super::options;

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
pub(super) const NOT_NESTING: [&[u8]; 29] = [
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
pub(super) const FORMATTING: [&[u8]; 14] = [
    b"a", b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike",
    b"strong", b"tt", b"u",
];

/// Elements whose end tag closes every element opened inside them (up to a table).
pub(super) const CLOSES_INNER: [&[u8]; 35] = [
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
pub(super) struct Nesting {
    /// The open elements, formatting elements aside.
    stack: Vec<TagName>,
    /// Open formatting elements, per entry of [`FORMATTING`].
    formatting: [usize; FORMATTING.len()],
    open_formatting: usize,
}

/// An element's name in lowercase, kept without allocating; a name longer than the buffer
/// never matches an end tag (its element stays open, which only overestimates).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct TagName {
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
pub(super) fn html_depth(html: &str) -> usize {
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
pub(super) fn deep_place(src: &str) -> Option<Range<usize>> {
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
