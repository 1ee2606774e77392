//! The rows of `partners.yaml` as a table: each row's values, and changes to one row written
//! into its own lines only (a value's text replaced, a key added at the end of its row, a row
//! added at the end of the file or removed), as [`apply`](super::apply) does for front matter.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Problem, emit, value_span};
use crate::frontmatter::row_spans;

/// One row as the table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub values: serde_json::Map<String, Value>,
}

/// A change to the list.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum RowChange {
    /// Sets a key of row `row` (counted from 0), adding it at the end of the row if absent.
    Set {
        row: usize,
        key: String,
        value: Value,
    },
    /// Removes a key of a row.
    Unset { row: usize, key: String },
    /// Adds a row at the end, its keys in `values`' order given by `order`.
    Add {
        values: serde_json::Map<String, Value>,
        #[serde(default)]
        order: Vec<String>,
    },
    /// Removes a row and its lines.
    Delete { row: usize },
}

/// The rows of a YAML list file.
pub fn rows(text: &str) -> Result<Vec<Row>, Problem> {
    let (_, spans) = row_spans(text).ok_or_else(|| {
        Problem::new(
            None,
            "this file is not a list of rows (`- id: …`): edit it as text",
        )
    })?;
    spans
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let items: Vec<serde_json::Map<String, Value>> = serde_yaml::from_str(&text[r.clone()])
                .map_err(|e| {
                    Problem::new(
                        None,
                        format!("row {} cannot be read ({e}): edit the file as text", i + 1),
                    )
                })?;
            Ok(Row {
                values: items.into_iter().next().unwrap_or_default(),
            })
        })
        .collect()
}

/// The keys of a row, each with its block (its line and the deeper lines after it): the first
/// on the `-` line, the others at the indentation after `- `.
fn row_blocks(text: &str, row: Range<usize>, indent: usize) -> Vec<(String, Range<usize>)> {
    let key_indent = indent + 2;
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    let mut offset = row.start;
    for (i, line) in text[row.clone()].split_inclusive('\n').enumerate() {
        let at = offset;
        offset += line.len();
        let lead = line.len() - line.trim_start_matches(' ').len();
        let body = if i == 0 {
            line.get(key_indent..).unwrap_or("")
        } else if lead == key_indent {
            &line[key_indent..]
        } else {
            ""
        };
        let starts =
            !body.is_empty() && !body.starts_with(['#', '-', '\n', '\r']) && body.contains(':');
        if starts {
            let key = body[..body.find(':').unwrap_or(0)].trim();
            let key = key.trim_matches(|c| c == '"' || c == '\'').to_string();
            // The first key's block starts after `- `, so its text before the colon is the key.
            let start = if i == 0 { at + key_indent } else { at };
            out.push((key, start..offset));
        } else if let Some(last) = out.last_mut()
            && last.1.end == at
            && (lead > key_indent || line.trim().is_empty())
        {
            last.1.end = offset;
        }
    }
    out
}

