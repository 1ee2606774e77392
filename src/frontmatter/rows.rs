//! List files (`partners.yaml`) read row by row: each row is parsed on its own, so a wrong
//! indent or a missing key costs that row only, and a row that fails is still named by its id.

use rayon::prelude::*;
use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::{RowName, Within, yaml_error_in};
use crate::diagnostics::Diagnostic;

/// A row of a list file: its byte range, its `id` as written (read from the text, so that a
/// row that fails to parse still has a name) and its value or problem.
#[derive(Debug)]
pub struct Row<T> {
    pub span: Range<usize>,
    pub id: Option<String>,
    pub result: Result<T, Diagnostic>,
}

/// A list file read row by row. A problem of the whole file (not a list, a missing column)
/// is reported once, in `whole`; the rows are then only named, not used.
#[derive(Debug)]
pub struct Rows<T> {
    pub rows: Vec<Row<T>>,
    pub whole: Option<Diagnostic>,
}

/// The value of a row's `id:` line as written, without quotes or comment.
pub fn row_id(row: &str) -> Option<String> {
    row.lines().find_map(|l| {
        let mut rest = l.trim_start();
        while let Some(r) = rest.strip_prefix('-').filter(|r| r.starts_with(' ')) {
            rest = r.trim_start();
        }
        let value = rest.strip_prefix("id:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// The rows of a list file: the indentation of their `-` and each row's byte range (from its
/// `-` line to the next row's). None when the file does not start with a row (after blank
/// and comment lines).
pub fn row_spans(text: &str) -> Option<(usize, Vec<Range<usize>>)> {
    // Rows start where the first one does: a `-` at that line's indentation.
    let mut marker: Option<&str> = None;
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        match marker {
            None if content.trim().is_empty() || content.trim_start().starts_with('#') => {}
            None => {
                let indent = &content[..content.len() - content.trim_start_matches(' ').len()];
                let rest = &content[indent.len()..];
                if rest == "-" || rest.starts_with("- ") {
                    marker = Some(indent);
                    starts.push(offset);
                } else {
                    return None;
                }
            }
            Some(indent) => {
                if let Some(rest) = content.strip_prefix(indent)
                    && (rest == "-" || rest.starts_with("- "))
                {
                    starts.push(offset);
                }
            }
        }
        offset += line.len();
    }
    let spans = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| start..starts.get(i + 1).copied().unwrap_or(text.len()))
        .collect();
    Some((marker.map_or(0, str::len), spans))
}

/// Deserializes a list file (`partners.yaml`) row by row, so one bad row (a wrong indent, a
/// missing key) costs that row only: the others are read, and links to it can say why it
/// is missing.
pub fn parse_rows<T: DeserializeOwned + Send>(path: &str, text: &Arc<str>) -> Rows<T> {
    let (spans, head_ok) = match row_spans(text) {
        Some((_, spans)) => (spans, true),
        None => (Vec::new(), false),
    };
    if !head_ok {
        let whole: Result<Vec<serde_yaml::Value>, _> = serde_yaml::from_str(text);
        let d = match whole {
            Err(e) => yaml_error_in(path, text, 0..text.len(), e, Within::List),
            Ok(_) => Diagnostic::error("this file is not a list").at(path, text, 0..1),
        };
        let d = if d.message.contains("should be a list") || d.message == "this file is not a list"
        {
            d.help(
                "this file must be a YAML list: each entry starts with `- ` at the start of a line",
            )
        } else {
            d
        };
        return Rows {
            rows: Vec::new(),
            whole: Some(d),
        };
    }
    let rows = spans
        .into_par_iter()
        .enumerate()
        .map(|(i, range)| {
            let id = row_id(&text[range.clone()]);
            let name = RowName {
                file: path,
                number: i + 1,
                id: id.as_deref(),
                column: None,
                spreadsheet: false,
            };
            // Parsed as a one-item list so the original indentation stays valid.
            let result = serde_yaml::from_str::<Vec<T>>(&text[range.clone()])
                .map_err(|e| yaml_error_in(path, text, range.clone(), e, Within::Row(name)))
                .and_then(|mut v| {
                    v.pop().ok_or_else(|| {
                        Diagnostic::error(format!("{name} is empty")).at(
                            path,
                            text,
                            range.start..range.start + 1,
                        )
                    })
                });
            Row {
                span: range,
                id,
                result,
            }
        })
        .collect();
    Rows { rows, whole: None }
}
