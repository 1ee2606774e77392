//! What a page's template sees besides the globals: the page itself, its lists and its menu.

use std::borrow::Cow;
use std::collections::BTreeMap;

use tera::{Context, Value};

use super::jobs::{Job, home_lists};
use super::obj::{Obj, list};
use super::pagination::{on_page, paginator};
use super::values::Values;
use crate::content::{Partner, PartnerType, Region, ResolutionKind, Stance};
use crate::link::{Entry, Site};
use crate::routes;

impl Job {
    /// This page's own context (the globals are Tera's) and its menu's states (see
    /// [`menu_states`]).
    pub(super) fn context(&self, site: &Site, v: &Values, names: PageNames) -> (Context, Vec<u8>) {
        let mut ctx = Context::new();
        let p = |place: &'static str| routes::within(site.prefix(), place);
        // The page's address (without the base path), the `page` value and the `kind`.
        let (path, page, kind): (Cow<str>, Value, &str) = match *self {
            Job::Home => (p(routes::HOME), home(&mut ctx, site, v), "home"),
            Job::NotFound => (p(routes::HOME), not_found(&mut ctx, site, v), "404"),
            Job::StoriesIndex(n) => {
                let path = routes::stories(site.prefix(), n);
                let page = stories_index(&mut ctx, site, v, n, &path);
                (path, page, "stories")
            }
            Job::ResolutionsIndex => {
                let page = resolutions_index(&mut ctx, site, v);
                (p(routes::RESOLUTIONS), page, "resolutions")
            }
            Job::PartnersIndex => {
                let page = partners_index(&mut ctx, site, v);
                (p(routes::PARTNERS), page, "partners")
            }
            Job::TagsIndex => (
                p(routes::TAGS),
                simple(site, &v.labels.titles.tags, &p(routes::TAGS)),
                "tags",
            ),
            Job::Tag(i, n) => {
                let path = routes::tag(site.prefix(), &site.tags[i].slug, n);
                let page = tag_page(&mut ctx, site, v, (i, n), &path);
                (path.into(), page, "tag")
            }
            Job::Search => {
                ctx.insert_value("noindex", true.into());
                let path = p(routes::SEARCH);
                let page = simple(site, &v.labels.titles.search, &path);
                (path, page, "search")
            }
            Job::Story(i) => {
                neighbours(&mut ctx, v, i);
                (entry_path(&site.stories[i]), v.stories[i].clone(), "story")
            }
            Job::Resolution(i) => (
                entry_path(&site.resolutions[i]),
                v.resolutions[i].clone(),
                "resolution",
            ),
            Job::Partner(i) => (
                entry_path(&site.partners[i]),
                v.partners[i].clone(),
                "partner",
            ),
            Job::Page(i) => (entry_path(&site.pages[i]), v.pages[i].clone(), "page"),
            Job::File(_, out) => (p(out), simple(site, &site.config.title, &p(out)), "feed"),
            // Written without a template (see `data.rs`); for completeness only.
            Job::Data(file) => {
                let out = p(file.out());
                (out.clone(), simple(site, &site.config.title, &out), "data")
            }
            Job::SitemapIndex => {
                let path = p(routes::SITEMAP);
                (
                    path.clone(),
                    simple(site, &site.config.title, &path),
                    "feed",
                )
            }
            Job::SitemapPart(n) => {
                let path = routes::sitemap_part(site.prefix(), n);
                let page = simple(site, &site.config.title, &path);
                (path.into(), page, "feed")
            }
            Job::Feed(of, format) => {
                let path = super::feed::out(site, of, format);
                let title = super::feed::context(&mut ctx, site, v, of);
                let page = simple(site, &title, &path);
                (path.into(), page, "feed")
            }
        };
        with_page(ctx, site, v, page, (kind, &path), names)
    }
}

/// An entry's page address.
fn entry_path<M>(e: &Entry<M>) -> Cow<'_, str> {
    Cow::Borrowed(&e.path)
}

/// The `page` of a page that is no entry: its title, the site's description, its address.
fn simple(site: &Site, title: &str, path: &str) -> Value {
    Obj::new()
        .set("title", title)
        .set("description", site.config.description.as_str())
        .set("url", site.url(path))
        .set("permalink", site.permalink(path))
        .set("draft", false)
        .build()
}

fn home(ctx: &mut Context, site: &Site, v: &Values) -> Value {
    let (featured, latest) = home_lists(site);
    ctx.insert_value(
        "featured",
        list(featured.iter().map(|&i| v.stories[i].clone())),
    );
    ctx.insert_value("latest", list(latest.iter().map(|&i| v.stories[i].clone())));
    simple(site, &site.config.title, "")
}

