//! Splits a content file into YAML front matter and Markdown body, and deserializes YAML into
//! typed structs with errors a writer can act on.
//!
//! serde_yaml's messages are written for programmers ("invalid type: string, expected a
//! boolean at line 3 column 10"); [`yaml_error`] turns them into a [`Diagnostic`] pointing at the
//! right line of the original file, in plain words, with a hint.

use rayon::prelude::*;
use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, did_you_mean, offset_of};

/// The two halves of a content file, as byte ranges into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// The Markdown after the closing `---` line.
    pub body: Range<usize>,
}

/// Finds the front matter. The file must start with a `---` line and have a closing `---` line.
pub fn split(path: &str, text: &Arc<str>) -> Result<Split, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text.trim().is_empty() {
        return Err(Diagnostic::error("this file is empty")
            .at(path, text, 0..0)
            .help(
                "every content file starts with front matter between two `---` lines, \
                 for example:\n---\ntitle: \"My title\"\n---\n(run `rally new` to create a file with every field filled in)",
            ));
    }
    if text[..first_line_end].trim_end() != "---" {
        return Err(
            Diagnostic::error("the file does not start with front matter")
                .at(path, text, 0..first_line_end)
                .label("expected a line with just `---` here")
                .help(
                    "put the fields (title, date, ...) between two lines that contain only `---`, \
                 at the very top of the file",
                ),
        );
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: yaml_start..offset,
                body: body_start..text.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("the front matter is never closed")
        .at(path, text, 0..first_line_end)
        .label("front matter opened here")
        .help("add a line with just `---` after the last field, before the text of the page"))
}

/// Deserializes `text[range]` as YAML into `T`, reporting errors against the whole file.
/// `what` names the thing for messages ("story", "partner").
pub fn parse<T: DeserializeOwned>(
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
    what: &str,
) -> Result<T, Diagnostic> {
    let yaml = &text[range.clone()];
    if yaml.trim().is_empty() {
        // An empty document is `null` to serde_yaml; a mapping reads better in errors.
        return serde_yaml::from_str("{}").map_err(|e| yaml_error(path, text, range, e, what));
    }
    serde_yaml::from_str(yaml).map_err(|e| yaml_error(path, text, range, e, what))
}

/// Translates a serde_yaml error on `text[range]` into a diagnostic on the file.
pub fn yaml_error(
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
    err: serde_yaml::Error,
    what: &str,
) -> Diagnostic {
    yaml_error_named(path, text, range, err, what, None)
}

/// What a serde_yaml error is about, read from its text (serde_yaml gives nothing else): the
/// key it names and the value it quotes, for a caller that points at a cell of a row.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// The top-level key (`roles` for `roles[0]: ...`).
    pub key: Option<String>,
    pub value: Option<String>,
}

