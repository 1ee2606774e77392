//! The browser editor's core, apart from HTTP: what a content file's fields are, a change to
//! them written into the file's text touching only the changed field's lines ([`apply`]),
//! which paths may be written ([`paths`]) and the save itself, atomic and refused when the
//! file changed since it was opened ([`save`]). `rally serve` puts it on the web
//! (`serve::editor`); nothing here is part of `rally build`.

pub mod cms;
pub mod csv;
pub mod emit;
pub mod paths;
pub mod rows;
pub mod save;
pub mod schema;
pub mod upload;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::translations::blocks;
use crate::frontmatter;

/// One top-level front-matter key as the form shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub key: String,
    /// The value as YAML reads it (strings, numbers, lists, maps).
    pub value: Value,
    /// Its text as written, after `key:` (for the form's "as written" view).
    pub text: String,
}

/// A content file opened in the editor.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub path: String,
    /// [`version`] of the text: a save names it, and is refused if the file changed.
    pub version: String,
    pub fields: Vec<Field>,
    pub body: String,
    pub text: String,
}

/// What a save changes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Change {
    /// Sets a key's value (adds the key at the end of the front matter if it is absent).
    Set { key: String, value: Value },
    /// Removes a key.
    Remove { key: String },
    /// Replaces the Markdown body.
    Body { text: String },
    /// Replaces the whole text (a list file edited as text).
    Whole { text: String },
    /// Changes rows of a list file (`partners.yaml`).
    Rows { rows: Vec<rows::RowChange> },
}

/// Why a change cannot be written, for the editor to show at its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub key: Option<String>,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(key: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            key: key.map(str::to_string),
            message: message.into(),
        }
    }
}

/// The version a save must name: a hash of the file's text (see
/// [`version_hash`](crate::content::translations::version_hash)).
pub fn version(text: &str) -> String {
    crate::content::translations::version_hash(text)
}

/// A Markdown content file's fields and body.
pub fn open(path: &str, text: &str) -> Result<Opened, Problem> {
    let arc: Arc<str> = Arc::from(text);
    let split = frontmatter::split(path, &arc).map_err(|d| Problem::new(None, d.message))?;
    let yaml = &text[split.yaml.clone()];
    let map: serde_yaml::Mapping = if yaml.trim().is_empty() {
        serde_yaml::Mapping::new()
    } else {
        serde_yaml::from_str(yaml).map_err(|e| {
            Problem::new(
                None,
                format!(
                    "the front matter is not readable YAML ({e}): fix it in a text editor first"
                ),
            )
        })?
    };
    let fields = blocks(yaml)
        .into_iter()
        .map(|(key, r)| {
            let value = map
                .get(key)
                .and_then(|v| serde_json::to_value(v).ok())
                .unwrap_or(Value::Null);
            let block = &yaml[r];
            let after = block.find(':').map_or(block.len(), |i| i + 1);
            Field {
                key: key.to_string(),
                value,
                text: block[after..].trim().to_string(),
            }
        })
        .collect();
    Ok(Opened {
        path: path.to_string(),
        version: version(text),
        fields,
        body: text[split.body].to_string(),
        text: text.to_string(),
    })
}

