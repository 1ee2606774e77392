//! Splits a content file into YAML front matter and Markdown body, and deserializes YAML into
//! typed structs with errors a writer can act on.
//!
//! serde_yaml's messages are written for programmers ("invalid type: string, expected a
//! boolean at line 3 column 10"); [`yaml_error`] turns them into a [`Diagnostic`] pointing at the
//! right line of the original file, in plain words, with a hint.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, did_you_mean, offset_of};

mod losses;
mod rows;
pub use losses::silent_losses;
pub use rows::{Row, Rows, parse_rows, row_id, row_spans};

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
        let mark = line.trim();
        // `--`, `----`, or the dash a word processor made of `---`: meant as the closing line.
        let dashes = mark.chars().count();
        if (mark.chars().all(|c| c == '-') && (dashes == 2 || dashes > 3))
            || (!mark.is_empty() && mark.chars().all(|c| c == '\u{2014}' || c == '\u{2013}'))
        {
            return Err(Diagnostic::error(format!(
                "the front matter must end with a line of exactly three hyphens, not `{mark}`"
            ))
            .at(path, text, offset..offset + line.trim_end().len())
            .label("write `---` here")
            .help("replace this line with `---` (three hyphens, nothing else on the line)"));
        }
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
    yaml_error_in(path, text, range, err, Within::FrontMatter(what))
}

/// What the YAML being read is, for messages: a file's front matter, or a row of a list.
#[derive(Debug, Clone, Copy)]
pub enum Within<'a> {
    /// The front matter of a file holding one `what` ("story").
    FrontMatter(&'a str),
    /// A row of a list file (`partners.yaml`, `partners.csv`).
    Row(RowName<'a>),
    /// A whole list file, when its rows cannot be told apart.
    List,
}

/// A row of a list file as a writer finds it: `row 3 (id: unicef) of content/partners.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct RowName<'a> {
    pub file: &'a str,
    /// Entries count from 1; a spreadsheet's rows are numbered as the spreadsheet shows them.
    pub number: usize,
    /// The row's `id` as written, when it has one.
    pub id: Option<&'a str>,
    /// The spreadsheet column of the value, where the error names none.
    pub column: Option<&'a str>,
    pub spreadsheet: bool,
}

impl std::fmt::Display for RowName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.number)?;
        if let Some(id) = self.id {
            write!(f, " (id: {id})")?;
        }
        write!(f, " of {}", self.file)
    }
}

impl Within<'_> {
    /// How the text is named in messages about its syntax.
    fn syntax_subject(&self) -> String {
        match self {
            Within::FrontMatter(_) => "the front matter".into(),
            Within::Row(row) => row.to_string(),
            Within::List => "this list".into(),
        }
    }
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

/// [`yaml_error`] for YAML that is `within` a front matter or a list row.
pub fn yaml_error_in(
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
    err: serde_yaml::Error,
    within: Within,
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
    // serde_yaml prefixes nested errors with the path: "image: missing field `alt`". A row
    // is read as a one-item list, whose item is `[0]`.
    let (field_path, msg) = split_path(&msg);
    let field_path = field_path
        .map(|p| p.trim_start_matches('.'))
        .map(|p| {
            p.strip_prefix("[0]")
                .map_or(p, |r| r.trim_start_matches('.'))
        })
        .filter(|p| !p.is_empty());
    let about_a_key = msg.starts_with("unknown field ") || msg.starts_with("missing field ");
    if let Some((d, at)) = misindented_value(yaml, offset, &within).filter(|_| !about_a_key) {
        return d.at(path, text, range.start + at.start..range.start + at.end);
    }
    let name = match within {
        Within::Row(row) => row.column,
        Within::FrontMatter(_) | Within::List => None,
    };
    let key = |fallback: &str| match (field_path, name) {
        (Some(p), _) => format!("`{p}`"),
        (None, Some(n)) if fallback == "this value" => format!("`{n}`"),
        _ => fallback.to_string(),
    };
    let mut span = range.start + offset..range.start + offset + token_len(&yaml[offset..]);

    let diag = if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = split_expected(rest);
        span = key_span(yaml, range.start, offset, &field).unwrap_or(span);
        let place = match within {
            Within::Row(row) => row.to_string(),
            Within::FrontMatter(what) => format!("this {what}"),
            Within::List => "this list".into(),
        };
        let mut d = Diagnostic::error(format!("unknown key `{field}` in {place}"))
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
        let what = match within {
            Within::FrontMatter(what) => what,
            _ => "list",
        };
        let d = match within {
            Within::FrontMatter(_) | Within::List => Diagnostic::error(format!(
                "missing required key `{field}`{inside} in this {what}"
            ))
            .help(format!(
                "add a line `{field}: ...`{inside} to the front matter (see docs/content.md for what it holds)"
            )),
            Within::Row(row) => {
                let d = Diagnostic::error(format!("{row} has no `{field}`{inside}"));
                if row.spreadsheet {
                    d.help(format!("fill in the `{field}` cell of this row (docs/content.md lists what it holds)"))
                } else {
                    d.help(format!(
                        "add a line `{field}: ...`{inside} to this row, lined up with its other keys (docs/content.md lists what it holds)"
                    ))
                }
            }
        };
        d.label(format!("`{field}` must be set"))
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
        // Our own validation messages (dates, URLs) arrive as custom errors; those that
        // say what the value must be read as a sentence about the key.
        if msg.starts_with("must ") {
            Diagnostic::error(format!("{} {msg}", key("")))
        } else {
            Diagnostic::error(format!("{}: {msg}", key("")))
        }
    } else {
        syntax_error(yaml, offset, msg, &within.syntax_subject())
    };
    diag.at(path, text, span)
}

