//! JSON as rally writes it: one writer for the `json` and `json_ld` filters, the structured
//! data and the open data, so that their escapes cannot drift apart.
//!
//! Besides JSON's own escapes (`"`, `\`, the C0 controls), strings get U+2028 and U+2029
//! (which old JavaScript refused in strings), the characters no page or feed may hold
//! ([`crate::chars::is_forbidden`]: DEL, the C1 controls, noncharacters) and, in a
//! `<script>` element, `<`, `>` and `&` (a title holding `</script>` would end the element)
//! as `\u` escapes; the JSON means the same. Strings are written in runs, one look per byte
//! from a table: a JSON Feed is mostly its stories' HTML, and serde_json's escaping with a
//! second pass for these characters cost three times as much.

use tera::Value;

/// Where the JSON is going.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    /// A file of its own (a JSON Feed, open data): HTML inside strings stays as it is.
    File,
    /// A `<script>` element (JSON-LD): `<`, `>` and `&` are escaped too.
    Script,
}

/// Per byte, whether it needs a look: ASCII to escape, or the first byte of a character
/// that may be one (U+0080–U+00BF, U+2000–U+2FFF, U+F000–U+FFFF, and the planes above).
/// Other bytes, the rest of Arabic or accented text among them, are copied as they are.
const fn looks(script: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c < 0x20
            || c == b'"'
            || c == b'\\'
            || c == 0x7f
            || c == 0xc2
            || c == 0xe2
            || c == 0xef
            || (c >= 0xf0 && c <= 0xf4)
            || (script && (c == b'<' || c == b'>' || c == b'&'));
        b += 1;
    }
    t
}

static LOOK_FILE: [bool; 256] = looks(false);
static LOOK_SCRIPT: [bool; 256] = looks(true);

/// `s` as a JSON string (quotes included) for `place`, after what `out` holds.
fn write_string(out: &mut Vec<u8>, s: &str, place: Place) {
    let look = match place {
        Place::File => &LOOK_FILE,
        Place::Script => &LOOK_SCRIPT,
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if !look[usize::from(b)] {
            i += 1;
            continue;
        }
        if b < 0x80 {
            out.extend_from_slice(&bytes[start..i]);
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                _ => unicode_escape(out, u16::from(b)),
            }
            i += 1;
            start = i;
            continue;
        }
        // The first byte of a character (the table marks no continuation byte).
        let c = s.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
        if matches!(c, '\u{2028}' | '\u{2029}') || crate::chars::is_forbidden(c) {
            out.extend_from_slice(&bytes[start..i]);
            for unit in c.encode_utf16(&mut [0; 2]) {
                unicode_escape(out, *unit);
            }
            i += c.len_utf8();
            start = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `\u00e9`: lowercase, as serde_json writes it.
fn unicode_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)]);
    }
}

/// A template value as JSON text for `place`.
pub(crate) fn to_string(value: &Value, place: Place) -> String {
    let mut j = Writer::new(Vec::with_capacity(128), place);
    j.value(value);
    j.into_string()
}

/// JSON written piece by piece into bytes, each string escaped for its [`Place`] as it is
/// written: for what rally builds itself, with no `serde_json::Value` in between.
pub(crate) struct Writer {
    out: Vec<u8>,
    place: Place,
}

