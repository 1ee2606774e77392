//! `content/partners.csv`: partner listings kept in a spreadsheet, one row per partner.
//!
//! Each row becomes the same YAML mapping a partner file would have, so rows get the same
//! checks and messages as files; errors point at the row and the cell.

use std::ops::Range;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::Partner;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::frontmatter::{self, Row, RowName, Rows, Within};

/// The columns that may be given in another language, as `<column>.<code>`.
const TRANSLATED: [&str; 3] = ["name", "acronym", "description"];

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

/// Columns every row needs: without one, no row can be read, and that is one error.
const REQUIRED: [&str; 4] = ["id", "name", "type", "region"];

/// Reads the spreadsheet. Separators: `,`, or `;` and tabs as spreadsheets in many languages
/// save them. A problem with the header (an unknown or missing column) is the whole file's.
pub fn parse(path: &str, text: &Arc<str>) -> Rows<Partner> {
    let delimiter = separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Rows {
                rows: Vec::new(),
                whole: Some(csv_error(path, text, e)),
            };
        }
    };
    let header_cells = cells(text, 0, delimiter);
    let header_line = 0..text.find('\n').unwrap_or(text.len());
    let whole = header_problem(path, text, &headers, &header_cells, header_line);
    let id_column = headers.iter().position(|h| h.trim() == "id");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                rows.push(Row {
                    span: at..at,
                    id: None,
                    result: Err(csv_error(path, text, e)),
                });
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let id = id_column
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string);
        let name = RowName {
            file: path,
            number: record.position().map_or(0, |p| p.line() as usize),
            id: id.as_deref(),
            column: None,
            spreadsheet: true,
        };
        let result = if let Some(whole) = &whole {
            // Not read: the header's problem is the row's (and is reported once).
            Err(whole.clone())
        } else if record.len() != headers.len() {
            Err(Diagnostic::error(format!(
                "{name} has {} cells but the header row has {}",
                record.len(),
                headers.len()
            ))
            .at(path, text, start..end)
            .help(
                "every row needs one cell per column (an empty cell is two separators in a \
                 row); put a cell that contains the separator in double quotes",
            ))
        } else {
            partner(path, text, &headers, &record, name, start..end, delimiter)
        };
        rows.push(Row {
            span: start..end,
            id,
            result,
        });
    }
    Rows { rows, whole }
}

/// The header's problem, if it has one: an unknown column, or a required one missing.
fn header_problem(
    path: &str,
    text: &Arc<str>,
    headers: &csv::StringRecord,
    header_cells: &[Range<usize>],
    header_line: Range<usize>,
) -> Option<Diagnostic> {
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        let translated = h.split_once('.').is_some_and(|(field, code)| {
            TRANSLATED.contains(&field) && crate::content::translations::is_code(code)
        });
        if !COLUMNS.contains(&h) && !translated {
            let span = header_cells.get(i).cloned().unwrap_or(0..0);
            let d = Diagnostic::error(format!("unknown column `{h}` in the partner list"))
                .at(path, text, span);
            return Some(match did_you_mean(h, COLUMNS) {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? Columns allowed: {}",
                    COLUMNS.join(", ")
                )),
                None => d.help(format!("columns allowed: {}", COLUMNS.join(", "))),
            });
        }
    }
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|r| !headers.iter().any(|h| h.trim() == *r))
        .collect();
    let first = missing.first()?;
    let (what, them) = if missing.len() == 1 {
        (format!("a `{first}` column"), "it")
    } else {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        (format!("the columns {}", names.join(", ")), "them")
    };
    let values = |c: &str| match c {
        "type" => Some(crate::content::PartnerType::ALL.map(|t| t.key()).join(", ")),
        "region" => Some(crate::content::Region::ALL.map(|r| r.key()).join(", ")),
        _ => None,
    };
    let mut help = format!("add {what} to the header row and fill {them} in for every partner");
    for m in &missing {
        if let Some(v) = values(m) {
            help.push_str(&format!("; `{m}` is one of: {v}"));
        }
    }
    Some(
        Diagnostic::error(format!("{path} has no {}", what.trim_start_matches("a ")))
            .at(path, text, header_line)
            .label("the header row")
            .help(help),
    )
}

