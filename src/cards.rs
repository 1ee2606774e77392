//! Share cards: one 1200×630 PNG per page for social networks' link previews (`og:image`),
//! which do not show SVG. A card is drawn as an SVG document (kicker, title, date or symbol,
//! site name, the entry's illustration) and rasterised with resvg. Text is shaped with the
//! fonts the caller passes in (the theme's `cards/` folder), never the system's, so every
//! machine draws the same bytes; SVG has no line wrapping, so titles are measured with that
//! font and wrapped here ([`fit`]). Pure: bytes in, bytes out; [`crate::share`] decides
//! which pages get one and caches them.

mod fit;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::sync::Arc;

use resvg::{tiny_skia, usvg};
use usvg::fontdb;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Changes whenever the drawing changes, so that cached cards are drawn again.
pub const CODE_VERSION: u32 = 1;

/// What a card shows. Texts may be of any length and script; they are cleaned (control
/// characters dropped, runs of white space made one space) before they are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Card<'a> {
    /// The page's title: up to 4 lines, cut with "…" beyond.
    pub title: &'a str,
    /// What the page is, in its language: "Story", "Resolution", "Partner".
    pub kicker: &'a str,
    /// A date or a symbol ("20 November 2019", "A/RES/69/187"); may be empty.
    pub meta: &'a str,
    /// The site's name, at the bottom: "End Child Detention".
    pub site_name: &'a str,
    /// Right-to-left text (Arabic): lines right-aligned, the illustration on the left.
    pub rtl: bool,
    /// The entry's illustration (the bytes of an SVG file), drawn in a box on the end side.
    /// Ignored if it does not parse.
    pub illustration: Option<&'a [u8]>,
}

/// How the title is set: what [`Renderer::render`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// In pixels, 72 down to 36.
    pub font_size: f32,
    /// In logical order (the first words first, also right to left).
    pub lines: Vec<String>,
    /// Whether the title did not fit and its last line ends with "…".
    pub truncated: bool,
}

/// Draws cards with a set of fonts. Made once per build and shared between threads.
pub struct Renderer {
    fonts: Arc<fontdb::Database>,
    /// The `font-family` attribute's value: the fonts' families, in the order given.
    family: String,
}

// The card's design, in pixels.
const MARGIN: f32 = 72.0;
/// The illustration's box, square, on the end side, vertically centred.
const BOX: f32 = 360.0;
/// Between the text column and the illustration's box.
const BOX_GAP: f32 = 56.0;
const BOX_RADIUS: f32 = 28.0;
const KICKER_SIZE: f32 = 28.0;
/// Letter spacing of the (upper-case) kicker in left-to-right scripts; Arabic letters join,
/// so they are never spaced.
const KICKER_SPACING: f32 = 2.5;
const META_SIZE: f32 = 32.0;
const SITE_SIZE: f32 = 30.0;
/// Between the kicker's line and the title's first.
const TITLE_GAP: f32 = 30.0;
/// Between the title's last line and the meta line.
const META_GAP: f32 = 26.0;
/// Baseline to baseline, per pixel of the title's size.
const LINE_HEIGHT: f32 = 1.18;
/// The accent bar before the site name.
const BAR_WIDTH: f32 = 56.0;
const BAR_HEIGHT: f32 = 8.0;
const BAR_GAP: f32 = 20.0;
/// At least this much space above the site's name.
const SITE_GAP: f32 = 40.0;

const BACKGROUND: &str = "#0a3f4a";
const TEXT: &str = "#ffffff";
const MUTED: &str = "#cfe3e6";
const ACCENT: &str = "#f2b34b";
const PANEL: &str = "#0b5c69";

/// The most characters of a title that are laid out (more than 4 lines hold at 36 px, unless
/// most are combining marks or invisible): a longer one is cut, and ends with "…".
const MAX_TITLE: usize = 1000;
/// Of the other texts (one line each).
const MAX_LINE: usize = 300;

/// Everything [`Renderer::svg`] places, computed once.
struct Plan<'a> {
    fitted: fit::Fitted,
    /// The text column's left and right edges.
    column: (f32, f32),
    /// The illustration's box (left, top) if it parses.
    illustration: Option<(&'a [u8], f32, f32)>,
    rtl: bool,
}

