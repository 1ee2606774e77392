//! What a page's template sees besides the globals: the page itself, its lists and its menu.

use std::collections::BTreeMap;

use tera::{Context, Value};

use super::jobs::{Job, home_lists, tag_page_path};
use super::obj::{Obj, list};
use super::pagination::paginator;
use super::values::Values;
use crate::content::{Partner, PartnerType, Region, ResolutionKind};
use crate::link::Site;

impl Job {
    /// Output path, template and context of this page, and its menu's states (see
    /// [`menu_states`]).
    pub(super) fn context(
        &self,
        site: &Site,
        v: &Values,
        names: PageNames,
    ) -> (String, &'static str, Context, Vec<u8>) {
        let mut ctx = Context::new();
        let simple = |title: &str, path: &str| {
            Obj::new()
                .set("title", title)
                .set("description", site.config.description.as_str())
                .set("url", site.url(path))
                .set("permalink", site.permalink(path))
                .set("draft", false)
                .build()
        };
        let (path, template, page, kind): (String, &'static str, Value, &str) = match *self {
            Job::Home => {
                let (featured, latest) = home_lists(site);
                ctx.insert_value(
                    "featured",
                    list(featured.iter().map(|&i| v.stories[i].clone())),
                );
                ctx.insert_value("latest", list(latest.iter().map(|&i| v.stories[i].clone())));
                (
                    "".into(),
                    "index.html",
                    simple(&site.config.title, ""),
                    "home",
                )
            }
            Job::NotFound => {
                let mut p = simple("Page not found", "404.html");
                if let Some(m) = p.as_map().cloned() {
                    let mut m = m;
                    m.insert("url".into(), site.url("").into());
                    p = Value::from(m);
                }
                ctx.insert_value("noindex", true.into());
                let (ctx, states) = with_page(ctx, site, v, p, ("404", ""), names);
                return ("404.html".into(), "404.html", ctx, states);
            }
            Job::StoriesIndex(n) => {
                let per = site.config.stories_per_page;
                let items: Vec<Value> = v
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .cloned()
                    .collect();
                let page_path = |k: usize| {
                    if k == 1 {
                        "stories/".to_string()
                    } else {
                        format!("stories/page/{k}/")
                    }
                };
                ctx.insert_value(
                    "paginator",
                    paginator(
                        site,
                        items,
                        n,
                        site.story_pages,
                        site.stories.len(),
                        &page_path,
                    ),
                );
                let title = if n == 1 {
                    "Stories".to_string()
                } else {
                    format!("Stories, page {n}")
                };
                let path = page_path(n);
                (
                    path.clone(),
                    "stories.html",
                    simple(&title, &path),
                    "stories",
                )
            }
            Job::ResolutionsIndex => {
                ctx.insert_value("years", resolution_years(site, v));
                ctx.insert_value(
                    "bodies",
                    facet(site.resolutions.iter().map(|r| r.doc.meta.body.clone())),
                );
                ctx.insert_value(
                    "kinds",
                    list(ResolutionKind::ALL.iter().filter_map(|k| {
                        let n = site
                            .resolutions
                            .iter()
                            .filter(|r| r.doc.meta.kind == *k)
                            .count();
                        (n > 0).then(|| {
                            Obj::new()
                                .set("key", k.key())
                                .set("label", k.label())
                                .set("count", n)
                                .build()
                        })
                    })),
                );
                (
                    "resolutions/".into(),
                    "resolutions.html",
                    simple("Resolutions and standards", "resolutions/"),
                    "resolutions",
                )
            }
            Job::PartnersIndex => {
                ctx.insert_value("by_type", partner_groups(site, v, true));
                ctx.insert_value("by_region", partner_groups(site, v, false));
                (
                    "partners/".into(),
                    "partners.html",
                    simple("Partners", "partners/"),
                    "partners",
                )
            }
            Job::TagsIndex => ("tags/".into(), "tags.html", simple("Tags", "tags/"), "tags"),
            Job::Tag(i, n) => {
                let t = &site.tags[i];
                let per = site.config.stories_per_page;
                let items: Vec<Value> = t
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .map(|&s| v.stories[s].clone())
                    .collect();
                let pages = site.tag_pages(t);
                ctx.insert_value("tag", v.tags[i].clone());
                ctx.insert_value(
                    "paginator",
                    paginator(site, items, n, pages, t.stories.len(), &|k| {
                        tag_page_path(&t.slug, k)
                    }),
                );
                let path = tag_page_path(&t.slug, n);
                let title = if n == 1 {
                    format!("Stories tagged “{}”", t.name)
                } else {
                    format!("Stories tagged “{}”, page {n}", t.name)
                };
                (path.clone(), "tag.html", simple(&title, &path), "tag")
            }
            Job::Story(i) => {
                let e = &site.stories[i];
                // Newest first: the previous story is the older one.
                ctx.insert_value("previous", v.stories.get(i + 1).map(link_value).into());
                ctx.insert_value(
                    "next",
                    i.checked_sub(1)
                        .and_then(|j| v.stories.get(j))
                        .map(link_value)
                        .into(),
                );
                (
                    e.path.to_string(),
                    "story.html",
                    v.stories[i].clone(),
                    "story",
                )
            }
            Job::Resolution(i) => {
                let e = &site.resolutions[i];
                (
                    e.path.to_string(),
                    "resolution.html",
                    v.resolutions[i].clone(),
                    "resolution",
                )
            }
            Job::Partner(i) => {
                let e = &site.partners[i];
                (
                    e.path.to_string(),
                    "partner.html",
                    v.partners[i].clone(),
                    "partner",
                )
            }
            Job::Page(i) => {
                let e = &site.pages[i];
                // The page's own template is chosen by `out_and_template`.
                (e.path.to_string(), "page.html", v.pages[i].clone(), "page")
            }
            Job::Feed(name, out) => {
                let title = site.config.title.clone();
                let page = simple(&title, out);
                let (ctx, states) = with_page(ctx, site, v, page, ("feed", out), names);
                return (out.into(), name, ctx, states);
            }
        };
        let out = format!("{path}index.html");
        let (ctx, states) = with_page(ctx, site, v, page, (kind, &path), names);
        (out, template, ctx, states)
    }
}

