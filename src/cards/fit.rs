//! Fitting text into a card's lines. SVG has no line wrapping, so the words are measured with
//! the real font (one usvg parse for every word and character at a reference size; shaping
//! scales linearly with the font size) and wrapped greedily; the lines chosen are then shaped
//! once more as a whole and the fit is redone with a narrower budget if one came out wider
//! than its sum of words said (kerning, Arabic joining across a split word).

use rustc_hash::FxHashMap as HashMap;

use super::Layout;

/// The size words are measured at.
const REF: f32 = 100.0;

/// The title's sizes, largest first: the first one at which the title fits wins.
const SIZES: [f32; 10] = [72.0, 68.0, 64.0, 60.0, 56.0, 52.0, 48.0, 44.0, 40.0, 36.0];

/// The title's lines at a size: fewer lines for the largest sizes, which would crowd the card.
fn max_lines(size: f32) -> usize {
    if size >= 60.0 { 3 } else { 4 }
}

/// Marks the end of a shortened line.
pub(super) const ELLIPSIS: &str = "…";

/// How one line of text is drawn: what is measured must be drawn the same way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub size: f32,
    /// Extra space after each character (`letter-spacing`), in pixels.
    pub spacing: f32,
}

/// What a line is fitted into.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub style: Style,
    pub width: f32,
}

/// The four texts of a card, fitted.
#[derive(Debug, Clone)]
pub(super) struct Fitted {
    pub title: Layout,
    pub kicker: String,
    pub meta: String,
    pub site: String,
    /// The font's ascent and descent for 1 px of size (where a line's box starts and ends
    /// around its baseline).
    pub ascent: f32,
    pub descent: f32,
}

/// Widths at [`REF`] of every word and character of the texts, and of a space and "…".
struct Widths {
    of: HashMap<String, f32>,
    space: f32,
    ellipsis: f32,
}

impl Widths {
    fn get(&self, text: &str) -> f32 {
        self.of.get(text).copied().unwrap_or(0.0)
    }
}

/// Shapes lines as they are drawn: each text's [`Measure`], `None` for text that draws nothing.
pub(super) type Measurer<'a> = dyn Fn(&[(&str, Style)]) -> Vec<Option<Measure>> + 'a;

/// A measurement of one line of text: its advance width and its box above and below the
/// baseline (usvg's text bounding box: the font's ascent and descent, not the ink).
#[derive(Debug, Clone, Copy)]
pub(super) struct Measure {
    pub width: f32,
    pub top: f32,
    pub bottom: f32,
}

/// Fits a card's texts (`measure` shapes lines as they are drawn: see `Renderer::measure`):
/// title, kicker, meta, site name, cleaned (see `super::clean`), each
/// with whether it was cut short (then it ends with "…" even if it fits).
pub(super) fn fit(measure: &Measurer, texts: [(&str, bool); 4], slots: [Slot; 4]) -> Fitted {
    let [title, kicker, meta, site] = texts;
    // Every word and every character of every text, once.
    // A space alone draws nothing: its width is that of "a a" less that of "aa".
    let mut tokens: Vec<&str> = vec!["a a", "aa", ELLIPSIS, "Hg"];
    for (text, _) in texts {
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            tokens.push(word);
            tokens.extend(clusters(word));
        }
    }
    tokens.sort_unstable();
    tokens.dedup();
    let style = Style {
        size: REF,
        spacing: 0.0,
    };
    let measured = measure(&tokens.iter().map(|t| (*t, style)).collect::<Vec<_>>());
    let mut of = HashMap::default();
    // Every line's box has the font's ascent and descent; "Hg" is there to be sure of one.
    let mut extent = None;
    for (token, m) in tokens.iter().zip(&measured) {
        if let Some(m) = m {
            of.insert(token.to_string(), m.width);
            if extent.is_none() || *token == "Hg" {
                extent = Some((-m.top / REF, m.bottom / REF));
            }
        }
    }
    let (ascent, descent) = extent.unwrap_or((0.93, 0.24));
    let widths = Widths {
        space: match (of.get("a a"), of.get("aa")) {
            (Some(spaced), Some(joined)) => spaced - joined,
            _ => REF / 3.0,
        },
        ellipsis: of.get(ELLIPSIS).copied().unwrap_or(REF),
        of,
    };
    let mut budgets = slots.map(|s| s.width);
    // Shaped lines are rarely wider than their words' sum; when one is, its text is fitted
    // again into a budget narrower by the difference.
    let mut attempts = 0;
    loop {
        let single = |i: usize, (text, cut): (&str, bool)| {
            one_line(text, cut, &widths, slots[i].style, budgets[i])
        };
        let fitted = Fitted {
            title: fit_title(title, &widths, budgets[0]),
            kicker: single(1, kicker),
            meta: single(2, meta),
            site: single(3, site),
            ascent,
            descent,
        };
        attempts += 1;
        if attempts == 4 {
            return fitted;
        }
        let title_style = Style {
            size: fitted.title.font_size,
            spacing: 0.0,
        };
        let mut lines: Vec<(usize, &str, Style)> = (fitted.title.lines.iter())
            .map(|l| (0, l.as_str(), title_style))
            .collect();
        lines.push((1, &fitted.kicker, slots[1].style));
        lines.push((2, &fitted.meta, slots[2].style));
        lines.push((3, &fitted.site, slots[3].style));
        let probes: Vec<(&str, Style)> = lines.iter().map(|&(_, t, s)| (t, s)).collect();
        let mut over = [0.0f32; 4];
        for ((field, _, _), m) in lines.iter().zip(measure(&probes)) {
            if let Some(m) = m {
                over[*field] = over[*field].max(m.width - slots[*field].width);
            }
        }
        if over.iter().all(|o| *o <= 0.01) {
            return fitted;
        }
        for (budget, o) in budgets.iter_mut().zip(over) {
            if o > 0.01 {
                *budget -= o + 1.0;
            }
        }
    }
}