impl Renderer {
    /// A renderer with these fonts (the bytes of TrueType or OpenType files; the first is the
    /// main one). An error if none of them is a usable font.
    pub fn new(fonts: &[Vec<u8>]) -> Result<Renderer, String> {
        let mut db = fontdb::Database::new();
        for bytes in fonts {
            db.load_font_data(bytes.clone());
        }
        let mut families: Vec<String> = Vec::new();
        for face in db.faces() {
            if let Some((name, _)) = face.families.first() {
                let name: String = name
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\' | ',' | ';'))
                    .filter(|c| !c.is_control())
                    .collect();
                if !name.trim().is_empty() && !families.contains(&name) {
                    families.push(name);
                }
            }
        }
        let Some(first) = families.first() else {
            return Err(format!("none of the {} font files is a font", fonts.len()));
        };
        // Generic names ("sans-serif"), and usvg's own fallback (serif), find the first font.
        db.set_serif_family(first.clone());
        db.set_sans_serif_family(first.clone());
        let family = families
            .iter()
            .map(|f| format!("'{}'", escape(f)))
            .collect::<Vec<_>>()
            .join(", ");
        let renderer = Renderer {
            fonts: Arc::new(db),
            family,
        };
        // A face that fontdb lists but that cannot be shaped draws nothing: no card at all
        // is better than cards without their text.
        match renderer.measure(&[("Hg", style(100.0))], false)[0] {
            Some(m) if m.width > 0.0 => Ok(renderer),
            _ => Err(format!(
                "the fonts ({}) draw no Latin letters",
                renderer.family
            )),
        }
    }

