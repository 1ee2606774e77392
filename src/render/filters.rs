//! rally's filters (`date`, `markdown`, `urlencode`, `json_ld`, `json`, `absolute_urls`,
//! `escape_xml`) and its HTML escaping, on every engine.

use tera::{Kwargs, State, Tera, Value};

use super::json::Place;
use crate::date::{DateStyle, PartialDate};
use crate::markdown;

pub(super) fn register_helpers(tera: &mut Tera) {
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("date", date_filter);
    tera.register_filter("markdown", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&markdown::render_inline(s))
    });
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| urlencode(s));
    tera.register_filter("json_ld", |v: Value, _: Kwargs, _: &State| {
        Value::safe_string(&json_ld(&v))
    });
    tera.register_filter("json", |v: Value, _: Kwargs, _: &State| {
        Value::safe_string(&json(&v))
    });
    tera.register_filter("csv", |rows: Value, _: Kwargs, _: &State| {
        Value::safe_string(&csv(&rows))
    });
    // Replaces Tera's own, which keeps characters XML 1.0 forbids: one of them in a title
    // would make a whole feed unreadable.
    tera.register_filter("escape_xml", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&escape_xml(s))
    });
    tera.register_filter("absolute_urls", |s: &str, kwargs: Kwargs, _: &State| {
        let base: &str = kwargs.get("base")?.unwrap_or("");
        Ok::<Value, tera::Error>(Value::safe_string(&absolute_urls(s, base)))
    });
}

/// Text for an XML element or attribute: `&`, `<`, `>`, `"` and `'` as entities, and each
/// character no feed may hold ([`crate::chars::is_forbidden`]: the C0 controls other than
/// tab and line breaks, U+FFFE, U+FFFF...) as U+FFFD, so that no value can make a feed
/// ill-formed. Content files are refused when they hold one, but a YAML escape (`"\x01"`)
/// or site.yaml can still bring one in. `]]>` needs nothing more: its `>` is escaped.
pub(crate) fn escape_xml(text: &str) -> String {
    // Most text has no forbidden character (content files with one are refused): it is
    // escaped in runs, as pages are (`'` becomes `&#39;`, as well-formed in XML).
    if crate::chars::first_forbidden(text, 0).is_none() {
        let mut out = Vec::with_capacity(text.len() + text.len() / 8);
        let _ = escape_html(text, &mut out);
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let with: &str = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            c if crate::chars::is_forbidden(c) => "\u{fffd}",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(with);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
    out
}

/// A CSV writer as rally's CSV files are written: RFC 4180, CRLF line ends, rows of any
/// length.
pub(super) fn csv_writer(out: Vec<u8>) -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .flexible(true)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out)
}