/// `text` with `changes` made: each key's value text replaced (its key, any comment after
/// a one-line value, and every other byte of the file kept), keys added at the end of the
/// front matter, removed keys' lines deleted, the body replaced. The result's front matter is
/// read back to be sure it is still YAML.
pub fn apply(path: &str, text: &str, changes: &[Change]) -> Result<String, Problem> {
    if let Some(Change::Whole { text }) = changes.iter().find(|c| matches!(c, Change::Whole { .. }))
    {
        return Ok(text.clone());
    }
    if let Some(Change::Rows { rows: list }) =
        changes.iter().find(|c| matches!(c, Change::Rows { .. }))
    {
        return if path.ends_with(".csv") {
            csv::apply(text, list)
        } else {
            rows::apply(text, list)
        };
    }
    let arc: Arc<str> = Arc::from(text);
    let split = frontmatter::split(path, &arc).map_err(|d| Problem::new(None, d.message))?;
    let yaml = split.yaml.clone();
    let found = blocks(&text[yaml.clone()]);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut added = String::new();
    for change in changes {
        match change {
            Change::Set { key, value } => {
                check_key(key)?;
                match found.iter().find(|(k, _)| k == key) {
                    Some((_, r)) => {
                        let block = yaml.start + r.start..yaml.start + r.end;
                        let span = value_span(text, block);
                        let style = emit::Style::of(&text[span.clone()]);
                        let new = emit::value(value, &style).ok_or_else(|| {
                            Problem::new(Some(key), "this value has a shape the form cannot write")
                        })?;
                        edits.push((span, new.replace('\n', newline)));
                    }
                    None => {
                        // A new map is written in its type's order (`src` before `alt`).
                        let style = emit::Style {
                            keys: (schema::map_keys(path, key).into_iter())
                                .map(|k| (k, emit::Style::default()))
                                .collect(),
                            ..emit::Style::default()
                        };
                        let new = emit::value(value, &style).ok_or_else(|| {
                            Problem::new(Some(key), "this value has a shape the form cannot write")
                        })?;
                        added.push_str(&format!("{key}:{new}{newline}").replace('\n', newline));
                    }
                }
            }
            Change::Remove { key } => {
                if let Some((_, r)) = found.iter().find(|(k, _)| k == key) {
                    let block = yaml.start + r.start..yaml.start + r.end;
                    let end = content_end(text, block.clone());
                    // The block's lines, through the line break after its last one.
                    let end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
                    edits.push((block.start..end.min(block.end), String::new()));
                }
            }
            Change::Whole { .. } | Change::Rows { .. } => {}
            Change::Body { text: body } => {
                edits.push((
                    split.body.clone(),
                    body.replace("\r\n", "\n").replace('\n', newline),
                ));
            }
        }
    }
    if !added.is_empty() {
        // After the last key's text (its trailing blank lines stay below the new keys).
        let at = found
            .last()
            .map(|(_, r)| {
                let end = content_end(text, yaml.start + r.start..yaml.start + r.end);
                text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
            })
            .unwrap_or(yaml.start);
        let at = at.min(yaml.end);
        // A front matter whose last line has no line break.
        if at > 0 && !text[..at].ends_with('\n') {
            added.insert_str(0, newline);
        }
        edits.push((at..at, added));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r, &new);
    }
    let arc: Arc<str> = Arc::from(out.as_str());
    let split = frontmatter::split(path, &arc).map_err(|d| Problem::new(None, d.message))?;
    let yaml = &out[split.yaml];
    if !yaml.trim().is_empty() {
        serde_yaml::from_str::<serde_yaml::Mapping>(yaml).map_err(|e| {
            Problem::new(
                None,
                format!("the change would make the front matter unreadable ({e})"),
            )
        })?;
    }
    Ok(out)
}

/// Where a problem at byte `pos` of a content file is, for the form: the front-matter key
/// whose lines hold it, or the line of the body (counted in the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    Key(String),
    Body(usize),
    File,
}

pub fn place_of(path: &str, text: &str, pos: usize) -> Place {
    let arc: Arc<str> = Arc::from(text);
    let Ok(split) = frontmatter::split(path, &arc) else {
        return Place::File;
    };
    let line = || text[..pos.min(text.len())].matches('\n').count() + 1;
    if split.yaml.contains(&pos) {
        let at = pos - split.yaml.start;
        return match blocks(&text[split.yaml.clone()])
            .into_iter()
            .find(|(_, r)| r.contains(&at))
        {
            Some((k, _)) => Place::Key(k.to_string()),
            None => Place::File,
        };
    }
    if pos >= split.body.start && pos <= text.len() {
        return Place::Body(line());
    }
    Place::File
}

/// A key the form may add: the characters of rally's keys, so that it needs no quoting.
pub(crate) fn check_key(key: &str) -> Result<(), Problem> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Problem::new(
            Some(key),
            "a key is lowercase letters, digits, `_` and `-`",
        ))
    }
}

/// Where the last non-blank line of a block ends (before its line break).
pub(crate) fn content_end(text: &str, block: Range<usize>) -> usize {
    let b = &text[block.clone()];
    block.start + b.trim_end_matches([' ', '\t', '\r', '\n']).len()
}

/// The text of a key's value inside its block: after `key:`, to the end of its last
/// non-blank line, without a comment that follows a one-line value.
pub(crate) fn value_span(text: &str, block: Range<usize>) -> Range<usize> {
    let b = &text[block.clone()];
    let start = block.start + b.find(':').map_or(b.len(), |i| i + 1);
    let end = content_end(text, block);
    let end = end.max(start);
    let value = &text[start..end];
    if value.contains('\n') {
        return start..end;
    }
    match comment_start(value) {
        Some(i) => start..start + value[..i].trim_end().len(),
        None => start..end,
    }
}

