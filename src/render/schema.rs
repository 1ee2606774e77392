//! Structured data: each page's schema.org JSON-LD, for search engines.
//!
//! Built here from the page's own value rather than in `base.html`: written in the template
//! with map literals and spreads it cost 17 µs a page. It is written straight into a string
//! (through `serde_json::Value`, a map per node and a string per field, it still cost 10 µs a
//! story page), escaped as it is written so that no value can end the `<script>` element.
//! Templates print `structured_data`.

use tera::Value;

use super::ui::Titles;
use crate::link::Site;

/// The kinds of resolution that are legal texts (`Legislation`); the others (reports,
/// guidelines) are `CreativeWork`.
const LEGAL: [&str; 5] = [
    "resolution",
    "declaration",
    "general-comment",
    "advisory-opinion",
    "compact",
];

/// The page's JSON-LD (`{"@context", "@graph"}`): the campaign on every page; a story, a
/// resolution or a partner, and where it sits, on its page. `image` is the address the
/// page's share picture has, if any.
pub(super) fn structured_data(
    site: &Site,
    titles: &Titles,
    page: &Value,
    kind: &str,
    image: Option<&str>,
) -> String {
    let home = site.permalink(&site.lang.prefix);
    let site_title = site.lang.title.as_deref().unwrap_or(&site.config.title);
    let get = |key: &'static str| page.get_from_path(key).and_then(Value::as_str);
    let lang = &*site.lang.code;
    let mut j = Json::with_capacity(1024);
    j.raw(r#"{"@context":"https://schema.org","@graph":[{"@type":"Organization","@id":"#);
    j.string2(&home, "#campaign");
    j.field("name", site_title);
    j.field("url", &home);
    j.key("logo");
    j.string2(&site.config.base_url, "favicon.svg");
    j.raw("}");
    let campaign_ref = |j: &mut Json| {
        j.raw(r#"{"@id":"#);
        j.string2(&home, "#campaign");
        j.raw("}");
    };
    let section = match kind {
        "story" => {
            j.raw(r#",{"@type":"NewsArticle""#);
            j.opt("headline", get("title"));
            j.opt("description", get("summary"));
            j.opt("datePublished", get("date"));
            j.opt("url", get("permalink"));
            j.opt("mainEntityOfPage", get("permalink"));
            j.field("inLanguage", lang);
            j.key("publisher");
            campaign_ref(&mut j);
            j.key("author");
            match get("author").filter(|a| !a.is_empty()) {
                Some(name) => {
                    j.raw(r#"{"@type":"Person""#);
                    j.field("name", name);
                    j.raw("}");
                }
                None => campaign_ref(&mut j),
            }
            j.opt("image", image);
            j.raw("}");
            Some((&titles.stories, crate::routes::stories(site.prefix(), 1)))
        }
        "resolution" => {
            let legal = get("kind").is_some_and(|k| LEGAL.contains(&k));
            let (kind, date, by, id) = if legal {
                (
                    "Legislation",
                    "legislationDate",
                    "legislationPassedBy",
                    "legislationIdentifier",
                )
            } else {
                ("CreativeWork", "dateCreated", "creator", "identifier")
            };
            j.raw(r#",{"@type":"#);
            j.string(kind);
            j.opt("name", get("title"));
            j.opt(date, get("adopted"));
            j.key(by);
            j.raw(r#"{"@type":"Organization""#);
            j.opt("name", get("body"));
            j.raw("}");
            j.opt("url", get("permalink"));
            j.field("inLanguage", lang);
            j.opt(id, non_empty(get("symbol")));
            j.opt("sameAs", non_empty(get("official_url")));
            j.opt("alternateName", non_empty(get("full_title")));
            j.raw("}");
            Some((
                &titles.resolutions,
                crate::routes::within(site.prefix(), crate::routes::RESOLUTIONS),
            ))
        }
        "partner" => {
            j.raw(r#",{"@type":"Organization""#);
            j.opt("name", get("name").or(get("title")));
            j.opt("url", get("permalink"));
            j.opt("alternateName", non_empty(get("acronym")));
            j.opt("sameAs", non_empty(get("website")));
            if let Some(c) = non_empty(get("country_code")) {
                j.key("address");
                j.raw(r#"{"@type":"PostalAddress""#);
                j.field("addressCountry", c);
                j.raw("}");
            }
            j.raw("}");
            Some((
                &titles.partners,
                crate::routes::within(site.prefix(), crate::routes::PARTNERS),
            ))
        }
        _ => None,
    };
    if let Some((name, path)) = section {
        j.raw(r#",{"@type":"BreadcrumbList","itemListElement":["#);
        let items = [
            (site_title, Some(home.clone())),
            (name.as_str(), Some(site.permalink(&path))),
            (
                get("title").unwrap_or_default(),
                get("permalink").map(str::to_string),
            ),
        ];
        for (i, (name, item)) in items.iter().enumerate() {
            if i > 0 {
                j.raw(",");
            }
            j.raw(r#"{"@type":"ListItem","position":"#);
            j.raw(&(i + 1).to_string());
            j.field("name", name);
            j.opt("item", item.as_deref());
            j.raw("}");
        }
        j.raw("]}");
    }
    j.raw("]}");
    j.0
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.filter(|v| !v.is_empty())
}

/// JSON written into a string, each object's first key after its `"@type"` or `"@id"` (so
/// every key is written with a comma before it).
struct Json(String);

impl Json {
    fn with_capacity(n: usize) -> Json {
        Json(String::with_capacity(n))
    }
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }
    fn key(&mut self, k: &str) {
        self.0.push_str(",\"");
        self.0.push_str(k);
        self.0.push_str("\":");
    }
    fn field(&mut self, k: &str, v: &str) {
        self.key(k);
        self.string(v);
    }
    /// A field written only when it has a value (JSON-LD readers take a missing key and a
    /// `null` alike; a missing one is shorter).
    fn opt(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.field(k, v);
        }
    }
    fn string(&mut self, s: &str) {
        self.0.push('"');
        escape_into(&mut self.0, s);
        self.0.push('"');
    }
    /// Two strings written as one (`home` then `#campaign`).
    fn string2(&mut self, a: &str, b: &str) {
        self.0.push('"');
        escape_into(&mut self.0, a);
        escape_into(&mut self.0, b);
        self.0.push('"');
    }
}

/// `s` as the inside of a JSON string that can sit in a `<script>` element: JSON's own
/// escapes, and `<`, `>`, `&`, U+2028, U+2029 and the characters no page may hold as `\u`
/// escapes (as [`super::filters::json_ld`] writes them). Text with none of them is copied.
fn escape_into(out: &mut String, s: &str) {
    let plain = |c: char| {
        !matches!(c, '"' | '\\' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}')
            && c >= ' '
            && !crate::chars::is_forbidden(c)
    };
    // Printable ASCII but for those five is copied without decoding a character.
    let ascii_plain =
        |b: &u8| matches!(b, b' '..=b'~') && !matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&');
    if s.as_bytes().iter().all(ascii_plain) || s.chars().all(plain) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if plain(c) => out.push(c),
            c => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_into;

    #[test]
    fn strings_are_json_that_cannot_end_the_script_element() {
        let nasty = "a\"b\\c</script><!-- & \u{2028}\u{2029}\n\t\u{1}\u{7f}\u{fffe}\u{1fffe} é ب";
        let mut out = String::from("\"");
        escape_into(&mut out, nasty);
        out.push('"');
        for bad in [
            "<",
            ">",
            "&",
            "\u{2028}",
            "\u{2029}",
            "\u{7f}",
            "\u{fffe}",
            "\u{1fffe}",
        ] {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        let back: String = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(back, nasty);
        let mut plain = String::new();
        escape_into(&mut plain, "Plain words, é and ب");
        assert_eq!(plain, "Plain words, é and ب");
    }
}
