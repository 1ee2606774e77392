//! Names: the identifiers visitors type to reach one entry (`A/RES/69/187`, `UNHCR`), in a
//! small file per language beside the index. The search page puts the entry a query names
//! first: a ranking by word counts would put a long text that cites a symbol five times
//! above the resolution it names.

use super::documents::Document;

/// The file of a language's names, in the bundle (the search page asks for it by the
/// language of its `<html lang>`, lower-cased).
pub fn file(lang: &str) -> String {
    format!("names.{}.json", lang.to_lowercase())
}

/// An identifier as it is matched: lower case, letters and digits only, so that
/// `a/res/69/187`, `A/RES/69/187` and `ARES 69 187` are one name. The search page does the
/// same to the query.
pub fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names file: `{"key": [{"url", "title", "kind", "detail"}], …}` (a key may name
/// several entries, such as two partners with one acronym), sorted.
pub fn json(docs: &[Document]) -> Vec<u8> {
    let mut map: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    for d in docs {
        let Some(n) = &d.name else { continue };
        let k = key(&n.name);
        if k.is_empty() {
            continue;
        }
        map.entry(k).or_default().push(serde_json::json!({
            "url": d.url,
            "title": n.title,
            "kind": n.kind,
            "detail": n.detail,
        }));
    }
    serde_json::to_vec(&map).unwrap_or_else(|_| b"{}".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_matches_however_it_is_typed() {
        assert_eq!(key("A/RES/69/187"), "ares69187");
        assert_eq!(key(" a/res/69/187 "), "ares69187");
        assert_eq!(key("UNHCR"), key("unhcr"));
        assert_eq!(key("CRC/C/GC/23"), "crccgc23");
        // Arabic letters are letters.
        assert_eq!(key("المفوضية"), "المفوضية");
        assert_eq!(key("//"), "");
    }
}