/// A cell as a spreadsheet may open it: with a `'` in front when it would start a formula.
pub(super) fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Rows (a list of lists) as CSV text, quoted where a cell needs it. A cell that a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
/// written with a `'` in front, so opening the file never runs anything (OWASP's advice on
/// CSV injection).
pub(crate) fn csv(rows: &Value) -> String {
    let mut w = csv_writer(Vec::new());
    let json = serde_json::to_value(rows).unwrap_or_default();
    for row in json.as_array().into_iter().flatten() {
        let cells: Vec<String> = row
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| match c {
                serde_json::Value::String(s) => safe_cell(s).into_owned(),
                serde_json::Value::Null => String::new(),
                other => safe_cell(&other.to_string()).into_owned(),
            })
            .collect();
        let _ = w.write_record(&cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// HTML whose site addresses (`href="/…"`, `src`, `poster` and each `srcset` candidate) are
/// made absolute with the scheme and host of `base` (`https://example.org/campaign/`): for
/// feeds read far from the site, which have no `<base>`. Addresses that are absolute, `//`
/// or relative are left as they are.
pub(crate) fn absolute_urls(html: &str, base: &str) -> String {
    let origin = match base.find("://") {
        Some(i) => match base[i + 3..].find('/') {
            Some(j) => &base[..i + 3 + j],
            None => base,
        },
        None => return html.to_string(),
    };
    let absolute = |v: &str, out: &mut String| {
        if v.starts_with('/') && !v.starts_with("//") {
            out.push_str(origin);
        }
        out.push_str(v);
    };
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    // One pass over the attribute values (`="`), keeping those of the four attributes: a
    // search per attribute from each match on was quadratic in a story's links.
    for at in memchr::memmem::find_iter(html.as_bytes(), "=\"") {
        if at < done {
            continue;
        }
        let before = &html[..at];
        let Some(attr) = [" href", " src", " poster", " srcset"]
            .into_iter()
            .find(|a| before.ends_with(a))
        else {
            continue;
        };
        let start = at + 2;
        let end = html[start..].find('"').map_or(html.len(), |e| start + e);
        out.push_str(&html[done..start]);
        let value = &html[start..end];
        if attr == " srcset" {
            for (k, c) in value.split(", ").enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                absolute(c.trim_start(), &mut out);
            }
        } else {
            absolute(value, &mut out);
        }
        done = end;
    }
    out.push_str(&html[done..]);
    out
}

/// A value as JSON for a `<script type="application/ld+json">` element, so no value (a title
/// holding `</script>` or `<!--`) can end the element or change how it is read (see
/// [`super::json`]).
pub(crate) fn json_ld(v: &Value) -> String {
    super::json::to_string(v, Place::Script)
}

/// A value as the JSON of a file of its own (a JSON Feed): as [`json_ld`] without the
/// escapes only a `<script>` element needs, so the HTML of a feed's `content_html` is
/// written as it is (a third of the cost of a JSON Feed went to escaping its `<`).
pub(crate) fn json(v: &Value) -> String {
    super::json::to_string(v, Place::File)
}

/// Tera's own escaping, written in runs: its default makes one `write_all` call per byte,
/// which was a fifth of the time spent rendering pages. Eight bytes at a time are checked
/// for the five special characters at once, also between them: HTML in a feed has one
/// every few words.
pub(super) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `x` equal to `b` (no false positives when none is).
    let has = |x: u64, b: u8| {
        let y = x ^ (ONES * u64::from(b));
        y.wrapping_sub(ONES) & !y & HIGH
    };
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let bytes = input.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // The next special byte: eight bytes at a time, then one by one for the last few.
        let at = if i + 8 <= bytes.len() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&bytes[i..i + 8]);
            let x = u64::from_le_bytes(chunk);
            let found = has(x, b'&') | has(x, b'<') | has(x, b'>') | has(x, b'"') | has(x, b'\'');
            if found == 0 {
                i += 8;
                continue;
            }
            // The lowest flagged byte is always a real match.
            i + (found.trailing_zeros() / 8) as usize
        } else {
            match bytes[i..].iter().position(special) {
                Some(p) => i + p,
                None => break,
            }
        };
        let entity: &[u8] = match bytes[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        };
        out.write_all(&bytes[start..at])?;
        out.write_all(entity)?;
        start = at + 1;
        i = at + 1;
    }
    out.write_all(&bytes[start..])
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for URL query values.
pub(crate) fn urlencode(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const QUERY: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, QUERY).to_string()
}