/// `text` with `changes` made; the result is read back to be sure it is still a list.
pub fn apply(text: &str, changes: &[RowChange]) -> Result<String, Problem> {
    let (indent, spans) = row_spans(text).ok_or_else(|| {
        Problem::new(
            None,
            "this file is not a list of rows (`- id: …`): edit it as text",
        )
    })?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let pad = " ".repeat(indent + 2);
    let row_of = |row: usize| {
        spans.get(row).cloned().ok_or_else(|| {
            Problem::new(
                None,
                format!("there is no row {} (the file changed?)", row + 1),
            )
        })
    };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    for change in changes {
        match change {
            RowChange::Set { row, key, value } => {
                super::check_key(key)?;
                let span = row_of(*row)?;
                let blocks = row_blocks(text, span.clone(), indent);
                let write = |style: &emit::Style| {
                    emit::value(value, style).ok_or_else(|| {
                        Problem::new(Some(key), "this value has a shape the table cannot write")
                    })
                };
                match blocks.iter().find(|(k, _)| k == key) {
                    Some((_, block)) => {
                        let at = value_span(text, block.clone());
                        let new = write(&emit::Style::of(&text[at.clone()]))?;
                        edits.push((at, new.replace('\n', newline)));
                    }
                    None => {
                        let end = super::content_end(text, span);
                        let new = write(&emit::Style::default())?;
                        let line = format!("\n{pad}{key}:{new}").replace('\n', newline);
                        edits.push((end..end, line));
                    }
                }
            }
            RowChange::Unset { row, key } => {
                let span = row_of(*row)?;
                let blocks = row_blocks(text, span, indent);
                if let Some((_, block)) = blocks.iter().skip(1).find(|(k, _)| k == key) {
                    let end = super::content_end(text, block.clone());
                    let end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
                    edits.push((block.start..end.min(block.end), String::new()));
                } else if blocks.first().is_some_and(|(k, _)| k == key) {
                    return Err(Problem::new(
                        Some(key),
                        "the first key of a row stays: set it instead",
                    ));
                }
            }
            RowChange::Delete { row } => {
                let span = row_of(*row)?;
                edits.push((span, String::new()));
            }
            RowChange::Add { values, order } => {
                let keys = order
                    .iter()
                    .filter(|k| values.contains_key(*k))
                    .chain(values.keys().filter(|k| !order.contains(k)));
                let mut row = String::new();
                for (i, k) in keys.enumerate() {
                    super::check_key(k)?;
                    let new =
                        emit::value(&values[k], &emit::Style::default()).ok_or_else(|| {
                            Problem::new(Some(k), "this value has a shape the table cannot write")
                        })?;
                    let lead = if i == 0 {
                        format!("{}- ", " ".repeat(indent))
                    } else {
                        pad.clone()
                    };
                    row.push_str(&format!("{lead}{k}:{new}{newline}"));
                }
                if !row.is_empty() {
                    appended.push_str(newline);
                    appended.push_str(&row);
                }
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r, &new);
    }
    if !appended.is_empty() {
        if !out.ends_with('\n') && !out.is_empty() {
            out.push_str(newline);
        }
        out.push_str(&appended);
    }
    serde_yaml::from_str::<Vec<serde_yaml::Value>>(&out).map_err(|e| {
        Problem::new(
            None,
            format!("the change would make the list unreadable ({e})"),
        )
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIST: &str = "# Partners\n\n- id: a\n  name: \"Alpha\"  # the long name\n  roles: [x]\n\n- id: b\n  name: Beta\n  roles:\n    - y\n";

    fn set(row: usize, key: &str, value: Value) -> RowChange {
        RowChange::Set {
            row,
            key: key.into(),
            value,
        }
    }

    #[test]
    fn rows_are_read_in_order() {
        let r = rows(LIST).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].values["roles"], json!(["y"]));
    }

    #[test]
    fn a_change_touches_its_row_only() {
        let out = apply(LIST, &[set(0, "name", json!("Alpha Org"))]).unwrap();
        assert_eq!(out, LIST.replace("\"Alpha\"", "\"Alpha Org\""));
        let out = apply(LIST, &[set(1, "roles", json!(["y", "z"]))]).unwrap();
        assert_eq!(out, LIST.replace("    - y\n", "    - y\n    - z\n"));
        let out = apply(LIST, &[set(1, "id", json!("beta"))]).unwrap();
        assert_eq!(out, LIST.replace("- id: b\n", "- id: beta\n"));
        let out = apply(LIST, &[set(0, "region", json!("europe"))]).unwrap();
        assert_eq!(
            out,
            LIST.replace("roles: [x]\n", "roles: [x]\n  region: europe\n")
        );
        let out = apply(
            LIST,
            &[RowChange::Unset {
                row: 0,
                key: "roles".into(),
            }],
        )
        .unwrap();
        assert_eq!(out, LIST.replace("  roles: [x]\n", ""));
    }

    #[test]
    fn rows_are_added_and_deleted() {
        let mut values = serde_json::Map::new();
        values.insert("name".into(), json!("Gamma: the third"));
        values.insert("id".into(), json!("c"));
        let out = apply(
            LIST,
            &[RowChange::Add {
                values,
                order: vec!["id".into(), "name".into()],
            }],
        )
        .unwrap();
        assert_eq!(
            out,
            format!("{LIST}\n- id: c\n  name: \"Gamma: the third\"\n")
        );
        let out = apply(LIST, &[RowChange::Delete { row: 0 }]).unwrap();
        assert_eq!(
            out,
            "# Partners\n\n- id: b\n  name: Beta\n  roles:\n    - y\n"
        );
        assert!(apply(LIST, &[RowChange::Delete { row: 5 }]).is_err());
    }
}
