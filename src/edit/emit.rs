//! A form's value written as YAML, in the style the file already used for that key (quoted
//! or plain, a block list or a flow list), so that a save changes no more than it must.

use serde_json::Value;

/// How the old value was written, read from its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Style {
    /// `"…"` (else `'…'` when `single`, else plain where that reads back the same).
    pub double: bool,
    pub single: bool,
    /// A list or map written on the lines below the key, with this indentation.
    pub block_indent: Option<usize>,
    /// A block map's keys in their order, each with its own style.
    pub keys: Vec<(String, Style)>,
}

impl Style {
    /// The style of a value's text (what follows `key:`, up to the end of its block).
    pub fn of(value: &str) -> Style {
        let first = value.trim_start_matches([' ', '\t']);
        let mut style = Style {
            double: first.starts_with('"'),
            single: first.starts_with('\''),
            ..Style::default()
        };
        if first.starts_with(['\n', '\r', '#']) || first.is_empty() {
            style.block_indent = value
                .lines()
                .skip(1)
                .find(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches(' ').len())
                .filter(|&n| n > 0);
            if let Some(n) = style.block_indent {
                // `key: value` lines at the block's indentation.
                for line in value.lines().skip(1) {
                    let rest = line.get(n..).unwrap_or("");
                    if line.len() - line.trim_start_matches(' ').len() != n || rest.starts_with('-')
                    {
                        continue;
                    }
                    if let Some((k, v)) = rest.split_once(':') {
                        let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
                        style.keys.push((k.to_string(), Style::of(v)));
                    }
                }
            }
        }
        style
    }
}

/// `value` as the YAML text that follows `key:` (with its leading space or line break).
/// `None` when the value cannot be written (a nested list of maps is left to the text
/// editor of the file).
pub fn value(v: &Value, style: &Style) -> Option<String> {
    match v {
        Value::Array(items) => {
            let scalars: Option<Vec<String>> =
                items.iter().map(|i| scalar(i, &Style::default())).collect();
            match (style.block_indent, scalars) {
                (Some(n), Some(s)) if !s.is_empty() => {
                    let pad = " ".repeat(n);
                    Some(s.iter().map(|i| format!("\n{pad}- {i}")).collect())
                }
                (_, Some(s)) => Some(format!(" [{}]", s.join(", "))),
                (_, None) => None,
            }
        }
        Value::Object(map) => {
            let n = style.block_indent.unwrap_or(2);
            let pad = " ".repeat(n);
            let mut out = String::new();
            // The keys written before in their order and style, then the new ones.
            let old = style.keys.iter().filter(|(k, _)| map.contains_key(k));
            let new = (map.keys())
                .filter(|k| !style.keys.iter().any(|(o, _)| o == *k))
                .map(|k| (k.clone(), Style::default()));
            for (k, st) in old.cloned().chain(new) {
                let item = map.get(&k)?;
                let key = scalar(&Value::String(k), &Style::default())?;
                let item = scalar(item, &st)?;
                out.push_str(&format!("\n{pad}{key}: {item}"));
            }
            Some(if out.is_empty() { " {}".into() } else { out })
        }
        other => scalar(other, style).map(|s| format!(" {s}")),
    }
}

/// A scalar as YAML: plain when that reads back as the same string (and the old text was
/// not quoted), else double-quoted with JSON's escapes (valid YAML), or single-quoted if the
/// old text was.
fn scalar(v: &Value, style: &Style) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(if style.single && !s.contains(['\n', '\r']) {
            format!("'{}'", s.replace('\'', "''"))
        } else if !style.double && reads_back_plain(s) {
            s.clone()
        } else {
            serde_json::to_string(s).ok()?
        }),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Whether `s` written without quotes is read back by YAML as the same string.
fn reads_back_plain(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.contains(['\n', '\r', '#', ':', '[', ']', '{', '}', ','])
    {
        return false;
    }
    matches!(
        serde_yaml::from_str::<serde_yaml::Value>(s),
        Ok(serde_yaml::Value::String(back)) if back == s
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> serde_yaml::Value {
        serde_yaml::from_str(&format!("k:{text}\n")).unwrap()
    }

    #[test]
    fn values_read_back_as_written() {
        for v in [
            json!("plain words"),
            json!("yes"),
            json!("123"),
            json!("2024-05-01"),
            json!("a: b"),
            json!("# not a comment"),
            json!("quote \" and 'single'"),
            json!("line\nbreak"),
            json!(" padded "),
            json!("عربي"),
            json!(""),
            json!(true),
            json!(3),
            json!(["a", "b c", "d: e"]),
            json!([]),
            json!({"src": "x.jpg", "alt": "A child's drawing"}),
        ] {
            for style in [
                Style::default(),
                Style::of(" \"x\""),
                Style::of(" 'x'"),
                Style::of("\n  - a\n"),
                Style::of("\n  src: a\n  alt: \"b\""),
            ] {
                let Some(text) = value(&v, &style) else {
                    continue;
                };
                let back: serde_json::Value =
                    serde_json::to_value(read(&text).get("k").unwrap()).unwrap();
                assert_eq!(back, v, "{v} in {style:?} as {text:?}");
            }
        }
    }

    #[test]
    fn the_old_style_is_kept() {
        assert_eq!(
            value(&json!("New"), &Style::of(" \"Old\"")).unwrap(),
            " \"New\""
        );
        assert_eq!(
            value(&json!("It's"), &Style::of(" 'Old'")).unwrap(),
            " 'It''s'"
        );
        assert_eq!(value(&json!("New"), &Style::of(" Old")).unwrap(), " New");
        assert_eq!(
            value(&json!(["a", "b"]), &Style::of("\n    - x\n")).unwrap(),
            "\n    - a\n    - b"
        );
        assert_eq!(
            value(&json!(["a", "b"]), &Style::of(" [x]")).unwrap(),
            " [a, b]"
        );
        // A map keeps its keys' order and each key's quotes.
        assert_eq!(
            value(
                &json!({"alt": "New words", "src": "p.jpg"}),
                &Style::of("\n  src: x.jpg\n  alt: \"Old\"")
            )
            .unwrap(),
            "\n  src: p.jpg\n  alt: \"New words\""
        );
    }
}
