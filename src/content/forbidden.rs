//! The error for a content file holding a character no page or feed may hold (a control
//! character pasted from a word processor): one error for the first, naming the lines of
//! the others, so that one paste is one message.

use crate::diagnostics::Diagnostic;
use crate::source::SourceText;

/// The error for the first control character (or noncharacter) in `file`, naming the lines
/// of any others.
pub(super) fn forbidden_char_error(file: &SourceText) -> Option<Diagnostic> {
    let text = &file.text;
    let (at, c) = crate::chars::first_forbidden(text, 0)?;
    // The lines of the others (the first five), and whether there are more lines.
    let (mut lines, mut etc) = (Vec::new(), "");
    let mut more = 0;
    let mut from = at + c.len_utf8();
    while let Some((i, other)) = crate::chars::first_forbidden(text, from) {
        more += 1;
        let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..i]).count();
        if lines.last() != Some(&line) {
            if lines.len() < 5 {
                lines.push(line);
            } else {
                etc = ", …";
            }
        }
        from = i + other.len_utf8();
    }
    let kind = if c <= '\u{9f}' {
        "a control character"
    } else {
        "an invalid character"
    };
    let mut help = "it usually comes from pasting from a word processor, and most editors do \
                    not show it; delete it: put the cursor just after the place shown and press \
                    Backspace (or retype the words around it)"
        .to_string();
    if let Some((last, others)) = lines.split_last() {
        let others: Vec<String> = others.iter().map(usize::to_string).collect();
        let lines = match (others.is_empty(), etc.is_empty()) {
            (true, _) => format!("line {last}"),
            (false, true) => format!("lines {} and {last}", others.join(", ")),
            (false, false) => format!("lines {}, {last}{etc}", others.join(", ")),
        };
        help.push_str(&format!("; this file has {more} more, on {lines}"));
    }
    Some(
        Diagnostic::error(format!(
            "{kind} (U+{:04X}, {}) is in the text",
            c as u32,
            crate::chars::name(c)
        ))
        .at(&file.path, text, at..at + c.len_utf8())
        .label("invisible character here")
        .help(help),
    )
}