    /// The card as a PNG, [`WIDTH`] × [`HEIGHT`].
    pub fn render(&self, card: &Card) -> Result<Vec<u8>, String> {
        let svg = self.svg(card);
        let tree = usvg::Tree::from_str(&svg, &self.options())
            .map_err(|e| format!("the card's SVG does not parse: {e}"))?;
        let mut pixmap =
            tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("the card's size is not drawable")?;
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| format!("the card's PNG could not be written: {e}"))
    }

    /// How the title is set: its size and lines.
    pub fn layout(&self, card: &Card) -> Layout {
        self.plan(card).fitted.title
    }

    /// The SVG document that [`render`](Renderer::render) draws. Text is in the fonts given to
    /// [`new`](Renderer::new), by family name; right-to-left lines are wrapped in U+202B
    /// RIGHT-TO-LEFT EMBEDDING … U+202C and anchored at their right edge (`text-anchor="end"`
    /// without `direction`: usvg lays every text out left to right, and a browser would
    /// anchor `direction="rtl"` text's end on the left).
    pub fn svg(&self, card: &Card) -> String {
        let plan = self.plan(card);
        let f = &plan.fitted;
        let (left, right) = plan.column;
        let mut out = Svg {
            renderer: self,
            svg: String::with_capacity(4096),
            rtl: plan.rtl,
        };
        let start = if plan.rtl { right } else { left };
        let _ = write!(
            out.svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>"#
        );
        if let Some((bytes, x, y)) = plan.illustration {
            let _ = write!(
                out.svg,
                r#"<clipPath id="box"><rect x="{x}" y="{y}" width="{BOX}" height="{BOX}" rx="{BOX_RADIUS}"/></clipPath><rect x="{x}" y="{y}" width="{BOX}" height="{BOX}" rx="{BOX_RADIUS}" fill="{PANEL}"/><image x="{x}" y="{y}" width="{BOX}" height="{BOX}" preserveAspectRatio="xMidYMid slice" clip-path="url(#box)" href="data:image/svg+xml;base64,{}"/>"#,
                base64(bytes)
            );
        }
        // The site's name on the card's last line, after the accent bar, the whole width.
        let extent = f.ascent + f.descent;
        let site_top = HEIGHT as f32 - MARGIN - extent * SITE_SIZE;
        let baseline = site_top + f.ascent * SITE_SIZE;
        let bar_y = baseline - 0.36 * SITE_SIZE - BAR_HEIGHT / 2.0;
        let (bar_x, site_x) = if plan.rtl {
            let bar_x = WIDTH as f32 - MARGIN - BAR_WIDTH;
            (bar_x, bar_x - BAR_GAP)
        } else {
            (MARGIN, MARGIN + BAR_WIDTH + BAR_GAP)
        };
        let _ = write!(
            out.svg,
            r#"<rect x="{bar_x}" y="{bar_y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" rx="{}" fill="{ACCENT}"/>"#,
            BAR_HEIGHT / 2.0
        );
        out.line("site", site_x, baseline, style(SITE_SIZE), TEXT, &f.site);
        // Kicker, title and meta: one block, centred in the height above the site's name
        // (at the top when it fills it).
        let size = f.title.font_size;
        let lines = f.title.lines.len() as f32;
        let mut heights = Vec::new();
        if !f.kicker.is_empty() {
            heights.push(extent * KICKER_SIZE + TITLE_GAP);
        }
        if lines > 0.0 {
            heights.push((lines - 1.0) * LINE_HEIGHT * size + extent * size);
        }
        if !f.meta.is_empty() {
            heights.push(if lines > 0.0 { META_GAP } else { 0.0 } + extent * META_SIZE);
        }
        let room = site_top - SITE_GAP - MARGIN;
        let mut top = MARGIN + ((room - heights.iter().sum::<f32>()) / 2.0).max(0.0);
        if !f.kicker.is_empty() {
            let baseline = top + f.ascent * KICKER_SIZE;
            let kicker = self.kicker_style(plan.rtl);
            out.line("kicker", start, baseline, kicker, ACCENT, &f.kicker);
            top += extent * KICKER_SIZE + TITLE_GAP;
        }
        for (i, line) in f.title.lines.iter().enumerate() {
            let baseline = top + f.ascent * size + i as f32 * LINE_HEIGHT * size;
            out.line(
                &format!("title-{i}"),
                start,
                baseline,
                style(size),
                TEXT,
                line,
            );
        }
        if lines > 0.0 {
            top += (lines - 1.0) * LINE_HEIGHT * size + extent * size + META_GAP;
        }
        let baseline = top + f.ascent * META_SIZE;
        out.line("meta", start, baseline, style(META_SIZE), MUTED, &f.meta);
        out.svg.push_str("</svg>");
        out.svg
    }

    /// Where everything goes.
    fn plan<'a>(&self, card: &Card<'a>) -> Plan<'a> {
        let illustration = card
            .illustration
            .filter(|bytes| usvg::Tree::from_data(bytes, &self.options()).is_ok());
        let full = (MARGIN, WIDTH as f32 - MARGIN);
        let box_y = (HEIGHT as f32 - BOX) / 2.0;
        let (column, illustration) = match (illustration, card.rtl) {
            (None, _) => (full, None),
            (Some(b), false) => {
                let x = full.1 - BOX;
                ((full.0, x - BOX_GAP), Some((b, x, box_y)))
            }
            (Some(b), true) => ((full.0 + BOX + BOX_GAP, full.1), Some((b, full.0, box_y))),
        };
        let title = clean(card.title, MAX_TITLE);
        let kicker = clean(card.kicker, MAX_LINE);
        let kicker = (kicker.0.to_uppercase(), kicker.1);
        let meta = clean(card.meta, MAX_LINE);
        let site = clean(card.site_name, MAX_LINE);
        let column_width = column.1 - column.0;
        let slot = |style: fit::Style, width: f32| fit::Slot { style, width };
        let fitted = fit::fit(
            &|probes| self.measure(probes, card.rtl),
            [
                (&title.0, title.1),
                (&kicker.0, kicker.1),
                (&meta.0, meta.1),
                (&site.0, site.1),
            ],
            [
                // The title's size is chosen by fit.
                slot(style(0.0), column_width),
                slot(self.kicker_style(card.rtl), column_width),
                slot(style(META_SIZE), column_width),
                slot(style(SITE_SIZE), full.1 - full.0 - BAR_WIDTH - BAR_GAP),
            ],
        );
        Plan {
            fitted,
            column,
            illustration,
            rtl: card.rtl,
        }
    }

    fn kicker_style(&self, rtl: bool) -> fit::Style {
        let spacing = if rtl { 0.0 } else { KICKER_SPACING };
        fit::Style {
            size: KICKER_SIZE,
            spacing,
        }
    }

    /// Parsing options: these fonts only, and no files read for `<image>`.
    fn options(&self) -> usvg::Options<'static> {
        let mut options = usvg::Options {
            fontdb: self.fonts.clone(),
            ..usvg::Options::default()
        };
        options.image_href_resolver.resolve_string = Box::new(|_, _| None);
        options
    }

    fn text_attributes(&self, svg: &mut String, style: fit::Style) {
        let _ = write!(
            svg,
            r#" font-family="{}" font-weight="bold" font-size="{}" xml:space="preserve""#,
            self.family, style.size
        );
        if style.spacing != 0.0 {
            let _ = write!(svg, r#" letter-spacing="{}""#, style.spacing);
        }
    }

    /// The width and vertical extent of each text as drawn in its style, shaped in one parse;
    /// `None` for text with nothing to draw.
    fn measure(&self, texts: &[(&str, fit::Style)], rtl: bool) -> Vec<Option<fit::Measure>> {
        let mut svg = String::with_capacity(texts.len() * 200 + 200);
        svg.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">"#);
        for (i, (text, style)) in texts.iter().enumerate() {
            let _ = write!(svg, r#"<text id="m{i}" x="0" y="0""#);
            self.text_attributes(&mut svg, *style);
            svg.push('>');
            push_line(&mut svg, text, rtl);
            svg.push_str("</text>");
        }
        svg.push_str("</svg>");
        let mut out = vec![None; texts.len()];
        let Ok(tree) = usvg::Tree::from_str(&svg, &self.options()) else {
            return out;
        };
        for node in tree.root().children() {
            if let usvg::Node::Text(text) = node
                && let Some(i) = text
                    .id()
                    .strip_prefix('m')
                    .and_then(|i| i.parse::<usize>().ok())
                && let Some(slot) = out.get_mut(i)
            {
                let b = text.bounding_box();
                *slot = Some(fit::Measure {
                    width: b.width(),
                    top: b.top(),
                    bottom: b.bottom(),
                });
            }
        }
        out
    }
}

/// A card's SVG being written.
struct Svg<'r> {
    renderer: &'r Renderer,
    svg: String,
    rtl: bool,
}