/// The [`Subject`] of a serde_yaml error.
pub fn subject(err: &serde_yaml::Error) -> Subject {
    let raw = err.to_string();
    let msg = raw.find(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
    let (field_path, msg) = split_path(msg);
    let top = |p: &str| p.split(['.', '[']).next().unwrap_or(p).to_string();
    let quoted = |s: &str| {
        s.split(['`', '"'])
            .nth(1)
            .filter(|q| !q.is_empty())
            .map(str::to_string)
    };
    let mut subject = Subject {
        key: field_path.map(top),
        value: None,
    };
    if let Some(rest) = msg
        .strip_prefix("unknown field ")
        .or_else(|| msg.strip_prefix("missing field "))
    {
        subject.key = subject.key.or_else(|| quoted(rest));
    } else if let Some(rest) = msg.strip_prefix("unknown variant ") {
        subject.value = quoted(rest);
    } else if let Some(rest) = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
    {
        let found = rest.split(", expected ").next().unwrap_or(rest);
        subject.value = quoted(found);
    }
    subject
}

/// [`yaml_error`], naming the value `name` (a spreadsheet's column) where serde_yaml's
/// message names no key.
pub fn yaml_error_named(
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
    err: serde_yaml::Error,
    what: &str,
    name: Option<&str>,
) -> Diagnostic {
    let yaml = &text[range.clone()];
    let offset = err
        .location()
        .map(|l| offset_of(yaml, l.line(), l.column()))
        .unwrap_or(0)
        .min(yaml.len());
    let raw = err.to_string();
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // serde_yaml prefixes nested errors with the path: "image: missing field `alt`".
    let (field_path, msg) = split_path(&msg);
    let key = |fallback: &str| match (field_path, name) {
        (Some(p), _) => format!("`{p}`"),
        (None, Some(n)) if fallback == "this value" => format!("`{n}`"),
        _ => fallback.to_string(),
    };
    let mut span = range.start + offset..range.start + offset + token_len(&yaml[offset..]);

    let diag = if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = split_expected(rest);
        span = key_span(yaml, range.start, offset, &field).unwrap_or(span);
        let mut d = Diagnostic::error(format!("unknown key `{field}` in this {what}"))
            .label("not a key rally knows");
        let allowed = expected.join(", ");
        d = match did_you_mean(&field, expected.iter().map(String::as_str)) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? The keys allowed here are: {allowed}"
            )),
            None => d.help(format!(
                "remove it or check its spelling; the keys allowed here are: {allowed}"
            )),
        };
        d
    } else if let Some(rest) = msg.strip_prefix("missing field ") {
        let field = rest.trim_matches('`');
        let inside = field_path.map_or(String::new(), |p| format!(" under `{p}`"));
        // serde_yaml points after the mapping; point at its start instead.
        span = range.start..range.start + yaml.find('\n').unwrap_or(yaml.len());
        if let Some(p) = field_path {
            span = key_span(yaml, range.start, 0, p).unwrap_or(span);
        }
        Diagnostic::error(format!("missing required key `{field}`{inside} in this {what}"))
            .label(format!("`{field}` must be set"))
            .help(format!(
                "add a line `{field}: ...`{inside} to the front matter (see docs/content.md for what it holds)"
            ))
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        Diagnostic::error(format!(
            "{} should be {}, but it is {}",
            key("this value"),
            plain_type(expected),
            plain_type(found)
        ))
        .label(format!("expected {}", plain_type(expected)))
        .help(type_hint(expected))
    } else if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        let allowed = expected.join(", ");
        let d = Diagnostic::error(format!("{} cannot be `{value}`", key("this value")))
            .label("not one of the allowed values");
        match did_you_mean(&value, expected.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean `{s}`? Allowed values: {allowed}")),
            None => d.help(format!("use one of: {allowed}")),
        }
    } else if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another value"));
        Diagnostic::error(format!(
            "{} should be {}, but it is {}",
            key("this value"),
            plain_type(expected),
            plain_type(found)
        ))
        .label(format!("expected {}", plain_type(expected)))
    } else if msg.starts_with("invalid length") || msg.starts_with("duplicate field") {
        let d = Diagnostic::error(format!("{}: {msg}", key("front matter")));
        if msg.starts_with("duplicate field") {
            d.help("each key may appear only once; delete one of the two lines")
        } else {
            d
        }
    } else if field_path.is_some() {
        // Our own validation messages (dates, URLs) arrive as custom errors.
        Diagnostic::error(format!("{}: {msg}", key("")))
    } else {
        syntax_error(yaml, offset, msg)
    };
    diag.at(path, text, span)
}