/// The title: the largest size at which it fits without breaking a word, else the largest at
/// which it fits with long words broken, else the smallest, cut after its last line with "…".
/// A title that was `cut` before fitting is set at the smallest size, with "…".
fn fit_title((title, cut): (&str, bool), widths: &Widths, budget: f32) -> Layout {
    let words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Layout {
            font_size: SIZES[0],
            lines: Vec::new(),
            truncated: false,
        };
    }
    for break_words in [false, true] {
        for size in SIZES {
            let style = Style { size, spacing: 0.0 };
            if !cut
                && let Some(lines) = wrap(&words, widths, style, budget, break_words)
                && lines.len() <= max_lines(size)
            {
                return Layout {
                    font_size: size,
                    lines: lines.iter().map(|l| l.text()).collect(),
                    truncated: false,
                };
            }
        }
    }
    let size = SIZES[SIZES.len() - 1];
    let style = Style { size, spacing: 0.0 };
    let lines = wrap(&words, widths, style, budget, true).unwrap_or_default();
    let (lines, truncated) = shorten(lines, max_lines(size), cut, widths, style, budget);
    Layout {
        font_size: size,
        lines,
        truncated,
    }
}

/// A text on one line, cut with "…" if it is too wide (or was `cut`).
fn one_line(text: &str, cut: bool, widths: &Widths, style: Style, budget: f32) -> String {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let lines = wrap(&words, widths, style, budget, true).unwrap_or_default();
    let (lines, _) = shorten(lines, 1, cut, widths, style, budget);
    lines.into_iter().next().unwrap_or_default()
}

/// The first `max` lines, the last of them ending with "…" if there were more or the text
/// was `cut`; and whether it does.
fn shorten(
    mut lines: Vec<Line>,
    max: usize,
    cut: bool,
    widths: &Widths,
    style: Style,
    budget: f32,
) -> (Vec<String>, bool) {
    let truncated = !lines.is_empty() && (cut || lines.len() > max);
    if truncated {
        lines.truncate(max);
        if let Some(last) = lines.pop() {
            lines.push(ellipsize(last, widths, style, budget));
        }
    }
    (lines.iter().map(|l| l.text()).collect(), truncated)
}

/// One line being filled.
#[derive(Debug, Clone, Default)]
struct Line {
    pieces: Vec<Piece>,
    width: f32,
}

/// A word, or the part of a word too wide for a line that is on this line.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    /// Whether a space comes before it.
    spaced: bool,
    broken: bool,
}

impl Line {
    fn text(&self) -> String {
        let mut s = String::new();
        for piece in &self.pieces {
            if piece.spaced {
                s.push(' ');
            }
            s.push_str(&piece.text);
        }
        s
    }

    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    fn push(&mut self, text: String, broken: bool) {
        let spaced = !self.is_empty();
        self.pieces.push(Piece {
            text,
            spaced,
            broken,
        });
    }
}

