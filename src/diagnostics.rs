//! Problems found in a site, as values: where (file, byte span), what, and how to fix it.
//!
//! Every stage returns its problems as [`Diagnostic`]s instead of stopping at the first one, so a
//! build reports everything that is wrong at once. Rendering follows rustc's style (a source
//! snippet with a caret) through `codespan-reporting`.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, tied to a place in a file when there is one.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (e.g. `content/stories/a.md`).
    pub file: Option<String>,
    /// The whole text of `file`, so the snippet can be shown.
    pub source: Option<Arc<str>>,
    /// Byte range inside `source`.
    pub span: Range<usize>,
    pub message: String,
    /// Short text under the caret.
    pub label: Option<String>,
    /// How to fix it, in words a non-programmer can act on.
    pub help: Option<String>,
    /// A consequence of another problem (a link to a file that could not be read): listed
    /// after the root causes, which are what to fix first.
    pub follows: bool,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            source: None,
            span: 0..0,
            message: message.into(),
            label: None,
            help: None,
            follows: false,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Names the file without pointing inside it.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at `span` inside `source` of `file`.
    pub fn at(mut self, file: &str, source: &Arc<str>, span: Range<usize>) -> Self {
        let len = source.len();
        let start = floor_char_boundary(source, span.start.min(len));
        let end = floor_char_boundary(source, span.end.clamp(start, len));
        self.file = Some(file.to_string());
        self.source = Some(source.clone());
        self.span = start..end;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same problem as a warning: for what fails a published build but not this one.
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Marks this as a consequence of another problem (see [`Diagnostic::follows`]).
    pub fn follows(mut self) -> Self {
        self.follows = true;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column of the start of the span, counting columns in characters.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        Some(line_col(source, self.span.start))
    }

    /// Where the problem is, as a writer would look it up: `content/partners.yaml:12`.
    pub fn place(&self) -> String {
        let file = self.file.as_deref().unwrap_or("");
        match self.line_col() {
            Some((line, _)) => format!("{file}:{line}"),
            None => file.to_string(),
        }
    }

    /// The diagnostic as a JSON object, for tools (`rally check --format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let (line, column) = self
            .line_col()
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        serde_json::json!({
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "file": self.file,
            "line": line,
            "column": column,
            "message": self.message,
            "label": self.label,
            "help": self.help,
        })
    }

    /// Renders this diagnostic as plain text (what the terminal shows, without colours).
    pub fn render_plain(&self) -> String {
        let mut out = termcolor::NoColor::new(Vec::new());
        self.emit(&mut out);
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    /// Writes the diagnostic to a colour-capable writer.
    pub fn emit(&self, out: &mut dyn termcolor::WriteColor) {
        let mut diag = match self.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_message(&self.message);
        if let Some(help) = &self.help {
            diag = diag.with_notes(vec![format!("help: {help}")]);
        }
        let config = term::Config::default();
        match (&self.file, &self.source) {
            (Some(file), Some(source)) => {
                let mut label = cs::Label::primary((), self.span.clone());
                if let Some(text) = &self.label {
                    label = label.with_message(text);
                }
                let files = Excerpt::new(file, source, &self.span);
                label.range = files.shift(&label.range);
                let diag = diag.with_labels(vec![label]);
                if term::emit(out, &config, &files, &diag).is_err() {
                    let _ = writeln!(out, "error: {}", self.message);
                }
            }
            (file, _) => {
                if let Some(file) = file {
                    diag.message = format!("{}\n  --> {file}", diag.message);
                }
                let files = SimpleFile::new("", "");
                if term::emit(out, &config, &files, &diag).is_err() {
                    let _ = writeln!(out, "error: {}", self.message);
                }
            }
        }
    }
}

