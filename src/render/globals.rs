//! The globals every template can read (`site`, `stories`, `tags`, `feed_stories`, ...), and
//! the hash of each.

use std::collections::BTreeSet;

use tera::{Context, Value};

use super::deps::TemplateInfoRef;
use super::engine::Compiled;
use super::feed::feed_stories;
use super::obj::{Obj, list};
use super::partials::Partials;
use super::sitemap::sitemap;
use super::values::{Values, tag_value};
use crate::content::Region;
use crate::diagnostics::Diagnostics;
use crate::link::{Site, hash_one};

/// The globals templates can read, in the order of [`global_hashes`].
pub(super) const GLOBAL_NAMES: [&str; 10] = [
    "site",
    "stories",
    "resolutions",
    "partners",
    "pages",
    "tags",
    "sitemap",
    "feed_stories",
    // Per page (see `with_page`), but made from the site's menu alone besides the page's
    // own address, which is in every page's fingerprint.
    "menu",
    "partials",
];

/// This build's globals, once they are Tera's global context: what pages need of them besides.
pub(super) struct Globals<'a> {
    /// The `site` global, which goes into each page's own context instead (see [`Globals::set`]).
    pub(super) site: Value,
    /// Of each global, in the order of [`GLOBAL_NAMES`].
    pub(super) hashes: Vec<u64>,
    pub(super) partials: Partials<'a>,
    /// The `sitemap` global, which a sitemap too long for one file is cut from (see
    /// `sitemap::part_values`).
    pub(super) sitemap: Value,
}

impl<'a> Globals<'a> {
    /// Makes the globals and sets them as Tera's global context; the `sitemap` global is
    /// reused from `sitemap_memo` while what it lists is unchanged.
    pub(super) fn set(
        site: &Site,
        values: &Values,
        compiled: &mut Compiled,
        t: &TemplateInfoRef<'a>,
        sitemap_memo: &mut Option<(u64, Value)>,
    ) -> Result<Globals<'a>, Diagnostics> {
        // Independent of each other, and each a pass over every story: side by side.
        let (sitemap, (mut globals, feed, mut hashes)) = rayon::join(
            || sitemap(site, sitemap_memo),
            || {
                (
                    global_context(site, values),
                    feed_stories(site, values),
                    global_hashes(site, values),
                )
            },
        );
        globals.insert_value("sitemap", sitemap.1.clone());
        for name in ["UI", "lang"] {
            if let Some(v) = t.language.get(name) {
                globals.insert_value(name, v.clone());
            }
        }
        globals.insert_value("feed_stories", feed.1);
        // The same for every page: in Tera's global context they are not copied into each
        // page's context (local names are looked up first, and no page-specific name is a
        // global's). Except `site`, which every page reads a dozen times: Tera finds a global
        // only after comparing the name with each of the page's own, so `site` joins those (a
        // cheap clone).
        let site_value = globals.remove("site").unwrap_or_else(Value::none);
        *compiled.globals() = globals;
        hashes.extend([sitemap.0, feed.0, hash_one(&menu_hash_input(site))]);
        let partials = Partials::render(&compiled.tera, &site_value, t, &hashes)?;
        compiled
            .globals()
            .insert_value("partials", Value::from(partials.fixed.clone()));
        // Its place among the globals; each template's own share is worked out in
        // `template_uses`.
        hashes.push(partials.hash_of(None));
        Ok(Globals {
            site: site_value,
            hashes,
            partials,
            sitemap: sitemap.1,
        })
    }
}

/// The `lang` global: the language being rendered.
pub(super) fn lang_value(site: &Site) -> Value {
    Obj::new()
        .set("code", &*site.lang.code)
        .set("name", site.lang.name.as_str())
        .set("dir", site.lang.dir.as_str())
        .set("default", site.prefix().is_empty())
        .build()
}

