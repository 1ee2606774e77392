//! `partners.csv` as a table: its cells as text, and changes to one row written as that
//! row's line only (re-quoted as the spreadsheet would, with the file's separator and line
//! ends), a row added at the end or removed with its line.

use std::ops::Range;

use serde_json::Value;

use super::Problem;
use super::rows::{Row, RowChange};

/// The file's columns and, for each row, its line's byte range (without its line break) and
/// its cells.
struct Sheet {
    delimiter: u8,
    headers: Vec<String>,
    rows: Vec<(Range<usize>, Vec<String>)>,
}

fn read(text: &str) -> Result<Sheet, Problem> {
    let delimiter = crate::content::csv_rows::separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let unreadable = |e: csv::Error| {
        Problem::new(
            None,
            format!("the spreadsheet cannot be read ({e}): edit it as text"),
        )
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(unreadable)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    for r in reader.records() {
        let r = r.map_err(unreadable)?;
        // After a Windows line end the reader's position can be the `\n` of `\r\n`.
        let mut start = r.position().map_or(0, |p| p.byte() as usize);
        while text[start..].starts_with(['\n', '\r']) {
            start += 1;
        }
        records.push((start, r.iter().map(str::to_string).collect()));
    }
    let rows = (0..records.len())
        .map(|i| {
            let start = records[i].0;
            let next = records.get(i + 1).map_or(text.len(), |r| r.0);
            let end = start + text[start..next].trim_end_matches(['\n', '\r']).len();
            (start..end, std::mem::take(&mut records[i].1))
        })
        .collect();
    Ok(Sheet {
        delimiter,
        headers,
        rows,
    })
}

/// The columns and rows of a spreadsheet, each cell as text.
pub fn rows(text: &str) -> Result<(Vec<String>, Vec<Row>), Problem> {
    let sheet = read(text)?;
    let rows = sheet
        .rows
        .into_iter()
        .map(|(_, cells)| Row {
            values: (sheet.headers.iter())
                .zip(cells)
                .filter(|(_, c)| !c.is_empty())
                .map(|(h, c)| (h.clone(), Value::String(c)))
                .collect(),
        })
        .collect();
    Ok((sheet.headers, rows))
}

/// One row as a line of the file.
fn line(delimiter: u8, cells: &[String]) -> Result<String, Problem> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells)
        .map_err(|e| Problem::new(None, format!("the row cannot be written ({e})")))?;
    let bytes = w
        .into_inner()
        .map_err(|e| Problem::new(None, e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string())
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// `text` with `changes` made to its rows.
pub fn apply(text: &str, changes: &[RowChange]) -> Result<String, Problem> {
    let sheet = read(text)?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let column = |key: &str| {
        sheet.headers.iter().position(|h| h == key).ok_or_else(|| {
            Problem::new(
                Some(key),
                format!("the spreadsheet has no `{key}` column: add it in the spreadsheet first"),
            )
        })
    };
    let mut cells: Vec<Option<Vec<String>>> =
        sheet.rows.iter().map(|(_, c)| Some(c.clone())).collect();
    let mut changed = vec![false; cells.len()];
    let mut added: Vec<Vec<String>> = Vec::new();
    for change in changes {
        let row_of = |row: usize| {
            if row < sheet.rows.len() {
                Ok(row)
            } else {
                Err(Problem::new(
                    None,
                    format!("there is no row {} (the file changed?)", row + 1),
                ))
            }
        };
        match change {
            RowChange::Set { row, key, value } => {
                let (r, c) = (row_of(*row)?, column(key)?);
                if let Some(cells) = cells[r].as_mut() {
                    cells.resize(sheet.headers.len().max(cells.len()), String::new());
                    cells[c] = cell_text(value);
                    changed[r] = true;
                }
            }
            RowChange::Unset { row, key } => {
                let (r, c) = (row_of(*row)?, column(key)?);
                if let Some(cells) = cells[r].as_mut() {
                    if let Some(cell) = cells.get_mut(c) {
                        cell.clear();
                    }
                    changed[r] = true;
                }
            }
            RowChange::Delete { row } => {
                let r = row_of(*row)?;
                cells[r] = None;
            }
            RowChange::Add { values, .. } => {
                let mut row = vec![String::new(); sheet.headers.len()];
                for (k, v) in values {
                    row[column(k)?] = cell_text(v);
                }
                added.push(row);
            }
        }
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (r, (span, _)) in sheet.rows.iter().enumerate() {
        match &cells[r] {
            None => {
                // The line and its line break.
                let end = text[span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| span.end + i + 1);
                edits.push((span.start..end, String::new()));
            }
            Some(c) if changed[r] => edits.push((span.clone(), line(sheet.delimiter, c)?)),
            Some(_) => {}
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r, &new);
    }
    for row in added {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&line(sheet.delimiter, &row)?);
        out.push_str(newline);
    }
    Ok(out)
}

/// The values of a row as the form would send them, for tests.
#[cfg(test)]
fn map(pairs: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SHEET: &str = "id;name;type;region;roles\r\nidc;\"Coalition; International\";network;global;\"a;b\"\r\nx;X;ngo;europe;\r\n";

    #[test]
    fn cells_are_read_with_the_files_separator() {
        let (headers, rows) = rows(SHEET).unwrap();
        assert_eq!(headers, ["id", "name", "type", "region", "roles"]);
        assert_eq!(rows[0].values["name"], "Coalition; International");
        assert!(
            rows[1].values.get("roles").is_none(),
            "empty cells are absent"
        );
    }

    #[test]
    fn a_change_rewrites_its_row_only() {
        let set = |row, key: &str, v: Value| RowChange::Set {
            row,
            key: key.into(),
            value: v,
        };
        let out = apply(SHEET, &[set(1, "name", json!("X; the second"))]).unwrap();
        assert_eq!(out, SHEET.replace("x;X;ngo", "x;\"X; the second\";ngo"));
        let out = apply(SHEET, &[RowChange::Delete { row: 0 }]).unwrap();
        assert_eq!(out, "id;name;type;region;roles\r\nx;X;ngo;europe;\r\n");
        let out = apply(
            SHEET,
            &[RowChange::Add {
                values: map(&[
                    ("id", "y"),
                    ("name", "Y"),
                    ("type", "ngo"),
                    ("region", "africa"),
                ]),
                order: vec![],
            }],
        )
        .unwrap();
        assert_eq!(out, format!("{SHEET}y;Y;ngo;africa;\r\n"));
        assert!(apply(SHEET, &[set(0, "colour", json!("red"))]).is_err());
    }
}
