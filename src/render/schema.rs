//! Structured data: each page's schema.org JSON-LD, for search engines.
//!
//! Built here from the page's own value rather than in `base.html`: written in the template
//! with map literals and spreads it cost 33 µs a page, a fifth of a 10,000-story build.
//! Templates print `structured_data`, already escaped for a `<script>` element.

use serde_json::{Map, Value as Json, json};
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

/// The page's JSON-LD (`{"@context", "@graph"}`), escaped by [`super::filters::json_ld`]: the
/// campaign on every page; a story, a resolution or a partner, and where it sits, on its
/// page. `image` is the address the page's share picture has, if any.
pub(super) fn structured_data(
    site: &Site,
    titles: &Titles,
    page: &Value,
    kind: &str,
    image: Option<&str>,
) -> String {
    let home = site.permalink(&site.lang.prefix);
    let campaign_id = format!("{home}#campaign");
    let site_title = site
        .lang
        .title
        .as_deref()
        .unwrap_or(&site.config.title)
        .to_string();
    let campaign = json!({
        "@type": "Organization",
        "@id": campaign_id,
        "name": site_title,
        "url": home,
        "logo": format!("{}favicon.svg", site.config.base_url),
    });
    let get = |key: &'static str| page.get_from_path(key).and_then(Value::as_str);
    let mut graph = vec![campaign];
    let lang = &*site.lang.code;
    let section = match kind {
        "story" => {
            let mut a = node("NewsArticle");
            a.insert("headline".into(), get("title").into());
            a.insert("description".into(), get("summary").into());
            a.insert("datePublished".into(), get("date").into());
            a.insert("url".into(), get("permalink").into());
            a.insert("mainEntityOfPage".into(), get("permalink").into());
            a.insert("inLanguage".into(), lang.into());
            a.insert("publisher".into(), json!({ "@id": campaign_id }));
            let author = match get("author").filter(|a| !a.is_empty()) {
                Some(name) => json!({ "@type": "Person", "name": name }),
                None => json!({ "@id": campaign_id }),
            };
            a.insert("author".into(), author);
            if let Some(url) = image {
                a.insert("image".into(), url.into());
            }
            graph.push(Json::Object(a));
            Some((
                &titles.stories,
                crate::routes::stories(site.prefix(), 1).into_owned(),
            ))
        }
        "resolution" => {
            let legal = get("kind").is_some_and(|k| LEGAL.contains(&k));
            let mut r = node(if legal { "Legislation" } else { "CreativeWork" });
            let (date, by, id) = if legal {
                (
                    "legislationDate",
                    "legislationPassedBy",
                    "legislationIdentifier",
                )
            } else {
                ("dateCreated", "creator", "identifier")
            };
            r.insert("name".into(), get("title").into());
            r.insert(date.into(), get("adopted").into());
            r.insert(
                by.into(),
                json!({ "@type": "Organization", "name": get("body") }),
            );
            r.insert("url".into(), get("permalink").into());
            r.insert("inLanguage".into(), lang.into());
            for (key, field) in [
                (id, "symbol"),
                ("sameAs", "official_url"),
                ("alternateName", "full_title"),
            ] {
                if let Some(v) = get(field).filter(|v| !v.is_empty()) {
                    r.insert(key.into(), v.into());
                }
            }
            graph.push(Json::Object(r));
            Some((
                &titles.resolutions,
                crate::routes::within(site.prefix(), crate::routes::RESOLUTIONS).into_owned(),
            ))
        }
        "partner" => {
            let mut o = node("Organization");
            o.insert("name".into(), get("name").or(get("title")).into());
            o.insert("url".into(), get("permalink").into());
            for (key, field) in [("alternateName", "acronym"), ("sameAs", "website")] {
                if let Some(v) = get(field).filter(|v| !v.is_empty()) {
                    o.insert(key.into(), v.into());
                }
            }
            if let Some(c) = get("country_code").filter(|c| !c.is_empty()) {
                o.insert(
                    "address".into(),
                    json!({ "@type": "PostalAddress", "addressCountry": c }),
                );
            }
            graph.push(Json::Object(o));
            Some((
                &titles.partners,
                crate::routes::within(site.prefix(), crate::routes::PARTNERS).into_owned(),
            ))
        }
        _ => None,
    };
    if let Some((name, path)) = section {
        graph.push(json!({
            "@type": "BreadcrumbList",
            "itemListElement": [
                { "@type": "ListItem", "position": 1, "name": site_title, "item": home },
                { "@type": "ListItem", "position": 2, "name": name, "item": site.permalink(&path) },
                { "@type": "ListItem", "position": 3, "name": get("title"), "item": get("permalink") },
            ],
        }));
    }
    super::filters::escape_json_ld(
        &json!({ "@context": "https://schema.org", "@graph": graph }).to_string(),
    )
}

fn node(kind: &str) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("@type".into(), kind.into());
    m
}