fn global_context(site: &Site, v: &Values) -> Context {
    let mut g = Context::new();
    let countries: BTreeSet<&str> = site
        .partners
        .iter()
        .filter_map(|p| p.doc.meta.country.as_deref())
        .collect();
    let regions: BTreeSet<Region> = site
        .partners
        .iter()
        .map(|p| p.doc.meta.region)
        .filter(|r| *r != Region::Global)
        .collect();
    let lang = &site.lang;
    let home = format!("{}{}", site.base_path, lang.prefix);
    let site_value = Obj::new()
        .set("title", lang.title.as_deref().unwrap_or(&site.config.title))
        .set(
            "description",
            (lang.description.as_deref()).unwrap_or(&site.config.description),
        )
        .set("base_url", site.config.base_url.as_str())
        .set("base_path", site.base_path.as_str())
        // This language's home: lists and feeds are under it.
        .set("home", home.as_str())
        .set("home_permalink", site.permalink(&lang.prefix))
        .set("language", &*lang.code)
        .set("dir", lang.dir.as_str())
        // For `og:locale`: a `replace` filter on every page cost 1 % of a build.
        .set("locale", lang.code.replace('-', "_"))
        .set(
            "languages",
            list(site.langs.all.iter().map(|l| {
                Obj::new()
                    .set("code", &*l.code)
                    .set("name", l.name.as_str())
                    .set("dir", l.dir.as_str())
                    .set("home", format!("{}{}", site.base_path, l.prefix))
                    .set("home_permalink", site.permalink(&l.prefix))
                    .build()
            })),
        )
        // Each page's address in this language (the default language's where it has no
        // translation), for the theme's links to pages: `site.page_urls["take-action"]`.
        .set("page_urls", {
            let mut o = tera::Map::new();
            for p in &site.pages {
                o.insert(p.doc.id.clone().into(), Value::from(site.url(&p.path)));
            }
            Value::from(o)
        })
        .set(
            "menu",
            list(site.menu.iter().map(|m| {
                Obj::new()
                    .set("name", m.name.as_str())
                    .set("url", m.url.as_str())
                    .set("highlight", m.highlight)
                    .build()
            })),
        )
        .set("footer", footer_value(&site.footer))
        .set("extra", {
            let mut extra = site.config.extra.clone();
            for (k, v) in lang.extra.iter().flatten() {
                extra.insert(k.clone(), v.clone());
            }
            Value::from_serializable(&extra)
        })
        .set("drafts", site.options.drafts)
        .set("home_stories", site.config.home_stories)
        .set("stories_per_page", site.config.stories_per_page)
        .set(
            "counts",
            Obj::new()
                .set("stories", site.stories.len())
                .set("resolutions", site.resolutions.len())
                .set("partners", site.partners.len())
                .set("countries", countries.len())
                .set("regions", regions.len())
                .set("tags", site.tags.len())
                .build(),
        )
        .set("story_pages", site.story_pages)
        .set("generator", concat!("rally ", env!("CARGO_PKG_VERSION")))
        .build();
    g.insert_value("site", site_value);
    g.insert_value("stories", list(v.stories.iter().cloned()));
    g.insert_value("resolutions", list(v.resolutions.iter().cloned()));
    g.insert_value("partners", list(v.partners.iter().cloned()));
    g.insert_value("pages", list(v.pages.iter().cloned()));
    // Without their stories: lists of tags (on every story list page) then change only when
    // tags come, go or change counts, not on every story edit.
    g.insert_value(
        "tags",
        list(site.tags.iter().map(|t| tag_value(site, t, &v.tag_labels))),
    );
    g
}

/// `site.footer`: each key of `footer:` that is set, its links resolved; `none` for the rest.
fn footer_value(f: &crate::link::FooterLinks) -> Value {
    let link = |l: &(String, String)| {
        Obj::new()
            .set("name", l.0.as_str())
            .set("url", l.1.as_str())
            .build()
    };
    Obj::new()
        .set(
            "coordinator",
            f.coordinator.as_ref().map_or_else(Value::none, link),
        )
        .set("contact_email", f.contact_email.as_deref())
        .set("privacy", f.privacy.as_deref())
        .set("licence", f.licence.as_ref().map_or_else(Value::none, link))
        .set("social", list(f.social.iter().map(link)))
        .set("newsletter", f.newsletter.as_deref())
        .build()
}

/// What the per-page `menu` is made of, besides the page's address.
fn menu_hash_input(site: &Site) -> (Vec<(&str, &str, bool)>, &str) {
    let items = site
        .menu
        .iter()
        .map(|m| (m.name.as_str(), m.url.as_str(), m.highlight))
        .collect();
    (items, &site.base_path)
}

/// Hashes of the globals, in the order of [`GLOBAL_NAMES`].
fn global_hashes(site: &Site, v: &Values) -> Vec<u64> {
    let site_hash = hash_one(&(
        serde_json::to_string(&site.config).unwrap_or_default(),
        (&site.lang, site.langs.hash),
        site.pages.iter().map(|p| &*p.path).collect::<Vec<_>>(),
        menu_hash_input(site),
        &site.footer,
        site.options.drafts,
        (
            site.stories.len(),
            site.resolutions.len(),
            site.partners.len(),
            site.tags.len(),
        ),
        v.hashes.partners.len(),
        site.partners
            .iter()
            .map(|p| (p.doc.meta.country.as_deref(), p.doc.meta.region))
            .collect::<Vec<_>>(),
    ));
    vec![
        site_hash,
        hash_one(&v.hashes.stories),
        hash_one(&v.hashes.resolutions),
        hash_one(&v.hashes.partners),
        hash_one(&v.hashes.pages),
        hash_one(
            &site
                .tags
                .iter()
                .map(|t| (&t.name, &t.slug, t.stories.len()))
                .collect::<Vec<_>>(),
        ),
    ]
}
