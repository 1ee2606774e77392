//! The `sitemap` global: every page a search engine should know, with its last change.

use std::borrow::Cow;

use rayon::prelude::*;
use tera::Value;

use super::obj::{Obj, list};
use crate::date::Date;
use crate::link::{Site, hash_one};
use crate::routes;

/// Every page a search engine should know, as `(path, last change)`, in the order of the
/// sitemap: home, story lists, stories, resolutions, partners, pages, tags. Drafts are left
/// out.
/// The output family: `sitemap.xml`, from the theme's template of that name, and
/// `robots.txt` (the default language's only), from the theme's.
pub(super) fn family(site: &Site, tera: &tera::Tera, jobs: &mut Vec<super::jobs::Job>) {
    super::jobs::one_file(tera, "sitemap.xml", routes::SITEMAP, jobs);
    // One robots.txt, at the root, naming every language's sitemap.
    if site.prefix().is_empty() {
        super::jobs::one_file(tera, "robots.txt", routes::ROBOTS, jobs);
    }
}

fn sitemap_entries(site: &Site) -> Vec<(Cow<'_, str>, Option<Date>)> {
    let mut out: Vec<(Cow<str>, Option<Date>)> = Vec::with_capacity(
        site.stories.len() + site.resolutions.len() + site.partners.len() + site.pages.len(),
    );
    let newest = site.stories.first().map(|s| s.doc.meta.date);
    let p = site.prefix();
    out.push((routes::within(p, routes::HOME), newest));
    out.push((routes::stories(p, 1), newest));
    for n in 2..=site.story_pages {
        out.push((routes::stories(p, n), None));
    }
    for s in &site.stories {
        let m = &s.doc.meta;
        if !(m.draft || m.date > site.options.today) {
            out.push((Cow::Borrowed(&*s.path), Some(m.date)));
        }
    }
    out.push((routes::within(p, routes::RESOLUTIONS), None));
    for r in (site.resolutions.iter()).filter(|r| !r.doc.meta.draft && site.owns(r)) {
        out.push((Cow::Borrowed(&*r.path), None));
    }
    out.push((routes::within(p, routes::PARTNERS), None));
    for e in (site.partners.iter()).filter(|e| !e.doc.meta.draft && site.owns(e)) {
        out.push((Cow::Borrowed(&*e.path), None));
    }
    for e in (site.pages.iter()).filter(|e| !e.doc.meta.draft && site.owns(e)) {
        out.push((Cow::Borrowed(&*e.path), None));
    }
    out.push((routes::within(p, routes::TAGS), None));
    for t in site.tags.iter() {
        out.push((routes::tag(p, &t.slug, 1).into(), None));
    }
    out
}

/// The other languages a page exists in, for `hreflang` links: (code, path) of each, this
/// page's own language included; empty for a site in one language.
pub(super) fn alternates<'a>(site: &'a Site, path: &str) -> Vec<(&'a str, String)> {
    let langs = &site.langs;
    if langs.all.len() < 2 {
        return Vec::new();
    }
    let neutral = path.strip_prefix(site.prefix()).unwrap_or(path);
    let mut out: Vec<(&str, String)> = langs
        .of(neutral)
        .map(|l| {
            let lang = &langs.all[l];
            (&*lang.code, format!("{}{neutral}", lang.prefix))
        })
        .collect();
    // Readers whose language the site lacks are sent to the default language's page.
    if langs.pages[0].contains(neutral) {
        out.push(("x-default", neutral.to_string()));
    }
    out
}

/// The `sitemap` global, `[{loc, lastmod}]`, rebuilt only when a listed address or date
/// changed (so editing a story's text does not re-render the sitemap). One entry per page:
/// made in parallel.
pub(super) fn sitemap(site: &Site, memo: &mut Option<(u64, Value)>) -> (u64, Value) {
    let entries = sitemap_entries(site);
    let hash = hash_one(&(&site.config.base_url, &entries, site.langs.hash));
    if let Some((old, v)) = memo
        && *old == hash
    {
        return (hash, v.clone());
    }
    let urls: Vec<Value> = entries
        .par_iter()
        .map(|(path, date)| {
            let alternates = alternates(site, path);
            let mut o = Obj::new()
                .set("loc", site.permalink(path))
                .opt("lastmod", date.map(|d| d.to_string()));
            if !alternates.is_empty() {
                o = o.set(
                    "alternates",
                    list(alternates.iter().map(|(code, path)| {
                        Obj::new()
                            .set("lang", *code)
                            .set("href", site.permalink(path))
                            .build()
                    })),
                );
            }
            o.build()
        })
        .collect();
    let v = list(urls);
    *memo = Some((hash, v.clone()));
    (hash, v)
}