/// One row as a partner: the same YAML mapping a partner file would have, so rows get the
/// same checks and messages as files.
fn partner(
    path: &str,
    text: &Arc<str>,
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    name: RowName,
    span: Range<usize>,
    delimiter: u8,
) -> Result<Partner, Diagnostic> {
    let row_cells = cells(text, span.start, delimiter);
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
        // `description.es`: a field in another language, under `translations` as a partner
        // file writes it.
        if let Some((field, code)) = h.trim().split_once('.') {
            let translations = map
                .entry(Value::String("translations".into()))
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if let Value::Mapping(t) = translations {
                let lang = t
                    .entry(Value::String(code.into()))
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                if let Value::Mapping(l) = lang {
                    l.insert(Value::String(field.into()), value);
                }
            }
            continue;
        }
        map.insert(Value::String(h.trim().into()), value);
    }
    serde_yaml::from_value::<Partner>(Value::Mapping(map)).map_err(|e| {
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
        let cell = col.and_then(|c| row_cells.get(c).map(|cell| (c, cell)));
        let column = cell.map(|(c, _)| headers.get(c).unwrap_or("").trim());
        let d = frontmatter::yaml_error_in(
            path,
            text,
            span.clone(),
            e,
            Within::Row(RowName { column, ..name }),
        );
        match cell {
            Some((_, cell)) => d.at(path, text, cell.clone()),
            None => d,
        }
    })
}

fn csv_error(path: &str, text: &Arc<str>, e: csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".into(),
        _ => format!("cannot read the spreadsheet: {e}"),
    };
    Diagnostic::error(msg)
        .at(path, text, at..at + 1)
        .help("every row needs one cell per column; put cells that contain commas in double quotes")
}

/// The separator of the header row: `,`, unless `;` or tabs are more frequent there.
pub(crate) fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[2] > counts[0].max(counts[1]) {
        b'\t'
    } else if counts[1] > counts[0] {
        b';'
    } else {
        b','
    }
}

/// Byte ranges of the cells of the line starting at `start`, honouring double quotes.
fn cells(text: &str, start: usize, delimiter: u8) -> Vec<Range<usize>> {
    let delimiter = char::from(delimiter);
    let mut out = Vec::new();
    let mut cell_start = start;
    let mut quoted = false;
    for (i, c) in text[start..].char_indices() {
        let at = start + i;
        match c {
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => {
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
        let rows = parse("content/partners.csv", &t).rows;
        let p = rows[0].result.as_ref().unwrap();
        assert_eq!(p.name, "International Detention Coalition");
        assert_eq!(p.roles.len(), 2);
    }

    #[test]
    fn bad_cell_is_named_by_row_and_column() {
        let t: Arc<str> = Arc::from("id,name,type,region\na,A,ngo,global\nb,B,charity,global\n");
        let rows = parse("content/partners.csv", &t).rows;
        let e = rows[1].result.as_ref().unwrap_err();
        assert_eq!(e.line_col(), Some((3, 5)), "{e}");
    }

    #[test]
    fn unknown_column_suggests() {
        let t: Arc<str> = Arc::from("id,name,typ,region\n");
        let e = parse("content/partners.csv", &t).whole.unwrap();
        assert!(e.help.unwrap().contains("`type`"));
    }

    #[test]
    fn semicolons_and_tabs_separate_cells_too() {
        for sep in [";", "\t"] {
            let t: Arc<str> = Arc::from(
                "id,name,type,region\na,\"A, B\",ngo,global\n"
                    .replace(',', sep)
                    .replace("A; B", "A, B")
                    .replace("A\t B", "A, B"),
            );
            let rows = parse("content/partners.csv", &t);
            assert!(rows.whole.is_none(), "{:?}", rows.whole);
            assert_eq!(
                rows.rows[0].result.as_ref().unwrap().region,
                crate::content::Region::Global
            );
        }
    }

    #[test]
    fn a_missing_column_is_one_error_and_rows_keep_their_ids() {
        let t: Arc<str> = Arc::from("id,name,type\na,A,ngo\nb,B,ngo\n");
        let rows = parse("content/partners.csv", &t);
        let e = rows.whole.unwrap();
        assert_eq!(e.message, "content/partners.csv has no `region` column");
        let ids: Vec<_> = rows.rows.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, [Some("a"), Some("b")]);
    }
}