/// The not-found page, whose `url` is the home page's (it is served at any address).
fn not_found(ctx: &mut Context, site: &Site, v: &Values) -> Value {
    let mut p = simple(
        site,
        &v.labels.titles.not_found,
        &routes::within(site.prefix(), routes::NOT_FOUND),
    );
    if let Some(m) = p.as_map().cloned() {
        let mut m = m;
        m.insert("url".into(), site.url("").into());
        p = Value::from(m);
    }
    ctx.insert_value("noindex", true.into());
    p
}

/// Page `n` of the list of all stories, at `path`.
fn stories_index(ctx: &mut Context, site: &Site, v: &Values, n: usize, path: &str) -> Value {
    let items = on_page(&v.stories, n, site.config.stories_per_page).to_vec();
    ctx.insert_value(
        "paginator",
        paginator(site, items, n, site.story_pages, site.stories.len(), &|k| {
            routes::stories(site.prefix(), k).into_owned()
        }),
    );
    let stories = &v.labels.titles.stories;
    let title = if n == 1 {
        stories.clone()
    } else {
        format!("{stories}, {} {n}", v.labels.titles.page)
    };
    simple(site, &title, path)
}

/// The resolutions by year, with the bodies and kinds to filter them by.
fn resolutions_index(ctx: &mut Context, site: &Site, v: &Values) -> Value {
    ctx.insert_value("years", resolution_years(site, v));
    ctx.insert_value(
        "bodies",
        facet(site.resolutions.iter().map(|r| r.doc.meta.body.clone())),
    );
    let count = |is: &dyn Fn(&crate::content::Resolution) -> bool| {
        site.resolutions.iter().filter(|r| is(&r.doc.meta)).count()
    };
    let l = &v.labels;
    let kinds = ResolutionKind::ALL.map(|k| (k.key(), l.kind(k), count(&|m| m.kind == k)));
    ctx.insert_value("kinds", counted(kinds));
    let stances = Stance::ALL.map(|st| (st.key(), l.stance(st), count(&|m| m.stance == Some(st))));
    ctx.insert_value("stances", counted(stances));
    simple(
        site,
        &l.titles.resolutions,
        &routes::within(site.prefix(), routes::RESOLUTIONS),
    )
}

/// `{key, label, count}` for each value of a vocabulary that some entries have.
fn counted<'a>(values: impl IntoIterator<Item = (&'a str, Value, usize)>) -> Value {
    list(
        values
            .into_iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(key, label, n)| {
                Obj::new()
                    .set("key", key)
                    .set("label", label)
                    .set("count", n)
                    .build()
            }),
    )
}

/// The partners, grouped by type and by region; the bodies whose standards the campaign
/// cites (independent UN and regional mechanisms) apart, by type: they are not its members.
fn partners_index(ctx: &mut Context, site: &Site, v: &Values) -> Value {
    let all = |_: &Partner| true;
    let member = |p: &Partner| !p.is_cited_body();
    let cited = |p: &Partner| p.is_cited_body();
    ctx.insert_value("by_type", partner_groups(site, v, true, &member));
    ctx.insert_value("by_region", partner_groups(site, v, false, &all));
    ctx.insert_value("cited_by_type", partner_groups(site, v, true, &cited));
    ctx.insert_value("countries", partner_countries(site, v));
    simple(
        site,
        &v.labels.titles.partners,
        &routes::within(site.prefix(), routes::PARTNERS),
    )
}

/// The countries the partners are based in, as `{code, name, count}`: most partners first,
/// then by name. The theme's world map colours them.
fn partner_countries(site: &Site, v: &Values) -> Value {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &site.partners {
        if let Some(code) = p.doc.meta.country.as_deref() {
            *counts.entry(code).or_default() += 1;
        }
    }
    let mut rows: Vec<(&str, Value, usize)> = counts
        .into_iter()
        .map(|(code, n)| (code, v.labels.country(code).unwrap_or(code.into()), n))
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.as_str().cmp(&b.1.as_str())));
    list(rows.into_iter().map(|(code, name, count)| {
        Obj::new()
            .set("code", code)
            .set("name", name)
            .set("count", count)
            .build()
    }))
}

/// Page `n` of tag `i`'s story list, at `path`.
fn tag_page(
    ctx: &mut Context,
    site: &Site,
    v: &Values,
    (i, n): (usize, usize),
    path: &str,
) -> Value {
    let t = &site.tags[i];
    let items: Vec<Value> = on_page(&t.stories, n, site.config.stories_per_page)
        .iter()
        .map(|&s| v.stories[s].clone())
        .collect();
    let pages = site.tag_pages(t);
    ctx.insert_value("tag", v.tags[i].clone());
    ctx.insert_value(
        "paginator",
        paginator(site, items, n, pages, t.stories.len(), &|k| {
            routes::tag(site.prefix(), &t.slug, k)
        }),
    );
    let label = crate::render::ui::tag_label(&v.tag_labels, &site.config, &t.slug, &t.name);
    let (on, page) = (&v.labels.titles.stories_on, &v.labels.titles.page);
    let title = if n == 1 {
        format!("{on} {label}")
    } else {
        format!("{on} {label}, {page} {n}")
    };
    simple(site, &title, path)
}