/// `{{ page.date | date }}` → `19 September 2016`, in the language of the page (`lang.code`;
/// English where there is none, as in a component); `date(style="medium")` or `"full"`;
/// `date(format="%Y")` uses strftime.
fn date_filter(v: &str, kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
    let d = PartialDate::parse(v).map_err(tera::Error::message)?;
    let format: Option<&str> = kwargs.get("format")?;
    let style = match kwargs.get::<&str>("style")? {
        None => DateStyle::Long,
        Some(name) => DateStyle::parse(name).ok_or_else(|| {
            tera::Error::message(format!(
                "date: there is no style `{name}`: use \"long\", \"medium\" or \"full\""
            ))
        })?,
    };
    match (format, d.month, d.day) {
        (Some(f), Some(m), Some(day)) => {
            let date = jiff::civil::Date::new(d.year, m, day)
                .map_err(|e| tera::Error::message(e.to_string()))?;
            Ok(date.strftime(f).to_string())
        }
        _ => {
            let lang = state.get::<Value>("lang").ok().flatten();
            let code = lang
                .as_ref()
                .and_then(|l| l.get_from_path("code"))
                .and_then(Value::as_str)
                .unwrap_or("en");
            Ok(d.format(code, style))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_writes_what_teras_default_writes() {
        for input in [r#"a&b<c>d"e'f — g"#, "<<", "", "plain", "&", "tail>"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "{input}");
        }
        let mut out = Vec::new();
        super::escape_html("x<y", &mut out).unwrap();
        assert_eq!(out, b"x&lt;y");
        // Special characters at every position of texts longer than the 8-byte chunks.
        for len in 0..40 {
            for at in 0..len {
                for special in ['&', '<', '>', '"', '\''] {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'é' })
                        .collect();
                    let (mut ours, mut teras) = (Vec::new(), Vec::new());
                    super::escape_html(&text, &mut ours).unwrap();
                    tera::escape_html(&text, &mut teras).unwrap();
                    assert_eq!(ours, teras, "{text}");
                }
            }
        }
        // Many special characters, next to each other and apart, as in HTML.
        let alphabet = ['a', '&', '<', '>', '"', '\'', 'é', ' '];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|k| alphabet[((seed >> (k % 21 * 3)) & 7) as usize])
                .collect();
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(&text, &mut ours).unwrap();
            tera::escape_html(&text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text}");
        }
    }

    #[test]
    fn escape_xml_gives_well_formed_text() {
        assert_eq!(
            escape_xml(r#"a&b<c>d"e'f ]]> é"#),
            "a&amp;b&lt;c&gt;d&quot;e&#39;f ]]&gt; é"
        );
        // Tab and line breaks stay; other controls, U+FFFE and U+FFFF do not.
        assert_eq!(escape_xml("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(
            escape_xml("x\u{0}y\u{1}\u{b}\u{1f}z\u{fffe}\u{ffff}"),
            "x\u{fffd}y\u{fffd}\u{fffd}\u{fffd}z\u{fffd}\u{fffd}"
        );
        assert_eq!(escape_xml(""), "");
        assert_eq!(escape_xml("plain"), "plain");
    }

    #[test]
    fn urlencode_keeps_only_unreserved() {
        assert_eq!(urlencode("a b&c/é?"), "a%20b%26c%2F%C3%A9%3F");
        assert_eq!(urlencode("x-y_z.~"), "x-y_z.~");
    }
}

#[cfg(test)]
mod csv_and_url_tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        let rows = Value::from_serializable(&serde_json::json!([
            ["id", "name", "joined"],
            ["a", "=HYPERLINK(\"http://x\",\"y\")", 2014],
            ["b", "+1, \"quoted\"\nline", null],
            ["c", "-5", "@SUM(A1)"],
            ["d", "\tTab", "plain"]
        ]));
        let text = csv(&rows);
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let read: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(read[0], ["id", "name", "joined"]);
        assert_eq!(read[1], ["a", "'=HYPERLINK(\"http://x\",\"y\")", "2014"]);
        assert_eq!(read[2], ["b", "'+1, \"quoted\"\nline", ""]);
        assert_eq!(read[3], ["c", "'-5", "'@SUM(A1)"]);
        assert_eq!(read[4], ["d", "'\tTab", "plain"]);
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn site_addresses_become_absolute_and_others_stay() {
        let html = r##"<a href="/campaign/stories/x/">x</a> <a href="https://un.org/">un</a> <a href="//cdn/x">c</a> <a href="notes/">n</a> <img src="/campaign/p.webp" srcset="/campaign/p-480w.webp 480w, /campaign/p-960w.webp 960w"> <a href="#top">t</a>"##;
        let out = absolute_urls(html, "https://example.org/campaign/");
        assert_eq!(
            out,
            r##"<a href="https://example.org/campaign/stories/x/">x</a> <a href="https://un.org/">un</a> <a href="//cdn/x">c</a> <a href="notes/">n</a> <img src="https://example.org/campaign/p.webp" srcset="https://example.org/campaign/p-480w.webp 480w, https://example.org/campaign/p-960w.webp 960w"> <a href="#top">t</a>"##
        );
        // An attribute left open at the end, and a base without a scheme: nothing panics.
        assert_eq!(
            absolute_urls(" href=\"/x", "https://e.org/"),
            " href=\"https://e.org/x"
        );
        assert_eq!(
            absolute_urls("<a href=\"/x\">", "no-scheme"),
            "<a href=\"/x\">"
        );
    }
}