/// The part of a file that a diagnostic shows: the lines of its span, cut to a few dozen
/// characters around it when a line is very long. Line and column numbers are the file's.
/// Built from the whole file (as codespan's `SimpleFile` is), 20,000 problems in a 2 MB file
/// took a minute to print, and a refused one-line file printed its whole megabyte.
struct Excerpt<'s> {
    name: &'s str,
    /// Where the excerpt starts in the file.
    start: usize,
    lines: SimpleFile<&'s str, std::borrow::Cow<'s, str>>,
    /// Where the excerpt shows a forbidden character as a visible one ([`crate::chars::shown`]):
    /// the character's offset in the file's excerpt and how many bytes longer it is shown.
    shown: Vec<(usize, isize)>,
    /// Index of the excerpt's first line in the file.
    first_line: usize,
    /// Characters of the first line cut off before the excerpt.
    first_column: usize,
}

/// How far a long line is shown before and after a span.
const CONTEXT: usize = 80;

impl<'s> Excerpt<'s> {
    fn new(name: &'s str, source: &'s Arc<str>, span: &Range<usize>) -> Excerpt<'s> {
        let text: &str = source;
        let bytes = text.as_bytes();
        let at = floor_char_boundary(text, span.start.min(text.len()));
        let until = floor_char_boundary(text, span.end.clamp(at, text.len()));
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[until..]).map_or(text.len(), |i| until + i);
        let start = if at - line_start > 2 * CONTEXT {
            floor_char_boundary(text, at - CONTEXT)
        } else {
            line_start
        };
        let end = if line_end - until > 2 * CONTEXT {
            floor_char_boundary(text, until + CONTEXT)
        } else {
            line_end
        };
        let (excerpt, shown) = visible(&text[start..end]);
        Excerpt {
            name,
            start,
            lines: SimpleFile::new(name, excerpt),
            shown,
            first_line: lines_before(source, line_start),
            first_column: text[line_start..start].chars().count(),
        }
    }

    /// A range of the file as a range of the excerpt.
    fn shift(&self, r: &Range<usize>) -> Range<usize> {
        let len = self.lines.source().len();
        let moved = |offset: usize| {
            let grown: isize = self
                .shown
                .iter()
                .filter(|(at, _)| *at < offset)
                .map(|(_, d)| d)
                .sum();
            offset.saturating_add_signed(grown)
        };
        let s = moved(r.start.saturating_sub(self.start)).min(len);
        s..moved(r.end.saturating_sub(self.start)).clamp(s, len)
    }
}

/// `text` with each forbidden character shown as a visible one (a vertical tab would move the
/// terminal's cursor, a null cut the line), and where each was.
fn visible(text: &str) -> (std::borrow::Cow<'_, str>, Vec<(usize, isize)>) {
    if crate::chars::first_forbidden(text, 0).is_none() {
        return (text.into(), Vec::new());
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut shown = Vec::new();
    for (i, c) in text.char_indices() {
        if crate::chars::is_forbidden(c) {
            let v = crate::chars::shown(c);
            shown.push((i, v.len_utf8() as isize - c.len_utf8() as isize));
            out.push(v);
        } else {
            out.push(c);
        }
    }
    (out.into(), shown)
}

impl<'s> codespan_reporting::files::Files<'s> for Excerpt<'s> {
    type FileId = ();
    type Name = &'s str;
    type Source = &'s str;

    fn name(&'s self, (): ()) -> Result<&'s str, codespan_reporting::files::Error> {
        Ok(self.name)
    }

    fn source(&'s self, (): ()) -> Result<&'s str, codespan_reporting::files::Error> {
        Ok(self.lines.source().as_ref())
    }

    fn line_index(
        &'s self,
        (): (),
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.lines.line_index((), byte)
    }

    fn line_number(
        &'s self,
        (): (),
        line: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.first_line + line + 1)
    }

    fn column_number(
        &'s self,
        (): (),
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let column = self.lines.column_number((), line, byte)?;
        Ok(if line == 0 {
            column + self.first_column
        } else {
            column
        })
    }

    fn line_range(
        &'s self,
        (): (),
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        self.lines.line_range((), line)
    }
}

/// How many lines of `source` end before `offset`. Diagnostics are printed sorted by file
/// and position, so the count goes on from the last call's when it was for the same text.
fn lines_before(source: &Arc<str>, offset: usize) -> usize {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(Arc<str>, usize, usize)>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        let (from, base) = match last {
            Some((text, at, lines)) if Arc::ptr_eq(text, source) && *at <= offset => (*at, *lines),
            _ => (0, 0),
        };
        let lines = base + memchr::memchr_iter(b'\n', &source.as_bytes()[from..offset]).count();
        *last = Some((source.clone(), offset, lines));
        lines
    })
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_plain())
    }
}

