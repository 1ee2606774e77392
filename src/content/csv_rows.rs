//! `content/partners.csv`: partner listings kept in a spreadsheet, one row per partner.
//!
//! Each row becomes the same YAML mapping a partner file would have, so rows get the same
//! checks and messages as files; errors point at the row and the cell.

use std::ops::Range;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::Partner;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::frontmatter;

const COLUMNS: [&str; 12] = [
    "id",
    "name",
    "acronym",
    "type",
    "region",
    "country",
    "website",
    "logo",
    "joined",
    "roles",
    "description",
    "draft",
];

type Row = (Range<usize>, Result<Partner, Diagnostic>);

pub fn parse(path: &str, text: &Arc<str>) -> Result<Vec<Row>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, text, e))?
        .clone();
    let header_cells = cells(text, 0);
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if !COLUMNS.contains(&h) {
            let span = header_cells.get(i).cloned().unwrap_or(0..0);
            let d = Diagnostic::error(format!("unknown column `{h}` in the partner list"))
                .at(path, text, span);
            return Err(match did_you_mean(h, COLUMNS) {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? Columns allowed: {}",
                    COLUMNS.join(", ")
                )),
                None => d.help(format!("columns allowed: {}", COLUMNS.join(", "))),
            });
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, text, e))?;
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let row_cells = cells(text, start);
        let mut map = Mapping::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let value = match h.trim() {
                "roles" => Value::Sequence(
                    v.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.into()))
                        .collect(),
                ),
                "joined" => v
                    .parse::<u64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(v.into())),
                "draft" => match v.to_ascii_lowercase().as_str() {
                    "true" | "yes" => Value::Bool(true),
                    "false" | "no" => Value::Bool(false),
                    _ => Value::String(v.into()),
                },
                _ => Value::String(v.into()),
            };
            map.insert(Value::String(h.trim().into()), value);
        }
        let result = serde_yaml::from_value::<Partner>(Value::Mapping(map)).map_err(|e| {
            // Point at the cell the error is about: the column it names, or the cell holding
            // the value it quotes.
            let about = frontmatter::subject(&e);
            let by_key = about
                .key
                .as_deref()
                .and_then(|k| headers.iter().position(|h| h.trim() == k));
            let col = by_key.or_else(|| {
                let value = about.value.as_deref()?;
                record.iter().position(|v| v.trim() == value)
            });
            match col.and_then(|c| row_cells.get(c).map(|cell| (c, cell))) {
                Some((c, cell)) => {
                    let column = headers.get(c).unwrap_or("").trim();
                    frontmatter::yaml_error_named(
                        path,
                        text,
                        start..end,
                        e,
                        "partner",
                        Some(column),
                    )
                    .at(path, text, cell.clone())
                }
                None => frontmatter::yaml_error(path, text, start..end, e, "partner"),
            }
        });
        rows.push((start..end, result));
    }
    Ok(rows)
}

fn csv_error(path: &str, text: &Arc<str>, e: csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} cells but the header row has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".into(),
        _ => format!("cannot read the spreadsheet: {e}"),
    };
    Diagnostic::error(msg)
        .at(path, text, at..at + 1)
        .help("every row needs one cell per column; put cells that contain commas in double quotes")
}

/// Byte ranges of the cells of the line starting at `start`, honouring double quotes.
fn cells(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut cell_start = start;
    let mut quoted = false;
    for (i, c) in text[start..].char_indices() {
        let at = start + i;
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(cell_start..at);
                cell_start = at + 1;
            }
            '\n' if !quoted => {
                out.push(cell_start..at);
                return out;
            }
            _ => {}
        }
    }
    out.push(cell_start..text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_partners() {
        let t: Arc<str> = Arc::from(
            "id,name,type,region,roles\nidc,International Detention Coalition,network,global,campaign-coordinator;working-group-chair\n",
        );
        let rows = parse("content/partners.csv", &t).unwrap();
        let p = rows[0].1.as_ref().unwrap();
        assert_eq!(p.name, "International Detention Coalition");
        assert_eq!(p.roles.len(), 2);
    }

    #[test]
    fn bad_cell_is_named_by_row_and_column() {
        let t: Arc<str> = Arc::from("id,name,type,region\na,A,ngo,global\nb,B,charity,global\n");
        let rows = parse("content/partners.csv", &t).unwrap();
        let e = rows[1].1.as_ref().unwrap_err();
        assert_eq!(e.line_col(), Some((3, 5)), "{e}");
    }

    #[test]
    fn unknown_column_suggests() {
        let t: Arc<str> = Arc::from("id,name,typ,region\n");
        let e = parse("content/partners.csv", &t).unwrap_err();
        assert!(e.help.unwrap().contains("`type`"));
    }
}
