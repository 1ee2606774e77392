//! JSON as rally writes it: serde_json's text, with the escapes a page or a feed needs on
//! top. One escaper for the `json` and `json_ld` filters, the structured data and the open
//! data, so that they cannot drift apart.
//!
//! serde_json already escapes `"`, `\` and the C0 controls. It leaves U+2028 and U+2029
//! (which old JavaScript refused in strings), the characters no page or feed may hold
//! ([`crate::chars::is_forbidden`]: DEL, the C1 controls, noncharacters) and, in a
//! `<script>` element, `<`, `>` and `&` (a title holding `</script>` would end the element).
//! [`Escaping`] adds those as `\u` escapes; the JSON means the same.

use std::io;

use serde::{Serialize, Serializer as _};
use serde_json::ser::{Formatter, Serializer};

/// Where the JSON is going.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    /// A file of its own (a JSON Feed, open data): HTML inside strings stays as it is.
    File,
    /// A `<script>` element (JSON-LD): `<`, `>` and `&` are escaped too.
    Script,
}

/// serde_json's compact output, with [`Place`]'s escapes added to each run of a string that
/// serde_json leaves as it is.
struct Escaping(Place);

impl Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Only `<`, `>`, `&` and the bytes of DEL and non-ASCII characters can need a look;
        // most text has none, and is copied in one piece.
        let script = self.0 == Place::Script;
        let look = |b: &u8| *b >= 0x7f || (script && matches!(b, b'<' | b'>' | b'&'));
        let bytes = fragment.as_bytes();
        let (mut start, mut at) = (0, 0);
        while let Some(skip) = bytes[at..].iter().position(look) {
            let i = at + skip;
            let Some(c) = fragment[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            if matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}')
                || crate::chars::is_forbidden(c)
            {
                w.write_all(&bytes[start..i])?;
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + len;
            }
            at = i + len;
        }
        w.write_all(&bytes[start..])
    }
}

/// A value as JSON text for `place`.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T, place: Place) -> String {
    let mut out = Vec::with_capacity(128);
    // Writing into a Vec fails only for a value that is no JSON (a map with non-string
    // keys), which rally's values are not; `null` then stands for it.
    if value
        .serialize(&mut Serializer::with_formatter(&mut out, Escaping(place)))
        .is_err()
    {
        return "null".into();
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
        let mut ser = Serializer::with_formatter(&mut self.out, Escaping(self.place));
        // Into a Vec: cannot fail.
        let _ = (&mut ser).serialize_str(s);
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
        let v = serde_json::json!({"@type": "NewsArticle", "headline": NASTY});
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
        let v = serde_json::json!({"content_html": "<p>a &amp; b</p>\u{fffe}\u{2028}"});
        assert_eq!(
            to_string(&v, Place::File),
            r#"{"content_html":"<p>a &amp; b</p>\ufffe\u2028"}"#
        );
        let out = to_string(NASTY, Place::File);
        for bad in NEVER {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        assert_eq!(serde_json::from_str::<String>(&out).expect("JSON"), NASTY);
    }

    #[test]
    fn plain_text_in_any_script_is_copied() {
        let plain = "Détention, احتجاز, 移民";
        for place in [Place::File, Place::Script] {
            assert_eq!(to_string(plain, place), format!("\"{plain}\""));
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
}
