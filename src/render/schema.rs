//! Structured data: each page's schema.org JSON-LD, for search engines.
//!
//! Built here from the page's own value rather than in `base.html`: written in the template
//! with map literals and spreads it cost 17 µs a page. It is written straight into a string
//! (through `serde_json::Value`, a map per node and a string per field, it still cost 10 µs a
//! story page), escaped as it is written so that no value can end the `<script>` element
//! (see [`super::json`]).
//! Templates print `structured_data`.

use tera::Value;

use super::json::{Place, Writer};
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
    let campaign_id = format!("{home}#campaign");
    let site_title = site.lang.title.as_deref().unwrap_or(&site.config.title);
    let get = |key: &'static str| page.get_from_path(key).and_then(Value::as_str);
    let lang = &*site.lang.code;
    let mut j = Writer::new(Vec::with_capacity(1024), Place::Script);
    j.raw(r#"{"@context":"https://schema.org","@graph":[{"@type":"Organization","@id":"#);
    j.string(&campaign_id);
    j.field("name", site_title);
    j.field("url", &home);
    j.key("logo");
    j.string(&format!("{}favicon.svg", site.config.base_url));
    j.raw("}");
    let campaign_ref = |j: &mut Writer| {
        j.raw(r#"{"@id":"#);
        j.string(&campaign_id);
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
    j.into_string()
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.filter(|v| !v.is_empty())
}
