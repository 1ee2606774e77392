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
/// The output family: `sitemap.xml`, from the theme's template of that name.
pub(super) fn family(_: &Site, tera: &tera::Tera, jobs: &mut Vec<super::jobs::Job>) {
    super::jobs::one_file(tera, "sitemap.xml", routes::SITEMAP, jobs);
}

fn sitemap_entries(site: &Site) -> Vec<(Cow<'_, str>, Option<Date>)> {
    let mut out: Vec<(Cow<str>, Option<Date>)> = Vec::with_capacity(
        site.stories.len() + site.resolutions.len() + site.partners.len() + site.pages.len(),
    );
    let newest = site.stories.first().map(|s| s.doc.meta.date);
    out.push((routes::HOME.into(), newest));
    out.push((routes::stories(1), newest));
    for n in 2..=site.story_pages {
        out.push((routes::stories(n), None));
    }
    for s in &site.stories {
        let m = &s.doc.meta;
        if !(m.draft || m.date > site.options.today) {
            out.push((Cow::Borrowed(&*s.path), Some(m.date)));
        }
    }
    out.push((routes::RESOLUTIONS.into(), None));
    for r in site.resolutions.iter().filter(|r| !r.doc.meta.draft) {
        out.push((Cow::Borrowed(&*r.path), None));
    }
    out.push((routes::PARTNERS.into(), None));
    for p in site.partners.iter().filter(|p| !p.doc.meta.draft) {
        out.push((Cow::Borrowed(&*p.path), None));
    }
    for p in site.pages.iter().filter(|p| !p.doc.meta.draft) {
        out.push((Cow::Borrowed(&*p.path), None));
    }
    out.push((routes::TAGS.into(), None));
    for t in site.tags.iter() {
        out.push((routes::tag(&t.slug, 1).into(), None));
    }
    out
}

/// The `sitemap` global, `[{loc, lastmod}]`, rebuilt only when a listed address or date
/// changed (so editing a story's text does not re-render the sitemap). One entry per page:
/// made in parallel.
pub(super) fn sitemap(site: &Site, memo: &mut Option<(u64, Value)>) -> (u64, Value) {
    let entries = sitemap_entries(site);
    let hash = hash_one(&(&site.config.base_url, &entries));
    if let Some((old, v)) = memo
        && *old == hash
    {
        return (hash, v.clone());
    }
    let urls: Vec<Value> = entries
        .par_iter()
        .map(|(path, date)| {
            Obj::new()
                .set("loc", site.permalink(path))
                .opt("lastmod", date.map(|d| d.to_string()))
                .build()
        })
        .collect();
    let v = list(urls);
    *memo = Some((hash, v.clone()));
    (hash, v)
}