/// A story's `previous` (older) and `next` (newer) story: stories are newest first.
fn neighbours(ctx: &mut Context, v: &Values, i: usize) {
    ctx.insert_value("previous", v.stories.get(i + 1).map(link_value).into());
    ctx.insert_value(
        "next",
        i.checked_sub(1)
            .and_then(|j| v.stories.get(j))
            .map(link_value)
            .into(),
    );
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
    ctx.insert("kind", kind);
    let card = share_card(site, kind, path);
    if names.structured_data {
        let photo = page
            .get_from_path("image.share.url")
            .and_then(Value::as_str);
        let card_url = card.as_ref().and_then(|c| c.get_from_path("url")?.as_str());
        let data = super::schema::structured_data(site, &v.schema, &page, kind, photo.or(card_url));
        ctx.insert_value("structured_data", Value::safe_string(&data));
    }
    ctx.insert_value("page", page);
    if let Some(card) = card {
        ctx.insert_value("share_card", card);
    }
    if site.langs.all.len() > 1 {
        ctx.insert_value("alternates", alternates(site, path));
    }
    if names.current {
        ctx.insert("current_url", &url);
        ctx.insert("current_path", path);
    }
    (ctx, states)
}

/// The share card of the page at `path` (of kind `kind`), if it has one: a list page shares
/// its section's (the second page of the stories, a tag: the stories').
fn share_card(site: &Site, kind: &str, path: &str) -> Option<Value> {
    if site.share_cards.is_empty() {
        return None;
    }
    let p = site.prefix();
    let folder: Cow<str> = match kind {
        "home" | "404" => routes::within(p, routes::HOME),
        "stories" | "tag" | "tags" => routes::stories(p, 1),
        "resolutions" => routes::within(p, routes::RESOLUTIONS),
        "partners" => routes::within(p, routes::PARTNERS),
        "feed" => return None,
        _ => Cow::Borrowed(path),
    };
    let out = site.share_cards.get(&*folder)?;
    Some(
        crate::render::obj::Obj::new()
            .set("url", format!("{}{}", site.config.origin(), site.url(out)))
            .set("width", i64::from(crate::cards::WIDTH))
            .set("height", i64::from(crate::cards::HEIGHT))
            .build(),
    )
}

/// The languages the page at `path` exists in, each with its address there, for the
/// language switcher and `hreflang` links: `[{code, name, dir, url, permalink, current,
/// default}]`.
fn alternates(site: &Site, path: &str) -> Value {
    let langs = &site.langs;
    let neutral = path.strip_prefix(site.prefix()).unwrap_or(path);
    list(langs.of(neutral).map(|l| {
        let lang = &langs.all[l];
        let there = format!("{}{neutral}", lang.prefix);
        Obj::new()
            .set("code", &*lang.code)
            .set("name", lang.name.as_str())
            .set("dir", lang.dir.as_str())
            .set("url", site.url(&there))
            .set("permalink", site.permalink(&there))
            .set("current", lang.code == site.lang.code)
            .set("default", l == 0)
            .build()
    }))
}

/// Which of a page's own names its template reads. Each name in a page's context costs a
/// comparison in every lookup of a name that sorts after it (`page`, `site`...), 1 % of a
/// build for `current_url` and `current_path`, so names a template does not read are left
/// out.
#[derive(Clone, Copy, Hash)]
pub(super) struct PageNames {
    pub(super) menu: bool,
    pub(super) current: bool,
    pub(super) structured_data: bool,
}

impl PageNames {
    pub(super) const ALL: PageNames = PageNames {
        menu: true,
        current: true,
        structured_data: true,
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

/// The partners that pass `keep`, in groups of one type or one region.
fn partner_groups(
    site: &Site,
    v: &Values,
    by_type: bool,
    keep: &dyn Fn(&Partner) -> bool,
) -> Value {
    let l = &v.labels;
    let keys: Vec<(&str, Value)> = if by_type {
        PartnerType::ALL
            .iter()
            .map(|&t| (t.key(), l.partner_type(t)))
            .collect()
    } else {
        Region::ALL
            .iter()
            .map(|&r| (r.key(), l.region(r)))
            .collect()
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
            .filter(|(_, p)| key_of(&p.doc.meta) == key && keep(&p.doc.meta))
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
