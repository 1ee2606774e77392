//! The `sitemap` global: every page a search engine should know, with its last change; and
//! the sitemap files made from it, one per language.
//!
//! The sitemaps.org protocol allows 50,000 addresses in a sitemap ([`MAX_URLS`]). A
//! language with more gets, when the theme has the index template ([`INDEX_TEMPLATE`]),
//! `sitemap.xml` as a `<sitemapindex>` of `sitemap-1.xml`, `sitemap-2.xml`, … (each made by
//! the sitemap template from its share of the global, [`part_values`]), so robots.txt and
//! search consoles keep the one address. Without the index template the sitemap stays one
//! file.

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;
use tera::{Context, Value};

use super::jobs::{Job, has_template, one_file};
use super::obj::{Obj, list};
use crate::date::Date;
use crate::link::{Site, hash_one};
use crate::routes;

/// The sitemap's template, which also makes each part of a long one.
pub(super) const TEMPLATE: &str = "sitemap.xml";
/// The template of a sitemap index.
pub(super) const INDEX_TEMPLATE: &str = "sitemapindex.xml";
/// The most addresses one sitemap file may list (sitemaps.org; it also bounds a file to
/// 50 MB, which 50,000 addresses reach only with some twenty languages' alternates each).
pub(super) const MAX_URLS: usize = 50_000;

/// The addresses per sitemap file: [`MAX_URLS`], or fewer when the environment variable
/// `RALLY_TEST_SITEMAP_MAX_URLS` says so. Undocumented, for tests only: a site of 50,001
/// addresses takes minutes to build in a debug build.
fn max_urls() -> usize {
    std::env::var("RALLY_TEST_SITEMAP_MAX_URLS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=MAX_URLS).contains(n))
        .unwrap_or(MAX_URLS)
}

/// The ranges of addresses of each file of a sitemap of `len` addresses, `max` a file: one
/// range (perhaps empty) when they fit in one file.
fn parts(len: usize, max: usize) -> Vec<Range<usize>> {
    let max = max.max(1);
    if len <= max {
        return std::iter::once(0..len).collect();
    }
    (0..len.div_ceil(max))
        .map(|k| k * max..((k + 1) * max).min(len))
        .collect()
}

/// The output family: `sitemap.xml` (an index of parts when too long: see the module's
/// comment), from the theme's template of that name, and `robots.txt` (the default
/// language's only), from the theme's.
pub(super) fn family(site: &Site, tera: &tera::Tera, jobs: &mut Vec<Job>) {
    let count = parts(sitemap_entries(site).len(), max_urls()).len();
    if count > 1 && has_template(tera, TEMPLATE) && has_template(tera, INDEX_TEMPLATE) {
        jobs.push(Job::SitemapIndex);
        jobs.extend((1..=count).map(Job::SitemapPart));
    } else {
        one_file(tera, TEMPLATE, routes::SITEMAP, jobs);
    }
    // One robots.txt, at the root, naming every language's sitemap.
    if site.prefix().is_empty() {
        one_file(tera, "robots.txt", routes::ROBOTS, jobs);
    }
}

/// A sitemap part's or index's own values, from the `sitemap` global (`[{loc, lastmod}]`):
/// part `n` gets its share as `sitemap` (in place of the global, so the one template makes
/// whole sitemaps and parts); the index gets `sitemaps`, `[{loc, lastmod}]` of each part,
/// its `lastmod` the newest of its addresses'. Nothing for other jobs.
pub(super) fn part_values(job: &Job, site: &Site, sitemap: &Value, ctx: &mut Context) {
    let (Job::SitemapIndex | Job::SitemapPart(_)) = job else {
        return;
    };
    let all = sitemap.as_array().unwrap_or(&[]);
    let ranges = parts(all.len(), max_urls());
    match *job {
        Job::SitemapPart(n) => {
            let range = (n.checked_sub(1).and_then(|k| ranges.get(k)).cloned()).unwrap_or(0..0);
            ctx.insert_value("sitemap", list(all[range].iter().cloned()));
        }
        _ => {
            let files = ranges.iter().enumerate().map(|(k, range)| {
                let newest = all[range.clone()]
                    .iter()
                    .filter_map(|u| u.get_from_path("lastmod")?.as_str())
                    .max();
                Obj::new()
                    .set(
                        "loc",
                        site.permalink(&routes::sitemap_part(site.prefix(), k + 1)),
                    )
                    .opt("lastmod", newest)
                    .build()
            });
            ctx.insert_value("sitemaps", list(files));
        }
    }
}

/// What the index's values are made of: the parts' newest dates.
pub(super) fn index_inputs(site: &Site) -> u64 {
    let entries = sitemap_entries(site);
    let newest: Vec<Option<Date>> = parts(entries.len(), max_urls())
        .into_iter()
        .map(|r| entries[r].iter().filter_map(|e| e.1).max())
        .collect();
    hash_one(&(&site.config.base_url, newest))
}

/// Every page a search engine should know, as `(path, last change)`, in the order of the
/// sitemap: home, story lists, stories, resolutions, partners, pages, tags. Drafts are left
/// out.
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

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn long_sitemaps_are_cut_into_full_parts() {
        let one = |r: std::ops::Range<usize>| std::iter::once(r).collect::<Vec<_>>();
        assert_eq!(parts(0, 50_000), one(0..0));
        assert_eq!(parts(50_000, 50_000), one(0..50_000));
        assert_eq!(parts(50_001, 50_000), [0..50_000, 50_000..50_001]);
        assert_eq!(
            parts(120_000, 50_000),
            [0..50_000, 50_000..100_000, 100_000..120_000]
        );
        assert_eq!(parts(7, 3), [0..3, 3..6, 6..7]);
        // A limit of 0 cannot loop forever.
        assert_eq!(parts(2, 0), [0..1, 1..2]);
    }
}