/// The width of `text` in `style`, from its clusters' widths when it is not a measured word.
fn width_of(text: &str, widths: &Widths, style: Style) -> f32 {
    let scale = style.size / REF;
    let shaped = match widths.of.get(text) {
        Some(w) => *w,
        None => clusters(text).map(|c| widths.get(c)).sum(),
    };
    shaped * scale + style.spacing * clusters(text).count() as f32
}

/// Greedy wrapping of `words` into lines at most `budget` wide. A word wider than a line is
/// broken between characters, from where the line it starts on has room, if `break_words` is
/// set; otherwise there is no fit (`None`).
fn wrap(
    words: &[&str],
    widths: &Widths,
    style: Style,
    budget: f32,
    break_words: bool,
) -> Option<Vec<Line>> {
    let space = widths.space * style.size / REF + style.spacing;
    let mut lines = Vec::new();
    let mut line = Line::default();
    let gap = |line: &Line| if line.is_empty() { 0.0 } else { space };
    for word in words {
        let w = width_of(word, widths, style);
        if line.width + gap(&line) + w <= budget {
            line.width += gap(&line) + w;
            line.push(word.to_string(), false);
            continue;
        }
        if w <= budget {
            lines.push(std::mem::take(&mut line));
            line.width = w;
            line.push(word.to_string(), false);
            continue;
        }
        if !break_words {
            return None;
        }
        let mut part = String::new();
        let mut width = line.width + gap(&line);
        for c in clusters(word) {
            let cw = width_of(c, widths, style);
            // At least one character on each line.
            if width + cw > budget && !(part.is_empty() && line.is_empty()) {
                if !part.is_empty() {
                    line.push(std::mem::take(&mut part), true);
                }
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
            part.push_str(c);
            width += cw;
        }
        line.push(part, true);
        line.width = width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Some(lines)
}

/// `line` ending with "…": characters of a broken word, or whole words, dropped from its end
/// until it fits.
fn ellipsize(mut line: Line, widths: &Widths, style: Style, budget: f32) -> Line {
    let ellipsis = widths.ellipsis * style.size / REF + style.spacing;
    let fits = |line: &Line| line_width(line, widths, style) + ellipsis <= budget;
    while !fits(&line) {
        let single = line.pieces.len() == 1;
        let Some(last) = line.pieces.last_mut() else {
            break;
        };
        if (last.broken || single) && !last.text.is_empty() {
            let cut = clusters(&last.text)
                .last()
                .map_or(0, |c| last.text.len() - c.len());
            last.text.truncate(cut);
        } else {
            line.pieces.pop();
        }
    }
    if let Some(last) = line.pieces.last_mut() {
        // "word,…" reads badly: the cut ends at a word.
        let trimmed = last
            .text
            .trim_end_matches([',', ';', ':', '.', '-', '–', '—', '،', '؛']);
        last.text.truncate(trimmed.len());
        last.text.push_str(ELLIPSIS);
    } else {
        line.push(ELLIPSIS.to_string(), false);
    }
    line.width = line_width(&line, widths, style);
    line
}

/// A line's width: its words' and the spaces between them.
fn line_width(line: &Line, widths: &Widths, style: Style) -> f32 {
    let space = widths.space * style.size / REF + style.spacing;
    line.pieces
        .iter()
        .map(|p| width_of(&p.text, widths, style) + if p.spaced { space } else { 0.0 })
        .sum()
}

/// The characters of `word` that are never split: a base character with the combining marks
/// (Arabic vowel signs, accents), joiners and variation selectors that follow it.
pub(super) fn clusters(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut joined = first == '\u{200d}';
        let mut end = rest.len();
        for (i, c) in chars {
            if !(joined || extends(c)) {
                end = i;
                break;
            }
            joined = c == '\u{200d}';
        }
        let (cluster, after) = rest.split_at(end);
        rest = after;
        Some(cluster)
    })
}

/// Whether `c` belongs to the character before it.
fn extends(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{483}'..='\u{489}'
        | '\u{591}'..='\u{5bd}'
        | '\u{5bf}' | '\u{5c1}' | '\u{5c2}' | '\u{5c4}' | '\u{5c5}' | '\u{5c7}'
        | '\u{610}'..='\u{61a}'
        | '\u{64b}'..='\u{65f}'
        | '\u{670}'
        | '\u{6d6}'..='\u{6dc}'
        | '\u{6df}'..='\u{6e4}'
        | '\u{6e7}' | '\u{6e8}'
        | '\u{6ea}'..='\u{6ed}'
        | '\u{8d3}'..='\u{8ff}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{200c}' | '\u{200d}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{1f3fb}'..='\u{1f3ff}'
        | '\u{e0100}'..='\u{e01ef}')
}