/// The column where a line's key starts (`- id: x` has its key at column 2).
fn key_column(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix('-').filter(|r| r.starts_with(' ')) {
        rest = r.trim_start_matches(' ');
    }
    line.len() - rest.len()
}

/// A value that YAML read across two lines because the second is indented further than the
/// first (`type: ngo` then `   region: global` gives the type `ngo region`): the error it
/// causes is about the value, its cause is the indentation. The span is within `yaml`.
fn misindented_value(
    yaml: &str,
    offset: usize,
    within: &Within,
) -> Option<(Diagnostic, Range<usize>)> {
    let line_start = yaml[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = yaml[offset..].find('\n').map(|i| offset + i)?;
    let line = &yaml[line_start..line_end];
    let value = line[offset - line_start..].trim();
    // Only a plain value (no quotes, list or block) runs on to the next line this way.
    if value.is_empty() || value.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    let next_start = line_end + 1;
    let next = yaml[next_start..].lines().next()?;
    let (n, m) = (key_column(next), key_column(line));
    let next_key = next
        .trim_start()
        .split(": ")
        .next()
        .filter(|_| next.contains(": "))?;
    if n <= m || next.trim_start().starts_with('-') {
        return None;
    }
    let subject = match within {
        Within::Row(row) => format!("{row}: "),
        _ => String::new(),
    };
    let start = next_start + n;
    let d = Diagnostic::error(format!(
        "{subject}`{next_key}:` is indented by {n} spaces, the line above by {m}"
    ))
    .label("indented further than the line above")
    .help(format!(
        "YAML reads a line indented further than the one above as part of that line's value; \
         line `{next_key}:` up with the keys around it"
    ));
    Some((d, start..start + next_key.len()))
}

/// A YAML syntax error, explained; `subject` names the text ("the front matter").
fn syntax_error(yaml: &str, offset: usize, msg: &str, subject: &str) -> Diagnostic {
    let at = yaml[offset..].chars().next();
    let line_start = yaml[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &yaml[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    if at == Some('\t') || line.starts_with('\t') || msg.contains("tab") {
        return Diagnostic::error(format!("{subject} contains a tab character"))
            .label("tab here")
            .help("YAML does not allow tabs for indentation: replace them with spaces");
    }
    let simple = msg.split(", while").next().unwrap_or(msg);
    let mut d = Diagnostic::error(format!("{subject} is not valid YAML: {simple}"));
    let indent = key_column;
    let previous = yaml[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    // `key: value` whose colon is the line's first: the line itself is fine, so YAML took it
    // as part of the line above because it is indented further than its neighbours.
    let first_colon = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(str::len));
    let misaligned = previous.filter(|p| {
        first_colon == Some(offset - line_start) && indent(line) > indent(p) && p.contains(": ")
    });
    if let Some(p) = misaligned {
        let (n, m) = (indent(line), indent(p));
        d = d.help(format!(
            "this line is indented by {n} spaces but the line above by {m}: keys at the same \
             level must line up; remove {} space{}",
            n - m,
            if n - m == 1 { "" } else { "s" }
        ));
    } else if msg.contains("mapping values are not allowed") {
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
        let rows = parse_rows::<Meta>("p.yaml", &t).rows;
        assert_eq!(rows.len(), 3);
        assert!(rows[0].result.is_ok());
        let e = rows[1].result.as_ref().unwrap_err();
        assert_eq!(e.line_col().unwrap().0, 2);
        assert!(rows[2].result.as_ref().unwrap().featured);
    }

    #[test]
    fn a_list_file_that_is_not_a_list_is_one_error() {
        // A mapping, with no rows at all.
        let e = parse_rows::<Meta>("p.yaml", &arc("title: a\n"))
            .whole
            .unwrap();
        assert!(
            e.help.unwrap().contains("must be a YAML list"),
            "{}",
            e.message
        );
        // Rows that parse on their own, after text that makes the file a mapping.
        let t = arc("# partners\ntitle: a\n- title: b\n");
        assert!(parse_rows::<Meta>("p.yaml", &t).whole.is_some());
        // Comments and blank lines before the first row are fine.
        let t = arc("# partners\n\n- title: b\n");
        assert_eq!(parse_rows::<Meta>("p.yaml", &t).rows.len(), 1);
    }

    #[test]
    fn one_broken_row_costs_that_row_only() {
        // An unclosed quote, or a wrong indent, spoils its row, not the rows after it.
        let t = arc("- title: \"a\n- id: x\n  title: b\n    featured: true\n- title: c\n");
        let rows = parse_rows::<Meta>("p.yaml", &t);
        assert!(rows.whole.is_none());
        assert!(rows.rows[0].result.is_err());
        assert!(rows.rows[1].result.is_err());
        assert_eq!(rows.rows[1].id.as_deref(), Some("x"));
        assert_eq!(rows.rows[2].result.as_ref().unwrap().title, "c");
        // An indented list is read the same way.
        let t = arc("  - title: a\n  - title: b\n");
        assert_eq!(parse_rows::<Meta>("p.yaml", &t).rows.len(), 2);
    }

    #[test]
    fn row_ids_are_read_from_the_text() {
        assert_eq!(
            row_id("- id: unicef\n  name: x\n").as_deref(),
            Some("unicef")
        );
        assert_eq!(
            row_id("- name: x\n  id: \"idc\" # note\n").as_deref(),
            Some("idc")
        );
        assert_eq!(row_id("- name: x\n"), None);
    }
}
