//! What YAML reads differently from what a writer meant, without an error: text after ` #`
//! dropped as a comment, curly quotes kept as text, placeholders left from `rally new`.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// Values YAML reads differently from what a writer meant, silently: ` #` starts a comment
/// (`title: We are #1` is "We are"), curly quotes are text, not quotes; and placeholders
/// `rally new` wrote that are still there (not for a draft, which may be unfinished).
/// Warnings, each pointing at the value.
pub fn silent_losses(
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
    draft: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = range.start;
    for line in text[range].split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let mut rest = line.trim_start_matches(' ');
        while let Some(r) = rest.strip_prefix('-').filter(|r| r.starts_with(' ')) {
            rest = r.trim_start_matches(' ');
        }
        let Some((key, value)) = rest.split_once(": ") else {
            continue;
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            continue;
        }
        let value_at = at + (line.len() - rest.len()) + key.len() + 2;
        let raw = value.trim_end();
        let lead = raw.len() - raw.trim_start().len();
        let value = raw.trim_start();
        let value_at = value_at + lead;
        let span = value_at..value_at + value.len();
        let placeholder = value.trim_start_matches(['"', '\'']).starts_with("TODO");
        if placeholder && draft {
            continue;
        }
        if placeholder {
            out.push(
                Diagnostic::warning(format!(
                    "`{key}` still holds the placeholder `rally new` wrote"
                ))
                .at(path, text, span)
                .label("placeholder")
                .help(format!("replace the text in quotes with your own {key}")),
            );
            continue;
        }
        if value.starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201e}'])
            && value.ends_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'])
        {
            let inner: String = value
                .chars()
                .skip(1)
                .take(value.chars().count().saturating_sub(2))
                .collect();
            out.push(
                Diagnostic::warning(format!("`{key}` is in curly quotes, which are published as part of the text"))
                    .at(path, text, span)
                    .label("curly quotes")
                    .help(format!(
                        "YAML's quotes are straight; a word processor may have curled them: write {key}: \"{}\"",
                        inner.replace('"', "\\\"")
                    )),
            );
            continue;
        }
        if value.starts_with(['"', '\'', '[', '{', '|', '>', '#', '&', '*', '!']) {
            continue;
        }
        // `# note` after a value is a comment someone meant; `#1` or `#EndChildDetention`
        // is text that YAML drops.
        let hashtag = value
            .match_indices(" #")
            .map(|(i, _)| i)
            .find(|&i| value[i + 2..].starts_with(|c: char| !c.is_whitespace()));
        if let Some(i) = hashtag {
            let kept = value[..i].trim_end();
            let hash = value_at + i + 1;
            out.push(
                Diagnostic::warning(format!(
                    "`#` starts a comment in YAML: `{key}` is published as `{kept}`"
                ))
                .at(path, text, hash..value_at + value.len())
                .label("left out as a comment")
                .help(format!(
                    "put the whole value in double quotes: {key}: \"{}\"",
                    value.replace('"', "\\\"")
                )),
            );
        }
    }
    out
}
