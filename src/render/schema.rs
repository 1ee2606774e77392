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

/// What every page's JSON-LD in a language shares, written once per build: the campaign's
/// node, the reference to it and the breadcrumbs' first two items. Half of a story page's
/// JSON-LD, and the same on each of its 10,000 pages.
pub(super) struct Common {
    /// `{"@context":…,"@graph":[{the campaign}`
    head: String,
    /// `{"@id":"…#campaign"}`
    campaign_ref: String,
    /// The breadcrumbs up to a section's list: the site, then the stories, the resolutions
    /// or the partners (`{"@type":"ListItem",…},{…}`).
    stories: String,
    resolutions: String,
    partners: String,
}

impl Common {
    pub(super) fn new(site: &Site, titles: &Titles) -> Common {
        let home = site.permalink(&site.lang.prefix);
        let campaign_id = format!("{home}#campaign");
        let site_title = site.lang.title.as_deref().unwrap_or(&site.config.title);
        let mut j = Writer::new(Vec::with_capacity(256), Place::Script);
        j.raw(r#"{"@context":"https://schema.org","@graph":[{"@type":"Organization","@id":"#);
        j.string(&campaign_id);
        j.field("name", site_title);
        j.field("url", &home);
        j.field("logo", &format!("{}favicon.svg", site.config.base_url));
        j.raw("}");
        let head = j.into_string();
        let mut j = Writer::new(Vec::new(), Place::Script);
        j.raw(r#"{"@id":"#);
        j.string(&campaign_id);
        j.raw("}");
        let campaign_ref = j.into_string();
        let crumbs = |name: &str, path: &str| {
            let mut j = Writer::new(Vec::new(), Place::Script);
            list_item(&mut j, 1, site_title, Some(&home));
            j.raw(",");
            list_item(&mut j, 2, name, Some(&site.permalink(path)));
            j.into_string()
        };
        let p = site.prefix();
        Common {
            head,
            campaign_ref,
            stories: crumbs(&titles.stories, &crate::routes::stories(p, 1)),
            resolutions: crumbs(
                &titles.resolutions,
                &crate::routes::within(p, crate::routes::RESOLUTIONS),
            ),
            partners: crumbs(
                &titles.partners,
                &crate::routes::within(p, crate::routes::PARTNERS),
            ),
        }
    }
}

/// `{"@type":"ListItem","position":n,"name":…,"item":…}`
fn list_item(j: &mut Writer, position: i64, name: &str, item: Option<&str>) {
    j.raw(r#"{"@type":"ListItem","position":"#);
    j.number(position);
    j.field("name", name);
    j.opt("item", item);
    j.raw("}");
}

/// The page's JSON-LD (`{"@context", "@graph"}`): the campaign on every page; a story, a
/// resolution or a partner, and where it sits, on its page. `image` is the address the
/// page's share picture has, if any.
pub(super) fn structured_data(
    site: &Site,
    common: &Common,
    page: &Value,
    kind: &str,
    image: Option<&str>,
) -> String {
    let get = |key: &'static str| page.get_from_path(key).and_then(Value::as_str);
    let lang = &*site.lang.code;
    let mut j = Writer::new(Vec::with_capacity(1024), Place::Script);
    j.raw(&common.head);
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
            j.raw(&common.campaign_ref);
            j.key("author");
            match get("author").filter(|a| !a.is_empty()) {
                Some(name) => {
                    j.raw(r#"{"@type":"Person""#);
                    j.field("name", name);
                    j.raw("}");
                }
                None => j.raw(&common.campaign_ref),
            }
            j.opt("image", image);
            j.raw("}");
            Some(&common.stories)
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
            Some(&common.resolutions)
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
            Some(&common.partners)
        }
        _ => None,
    };
    if let Some(crumbs) = section {
        j.raw(r#",{"@type":"BreadcrumbList","itemListElement":["#);
        j.raw(crumbs);
        j.raw(",");
        list_item(
            &mut j,
            3,
            get("title").unwrap_or_default(),
            get("permalink"),
        );
        j.raw("]}");
    }
    j.raw("]}");
    j.into_string()
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.filter(|v| !v.is_empty())
}