fn syntax_error(yaml: &str, offset: usize, msg: &str) -> Diagnostic {
    let at = yaml[offset..].chars().next();
    let line_start = yaml[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &yaml[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    if at == Some('\t') || line.starts_with('\t') || msg.contains("tab") {
        return Diagnostic::error("the front matter contains a tab character")
            .label("tab here")
            .help("YAML does not allow tabs for indentation: replace them with spaces");
    }
    let simple = msg.split(", while").next().unwrap_or(msg);
    let mut d = Diagnostic::error(format!("the front matter is not valid YAML: {simple}"));
    if msg.contains("mapping values are not allowed") {
        d = d.help(
            "a value contains a colon followed by a space; put the whole value in double quotes, \
             e.g. title: \"Geneva: a turning point\"",
        );
    } else if msg.contains("did not find expected key") || msg.contains("did not find expected") {
        d = d.help(
            "check the indentation of this line and the one before it, and that every quote \
             that opens also closes",
        );
    } else if msg.contains("found unexpected end of stream") || msg.contains("quoted scalar") {
        d = d.help("a quoted value is not closed: add the missing quote");
    } else {
        d = d.help("each line should look like `key: value`; lists look like `tags: [a, b]`");
    }
    d
}

fn split_path(msg: &str) -> (Option<&str>, &str) {
    // A path is `a`, `a.b` or `a[0].b` followed by ": ".
    if let Some((p, rest)) = msg.split_once(": ") {
        let is_path = !p.is_empty()
            && p.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
        if is_path && !p.contains(' ') {
            return (Some(p), rest);
        }
    }
    (None, msg)
}

/// `\`x\`, expected one of \`a\`, \`b\`` into (x, [a, b]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
    let names = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (name.trim().trim_matches('`').to_string(), names)
}

fn key_span(yaml: &str, base: usize, from: usize, key: &str) -> Option<Range<usize>> {
    let key = key.rsplit('.').next().unwrap_or(key);
    let key = key.split('[').next().unwrap_or(key);
    // Prefer the occurrence at or after the reported position, else the first one.
    let find = |start: usize| {
        yaml[start..]
            .match_indices(key)
            .map(|(i, _)| start + i)
            .find(|&i| {
                let before_ok = i == 0
                    || yaml[..i].ends_with(|c: char| c.is_whitespace() || c == '{' || c == ',');
                let after = &yaml[i + key.len()..];
                before_ok && after.trim_start_matches([' ', '"', '\'']).starts_with(':')
            })
    };
    let start = find(from.min(yaml.len())).or_else(|| find(0))?;
    Some(base + start..base + start + key.len())
}

fn token_len(s: &str) -> usize {
    let line = s.split('\n').next().unwrap_or("");
    line.trim_end()
        .len()
        .clamp(1, 60)
        .min(line.len().max(1))
        .min(s.len())
}

fn plain_type(t: &str) -> String {
    let t = t.trim();
    match t {
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" | "struct" => "a set of `key: value` lines".into(),
        "unit value" => "empty".into(),
        "a string" => "text".into(),
        "i64" | "u64" | "u16" | "u32" | "an integer" => "a whole number".into(),
        "a date" => "a date".into(),
        _ if t.starts_with("string ") => format!("the text {}", &t["string ".len()..]),
        _ if t.starts_with("integer ") => format!("the number {}", &t["integer ".len()..]),
        _ if t.starts_with("floating point ") => {
            format!("the number {}", &t["floating point ".len()..])
        }
        _ if t.starts_with("boolean ") => format!("`{}`", &t["boolean ".len()..]),
        _ if t.starts_with("struct ") => "a set of `key: value` lines".into(),
        _ if t.starts_with("sequence") => "a list".into(),
        _ if t.starts_with("map") => "a set of `key: value` lines".into(),
        _ => t.to_string(),
    }
}

fn type_hint(expected: &str) -> String {
    match expected.trim() {
        "a boolean" => "write `true` or `false`".into(),
        "a sequence" => "write a list, either `[first, second]` or one `- item` per line".into(),
        "a string" => "put the value in double quotes".into(),
        e if e.starts_with("struct") || e == "a map" => {
            "write the nested keys on the following lines, indented by two spaces".into()
        }
        e if e.contains("integer") || e == "u16" || e == "i64" || e == "u64" => {
            "write a number without quotes, e.g. 2014".into()
        }
        e => format!("write {}", plain_type(e)),
    }
}

/// Deserializes a list file (`partners.yaml`) row by row, so one bad row does not hide the
/// others. Returns each row's byte range with its result.
/// A row of a list file: its byte range and its parsed value or problem.
pub type Row<T> = (Range<usize>, Result<T, Diagnostic>);

pub fn parse_rows<T: DeserializeOwned + Send>(
    path: &str,
    text: &Arc<str>,
    what: &str,
) -> Result<Vec<Row<T>>, Diagnostic> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("- ") || line.trim_end() == "-" {
            starts.push(offset);
        }
        offset += line.len();
    }
    let rows: Vec<Row<T>> = starts
        .par_iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let range = start..end;
            // Parse the row as a one-item list so the original indentation stays valid.
            let result = serde_yaml::from_str::<Vec<T>>(&text[range.clone()])
                .map_err(|e| yaml_error(path, text, range.clone(), e, what))
                .and_then(|mut v| {
                    v.pop().ok_or_else(|| {
                        Diagnostic::error(format!("empty {what} entry")).at(
                            path,
                            text,
                            range.clone(),
                        )
                    })
                });
            (range, result)
        })
        .collect();
    // A structural error (not a list, text before the first entry, broken indentation) is
    // reported once for the whole file rather than row by row. Parsing the whole file is
    // needed only to tell: when there are rows, all of them parse and only blank lines and
    // comments come before the first, the whole file is a list of them.
    let head = &text[..starts.first().copied().unwrap_or(text.len())];
    let plain_head = head.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    if starts.is_empty() || !plain_head || rows.iter().any(|(_, r)| r.is_err()) {
        let whole: Result<Vec<serde_yaml::Value>, _> = serde_yaml::from_str(text);
        if let Err(e) = whole {
            let d = yaml_error(path, text, 0..text.len(), e, "list");
            return Err(if d.message.contains("should be a list") {
                d.help(
                    "this file must be a YAML list: each entry starts with `- ` at the start of a line",
                )
            } else {
                d
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_of_serde_yaml_errors() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Row {
            region: Region,
            roles: Vec<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Region {
            Africa,
        }
        let about = |yaml: &str| subject(&serde_yaml::from_str::<Row>(yaml).unwrap_err());
        let s = |k: Option<&str>, v: Option<&str>| Subject {
            key: k.map(str::to_string),
            value: v.map(str::to_string),
        };
        assert_eq!(
            about("region: mars\nroles: []"),
            s(Some("region"), Some("mars"))
        );
        assert_eq!(about("regoin: africa\nroles: []"), s(Some("regoin"), None));
        assert_eq!(about("roles: []"), s(Some("region"), None));
        assert_eq!(
            about("region: africa\nroles: [[1]]"),
            s(Some("roles"), None)
        );
    }
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        #[serde(default)]
        featured: bool,
    }

    fn arc(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let t = arc("---\ntitle: a\n---\nbody\n");
        let s = split("a.md", &t).unwrap();
        assert_eq!(&t[s.yaml], "title: a\n");
        assert_eq!(&t[s.body], "body\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let e = split("a.md", &arc("---\ntitle: a\n")).unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = split("a.md", &arc("title: a\n")).unwrap_err();
        assert!(e.message.contains("does not start"));
        let e = split("a.md", &arc("")).unwrap_err();
        assert!(e.message.contains("empty"));
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let t = arc("---\ntitel: a\n---\n");
        let s = split("a.md", &t).unwrap();
        let e = parse::<Meta>("a.md", &t, s.yaml, "story").unwrap_err();
        assert_eq!(e.message, "unknown key `titel` in this story");
        assert_eq!(e.line_col(), Some((2, 1)));
        assert!(e.help.unwrap().contains("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_is_plain_words() {
        let t = arc("---\ntitle: a\nfeatured: yes please\n---\n");
        let s = split("a.md", &t).unwrap();
        let e = parse::<Meta>("a.md", &t, s.yaml, "story").unwrap_err();
        assert!(e.message.contains("true or false"), "{}", e.message);
        assert_eq!(e.line_col().unwrap().0, 3);
    }

    #[test]
    fn tabs_get_their_own_message() {
        let t = arc("---\ntitle: a\n\tfeatured: true\n---\n");
        let s = split("a.md", &t).unwrap();
        let e = parse::<Meta>("a.md", &t, s.yaml, "story").unwrap_err();
        assert!(e.message.contains("tab"), "{}", e.message);
        assert_eq!(e.line_col().unwrap().0, 3);
    }

    #[test]
    fn rows_are_parsed_independently() {
        let t = arc("- title: a\n- titel: b\n- title: c\n  featured: true\n");
        let rows = parse_rows::<Meta>("p.yaml", &t, "partner").unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].1.is_ok());
        let e = rows[1].1.as_ref().unwrap_err();
        assert_eq!(e.line_col().unwrap().0, 2);
        assert!(rows[2].1.as_ref().unwrap().featured);
    }

    #[test]
    fn a_list_file_that_is_not_a_list_is_one_error() {
        // A mapping, with no rows at all.
        let e = parse_rows::<Meta>("p.yaml", &arc("title: a\n"), "partner").unwrap_err();
        assert!(
            e.help.unwrap().contains("must be a YAML list"),
            "{}",
            e.message
        );
        // Rows that parse on their own, after text that makes the file a mapping.
        let t = arc("# partners\ntitle: a\n- title: b\n");
        assert!(parse_rows::<Meta>("p.yaml", &t, "partner").is_err());
        // Comments and blank lines before the first row are fine.
        let t = arc("# partners\n\n- title: b\n");
        assert_eq!(
            parse_rows::<Meta>("p.yaml", &t, "partner").unwrap().len(),
            1
        );
        // An unclosed quote spoils the rest of the file: one error, not one per row.
        let t = arc("- title: \"a\n- title: b\n- title: c\n");
        assert!(parse_rows::<Meta>("p.yaml", &t, "partner").is_err());
    }
}