impl Svg<'_> {
    /// One line of text, `<text id>`, from `x` (its right end if right to left); nothing if
    /// `text` is empty.
    fn line(&mut self, id: &str, x: f32, y: f32, style: fit::Style, fill: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        let anchor = if self.rtl {
            r#" text-anchor="end""#
        } else {
            ""
        };
        let _ = write!(
            self.svg,
            r#"<text id="{id}" x="{x}" y="{y}" fill="{fill}"{anchor}"#
        );
        self.renderer.text_attributes(&mut self.svg, style);
        self.svg.push('>');
        push_line(&mut self.svg, text, self.rtl);
        self.svg.push_str("</text>");
    }
}

/// A line's text in a `<text>` element: escaped, and embedded right to left if `rtl` (usvg
/// takes every paragraph as left to right).
fn push_line(svg: &mut String, line: &str, rtl: bool) {
    if rtl {
        svg.push('\u{202b}');
    }
    svg.push_str(&escape(line));
    if rtl {
        svg.push('\u{202c}');
    }
}

/// A hash of everything a card shows and of [`CODE_VERSION`], to name a cached card. The
/// fonts are not in it: a theme whose `cards/` fonts change must add their hash to it.
pub fn key(card: &Card) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"rally card");
    h.update(&CODE_VERSION.to_le_bytes());
    for text in [card.title, card.kicker, card.meta, card.site_name] {
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    h.update(&[u8::from(card.rtl)]);
    match card.illustration {
        None => h.update(&[0]),
        Some(bytes) => {
            h.update(&[1]);
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
    }
    format!("{:032x}", h.digest128())
}

/// `text` as it is drawn: control characters (which XML forbids) and bidirectional
/// embeddings (which would unbalance the card's own) dropped, white space made single spaces,
/// at most `max` characters; and whether it was cut there.
fn clean(text: &str, max: usize) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(4 * max));
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}') {
            space = !out.is_empty();
            continue;
        }
        if crate::chars::is_forbidden(c)
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            continue;
        }
        if count + usize::from(space) + 1 > max {
            return (out, true);
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    (out, false)
}

/// A line's style without letter spacing.
fn style(size: f32) -> fit::Style {
    fit::Style { size, spacing: 0.0 }
}

/// Text for an XML attribute or element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(DIGITS[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes the example cards, `docs/cards/*.png`, to look at after a change of the drawing:
/// `cargo test --lib cards::write_examples -- --ignored`.
#[cfg(test)]
#[test]
#[ignore]
fn write_examples() {
    tests::write_examples();
}