/// Where a `#` comment starts on a one-line value: after white space, outside quotes.
fn comment_start(value: &str) -> Option<usize> {
    let (mut double, mut single, mut escaped, mut prev_space) = (false, false, false, true);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if double => escaped = true,
            '"' if !single => double = !double,
            '\'' if !double => single = !single,
            '#' if !double && !single && prev_space => return Some(i),
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STORY: &str = "---\ntitle: \"Old title\" # keep this note\ndate: 2024-05-01\ntags:\n  - detention\n  - courts\n\nsummary: Plain words\n---\n\nBody text.\n";

    fn set(key: &str, value: Value) -> Change {
        Change::Set {
            key: key.into(),
            value,
        }
    }

    #[test]
    fn a_set_changes_only_that_value() {
        let out = apply("s.md", STORY, &[set("title", json!("New title"))]).unwrap();
        assert_eq!(
            out,
            STORY.replace("\"Old title\"", "\"New title\""),
            "the quotes and the comment are kept"
        );
        let out = apply("s.md", STORY, &[set("tags", json!(["a", "b c"]))]).unwrap();
        assert_eq!(
            out,
            STORY.replace("  - detention\n  - courts", "  - a\n  - b c")
        );
        let out = apply("s.md", STORY, &[set("summary", json!("It's: new"))]).unwrap();
        assert_eq!(out, STORY.replace("Plain words", "\"It's: new\""));
    }

    #[test]
    fn keys_are_added_and_removed_and_the_body_replaced() {
        let out = apply(
            "s.md",
            STORY,
            &[
                set("author", json!("Ana")),
                Change::Remove { key: "tags".into() },
                Change::Body {
                    text: "\nNew body.\n".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "---\ntitle: \"Old title\" # keep this note\ndate: 2024-05-01\n\nsummary: Plain words\nauthor: Ana\n---\n\nNew body.\n"
        );
        // A new map in its type's order.
        let image = json!({"alt": "A child's drawing", "src": "d.png"});
        let out = apply("content/stories/s.md", STORY, &[set("image", image)]).unwrap();
        assert!(
            out.contains(
                "summary: Plain words\nimage:\n  src: d.png\n  alt: A child's drawing\n---"
            ),
            "{out}"
        );
    }

    #[test]
    fn windows_line_ends_are_kept() {
        let crlf = STORY.replace('\n', "\r\n");
        let out = apply("s.md", &crlf, &[set("tags", json!(["x", "y"]))]).unwrap();
        assert_eq!(
            out,
            crlf.replace("  - detention\r\n  - courts", "  - x\r\n  - y")
        );
    }

    #[test]
    fn hostile_keys_and_values_cannot_break_the_file() {
        for key in ["a: b", "x\n---", "", "Title", "k\"", &"k".repeat(65)] {
            assert!(
                apply("s.md", STORY, &[set(key, json!("v"))]).is_err(),
                "{key:?}"
            );
        }
        for v in [
            json!("---\nbody: injected"),
            json!("\"quoted\""),
            json!("a # b"),
            json!("\u{0}"),
            json!("x\n---\n"),
        ] {
            let out = apply("s.md", STORY, &[set("summary", v.clone())]).unwrap();
            let opened = open("s.md", &out).unwrap();
            let summary = opened.fields.iter().find(|f| f.key == "summary").unwrap();
            assert_eq!(summary.value, v, "{out}");
            assert_eq!(opened.body, "\nBody text.\n");
        }
    }

    #[test]
    fn problems_are_placed_at_their_key_or_body_line() {
        let at = |needle: &str| STORY.find(needle).unwrap();
        assert_eq!(
            place_of("s.md", STORY, at("Old title")),
            Place::Key("title".into())
        );
        assert_eq!(
            place_of("s.md", STORY, at("courts")),
            Place::Key("tags".into())
        );
        assert_eq!(place_of("s.md", STORY, at("Body text")), Place::Body(11));
        assert_eq!(place_of("s.md", STORY, 0), Place::File);
    }

    #[test]
    fn opening_lists_fields_in_order() {
        let o = open("s.md", STORY).unwrap();
        let keys: Vec<&str> = o.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "tags", "summary"]);
        assert_eq!(o.fields[2].value, json!(["detention", "courts"]));
        assert_eq!(o.version, version(STORY));
    }
}