/// Adds what every page gets about itself. `menu` is the main menu with each item's
/// `current` worked out here: templates comparing URLs themselves (`is starting_with`) cost
/// more than the rest of a story page.
pub(super) fn with_page(
    mut ctx: Context,
    site: &Site,
    v: &Values,
    page: Value,
    (kind, path): (&str, &str),
    names: PageNames,
) -> (Context, Vec<u8>) {
    let url = site.url(path);
    let states = menu_states(site, &url);
    if names.menu {
        ctx.insert_value("menu", menu_value(v, &states));
    }
    ctx.insert_value("page", page);
    ctx.insert("kind", kind);
    if names.current {
        ctx.insert("current_url", &url);
        ctx.insert("current_path", path);
    }
    (ctx, states)
}

/// Which of a page's own names its template reads. Each name in a page's context costs a
/// comparison in every lookup of a name that sorts after it (`page`, `site`...), 1 % of a
/// build for `current_url` and `current_path`, so names a template does not read are left
/// out.
#[derive(Clone, Copy, Hash)]
pub(super) struct PageNames {
    pub(super) menu: bool,
    pub(super) current: bool,
}

impl PageNames {
    pub(super) const ALL: PageNames = PageNames {
        menu: true,
        current: true,
    };
}

/// The main menu as the page whose menu has `states` shows it.
pub(super) fn menu_value(v: &Values, states: &[u8]) -> Value {
    list(
        v.menu
            .iter()
            .zip(states)
            .map(|(variants, &state)| variants[usize::from(state)].clone()),
    )
}

/// For each item of the main menu, what it is to the page at `url`: 0 elsewhere, 1 the page
/// itself, 2 a page in its section (`current` "", "page", "section").
pub(super) fn menu_states(site: &Site, url: &str) -> Vec<u8> {
    site.menu
        .iter()
        .map(|m| {
            if url == m.url {
                1
            } else if m.url != site.base_path && url.starts_with(&m.url) {
                2
            } else {
                0
            }
        })
        .collect()
}

fn link_value(v: &Value) -> Value {
    let get = |k: &str| v.get_from_path(k).cloned().unwrap_or_else(Value::none);
    Obj::new()
        .set("title", get("title"))
        .set("url", get("url"))
        .build()
}

fn resolution_years(site: &Site, v: &Values) -> Value {
    let mut years: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
    for (i, r) in site.resolutions.iter().enumerate() {
        years
            .entry(r.doc.meta.adopted.year)
            .or_default()
            .push(v.resolutions[i].clone());
    }
    list(years.into_iter().map(|(y, items)| {
        Obj::new()
            .set("year", y as i64)
            .set("items", list(items))
            .build()
    }))
}

/// Distinct values with a slug key and a count, for filter controls.
fn facet(values: impl Iterator<Item = String>) -> Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    list(counts.into_iter().map(|(label, n)| {
        Obj::new()
            .set("key", slug::slugify(&label))
            .set("label", label)
            .set("count", n)
            .build()
    }))
}

fn partner_groups(site: &Site, v: &Values, by_type: bool) -> Value {
    let keys: Vec<(&str, &str)> = if by_type {
        PartnerType::ALL
            .iter()
            .map(|t| (t.key(), t.label()))
            .collect()
    } else {
        Region::ALL.iter().map(|r| (r.key(), r.label())).collect()
    };
    let key_of = |p: &Partner| {
        if by_type {
            p.kind.key()
        } else {
            p.region.key()
        }
    };
    list(keys.into_iter().filter_map(|(key, label)| {
        let items: Vec<Value> = site
            .partners
            .iter()
            .enumerate()
            .filter(|(_, p)| key_of(&p.doc.meta) == key)
            .map(|(i, _)| v.partners[i].clone())
            .collect();
        (!items.is_empty()).then(|| {
            Obj::new()
                .set("key", key)
                .set("label", label)
                .set("count", items.len())
                .set("items", list(items))
                .build()
        })
    }))
}