impl Writer {
    /// Writes after what `out` holds (a page buffer, reused).
    pub(crate) fn new(out: Vec<u8>, place: Place) -> Writer {
        Writer { out, place }
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    pub(crate) fn into_string(self) -> String {
        // Only strings and rally's own ASCII are written: always UTF-8.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// JSON syntax, as it is.
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `,"k":`: every key is written with a comma before it, so an object starts with a key
    /// written by hand (`{"@type":…` or `{"id":…`).
    pub(crate) fn key(&mut self, k: &str) {
        self.raw(",\"");
        self.raw(k);
        self.raw("\":");
    }

    pub(crate) fn string(&mut self, s: &str) {
        write_string(&mut self.out, s, self.place);
    }

    pub(crate) fn field(&mut self, k: &str, v: &str) {
        self.key(k);
        self.string(v);
    }

    /// A string or `null`.
    pub(crate) fn nullable(&mut self, k: &str, v: Option<&str>) {
        self.key(k);
        match v {
            Some(v) => self.string(v),
            None => self.raw("null"),
        }
    }

    /// A field written only when it has a value (JSON-LD readers take a missing key and a
    /// `null` alike; a missing one is shorter).
    pub(crate) fn opt(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.field(k, v);
        }
    }

    pub(crate) fn number(&mut self, n: i64) {
        use std::io::Write;
        let _ = write!(self.out, "{n}");
    }

    /// A list of strings.
    pub(crate) fn strings<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) {
        self.raw("[");
        for (i, s) in items.into_iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.string(s);
        }
        self.raw("]");
    }

    /// A template value: maps, lists and strings here; numbers, booleans and bytes as
    /// serde_json writes them; none and undefined as `null`.
    pub(crate) fn value(&mut self, v: &Value) {
        if let Some(s) = v.as_str() {
            self.string(s);
        } else if let Some(map) = v.as_map() {
            self.raw("{");
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    self.raw(",");
                }
                match k.as_str() {
                    Some(k) => self.string(k),
                    None => self.string(&k.to_string()),
                }
                self.raw(":");
                self.value(v);
            }
            self.raw("}");
        } else if let Some(items) = v.as_array() {
            self.raw("[");
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    self.raw(",");
                }
                self.value(v);
            }
            self.raw("]");
        } else if v.is_none() || v.is_undefined() {
            self.raw("null");
        } else {
            let at = self.out.len();
            if serde_json::to_writer(&mut self.out, v).is_err() {
                self.out.truncate(at);
                self.raw("null");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "Breaking </script><script>alert(1)</script> <!-- & \"q\" \\ \n\t\u{1}\u{b} \u{2028}\u{2029} ]]> é \u{fffe} \u{7f} \u{85} ب \u{1fffe}";

    /// What no page or feed may hold, in any place.
    const NEVER: [&str; 8] = [
        "\u{2028}",
        "\u{2029}",
        "\u{fffe}",
        "\u{7f}",
        "\u{85}",
        "\u{1fffe}",
        "\u{1}",
        "\u{b}",
    ];

    #[test]
    fn in_a_script_no_value_can_end_the_element() {
        let v = Value::from_serializable(
            &serde_json::json!({"@type": "NewsArticle", "headline": NASTY}),
        );
        let mut w = Writer::new(Vec::new(), Place::Script);
        w.string(NASTY);
        for out in [to_string(&v, Place::Script), w.into_string()] {
            for bad in NEVER.iter().chain(&["<", ">", "&"]) {
                assert!(!out.contains(bad), "{bad:?} in {out}");
            }
            let back: serde_json::Value = serde_json::from_str(&out).expect("JSON");
            assert_eq!(back.get("headline").unwrap_or(&back), NASTY);
        }
    }

    #[test]
    fn in_a_file_html_stays_and_what_no_file_may_hold_is_escaped() {
        let v = Value::from_serializable(
            &serde_json::json!({"content_html": "<p>a &amp; b</p>\u{fffe}\u{2028}"}),
        );
        assert_eq!(
            to_string(&v, Place::File),
            r#"{"content_html":"<p>a &amp; b</p>\ufffe\u2028"}"#
        );
        let out = to_string(&Value::from(NASTY), Place::File);
        for bad in NEVER {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        assert_eq!(serde_json::from_str::<String>(&out).expect("JSON"), NASTY);
    }

    #[test]
    fn plain_text_in_any_script_is_copied() {
        let plain = "Détention, احتجاز, 移民";
        for place in [Place::File, Place::Script] {
            assert_eq!(
                to_string(&Value::from(plain), place),
                format!("\"{plain}\"")
            );
        }
    }

    #[test]
    fn the_writer_makes_json() {
        let mut w = Writer::new(b"x".to_vec(), Place::File);
        w.raw("{\"id\":");
        w.string("a");
        w.nullable("author", None);
        w.nullable("title", Some("T"));
        w.opt("missing", None);
        w.key("n");
        w.number(-2014);
        w.key("tags");
        w.strings(["crc", "a\"b"]);
        w.raw("}");
        assert_eq!(
            w.into_string(),
            r#"x{"id":"a","author":null,"title":"T","n":-2014,"tags":["crc","a\"b"]}"#
        );
    }

    #[test]
    fn every_character_comes_back_and_none_that_a_page_may_not_hold_is_written() {
        let all: Vec<char> = (0..=0x10ffff_u32).filter_map(char::from_u32).collect();
        for chunk in all.chunks(4096) {
            let text: String = chunk.iter().collect();
            for place in [Place::File, Place::Script] {
                let out = to_string(&Value::from(text.as_str()), place);
                let bad = out.chars().find(|&c| {
                    crate::chars::is_forbidden(c)
                        || c < ' '
                        || matches!(c, '\u{2028}' | '\u{2029}')
                        || (place == Place::Script && matches!(c, '<' | '>' | '&'))
                });
                assert_eq!(bad, None, "{place:?}");
                let back: String = serde_json::from_str(&out).expect("JSON");
                assert_eq!(back, text);
            }
        }
    }

    #[test]
    fn values_of_every_kind_are_json() {
        let v = Value::from_serializable(&serde_json::json!({
            "n": 2014, "neg": -3, "f": 1.5, "yes": true, "none": null,
            "list": [1, "two", [3], {"four": 4}]
        }));
        let back: serde_json::Value =
            serde_json::from_str(&to_string(&v, Place::File)).expect("JSON");
        assert_eq!(
            back,
            serde_json::json!({"n": 2014, "neg": -3, "f": 1.5, "yes": true, "none": null,
                "list": [1, "two", [3], {"four": 4}]})
        );
        assert_eq!(to_string(&Value::undefined(), Place::File), "null");
    }
}