/// All problems of one build, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then position, so reports do not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.severity, a.follows, &a.file, a.span.start, &a.message).cmp(&(
                b.severity,
                b.follows,
                &b.file,
                b.span.start,
                &b.message,
            ))
        });
        self.0
            .dedup_by(|a, b| a.file == b.file && a.span == b.span && a.message == b.message);
    }

    /// Everything, as plain text, followed by a count line.
    pub fn render_plain(&self) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render_plain());
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// The closing line: `error: build failed with 2 errors and 1 warning`.
    pub fn summary(&self) -> String {
        let (e, w) = (self.error_count(), self.warning_count());
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        match (e, w) {
            (0, 0) => "no problems found".to_string(),
            (0, w) => format!("{} (the site builds)", plural(w, "warning")),
            (e, 0) => format!("found {}", plural(e, "error")),
            (e, w) => format!("found {} and {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of a 1-based line and column (columns in characters).
pub fn offset_of(source: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let byte_col = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
            return offset + byte_col;
        }
        offset += l.len();
    }
    source.len()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(source: &Arc<str>, span: Range<usize>) -> String {
        Diagnostic::error("problem")
            .at("f.md", source, span)
            .render_plain()
    }

    #[test]
    fn snippets_show_the_file_s_line_and_column_whatever_the_order() {
        let source: Arc<str> = Arc::from("one\ntwo\nthree ç x\nfour\n");
        let x = source.find('x').unwrap();
        let two = source.find("two").unwrap();
        // Forwards, backwards and again: the line count carried between calls stays right.
        for (span, place, line) in [
            (two..two + 3, "f.md:2:1", "2 │ two"),
            (x..x + 1, "f.md:3:9", "3 │ three ç x"),
            (two..two + 3, "f.md:2:1", "2 │ two"),
            (0..3, "f.md:1:1", "1 │ one"),
        ] {
            let text = at(&source, span);
            assert!(text.contains(place) && text.contains(line), "{text}");
        }
    }

    #[test]
    fn a_very_long_line_is_shown_around_the_span_only() {
        let line = format!("{}TARGET{}\n", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let source: Arc<str> = Arc::from(format!("first\n{line}last\n"));
        let start = source.find("TARGET").unwrap();
        let text = at(&source, start..start + 6);
        assert!(text.contains("f.md:2:1000001"), "{text}");
        assert!(text.len() < 1_000, "printed {} bytes", text.len());
        let shown = text.lines().find(|l| l.contains("TARGET")).unwrap();
        assert!(
            shown.contains(&format!("{}TARGET{}", "a".repeat(80), "b".repeat(80))),
            "{shown}"
        );
        // The caret is under the span.
        let caret = text.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.find('^'), shown.find("TARGET"), "{text}");
    }

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let src = "ab\nçd\nef";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 2)); // after the two-byte ç
        assert_eq!(offset_of(src, 2, 2), 5);
        assert_eq!(offset_of(src, 3, 1), 7);
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let fields = ["title", "date", "summary"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    /// A one-shot build lets go of entries' text after linking (`Site::release_texts`): a
    /// message pointing into text that is gone must still print, not panic.
    #[test]
    fn spans_into_missing_text_still_render() {
        let empty: Arc<str> = Arc::from("");
        for span in [0..0, 4..9] {
            let text = Diagnostic::error("something is wrong")
                .at("content/stories/a.md", &empty, span)
                .render_plain();
            assert!(text.contains("something is wrong"), "{text}");
        }
    }

    #[test]
    fn rendering_shows_file_line_and_help() {
        let src: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::error("unknown key `titel`")
            .at("content/stories/a.md", &src, 4..9)
            .help("did you mean `title`?");
        let text = d.render_plain();
        assert!(text.contains("content/stories/a.md:2:1"), "{text}");
        assert!(text.contains("help: did you mean `title`?"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
    }
}
