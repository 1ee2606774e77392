//! Stage 3, link: puts the parsed entries together into a [`Site`] ready to render.
//!
//! Gives every entry its URL (refusing two entries on one URL), renders Markdown with content
//! links resolved, checks every cross-reference (front-matter ids, `@/` links, heading anchors,
//! images) and computes what lists need: sort orders, tags, backlinks. All problems are
//! collected; a site with errors is not returned.
//!
//! [`link`] runs the steps in order, one file each: `site.rs` chooses the entries and sorts
//! them (and defines what render receives); `shape.rs` makes the tables that depend only on
//! which entries exist, from `routes.rs` (output files, content keys), `tags.rs` and `refs.rs`
//! (front-matter references); `bodies.rs` renders the Markdown, with links resolved by
//! `resolve.rs` and embeds checked by `embeds/`; `anchors.rs` checks heading anchors;
//! `refs.rs` checks front-matter images and templates; `menu.rs` makes the main menu.
//! `memo.rs` holds what a rebuild reuses.

mod absent;
pub mod aliases;
mod anchors;
mod bodies;
mod embeds;
pub mod languages;
mod memo;
mod menu;
mod refs;
mod resolve;
mod routes;
mod shape;
mod site;
mod tags;

pub use embeds::{Embed, signatures as embed_signatures};
pub use languages::{Langs, View, link_all};
pub use memo::{LeftOut, LinkMemo};
pub use menu::{FooterLinks, MenuLink};
pub(crate) use shape::hash_one;
pub use site::{BuildOptions, Entry, Site};
pub use tags::Tag;

use crate::content::Content;
use crate::diagnostics::Diagnostics;
use crate::load::Sources;
use resolve::LinkCtx;

/// Links `content` into a site in the language of `view`, with its warnings and its tables
/// (the default language's are the other languages' `fallback`); or, when there is an
/// error, every problem. `sources` provides the assets and templates folder list.
fn link(
    sources: &Sources,
    content: Content,
    options: &BuildOptions,
    memo: &mut LinkMemo,
    view: &View,
    fallback: Option<&shape::Tables>,
) -> Result<(Site, Diagnostics, std::sync::Arc<shape::Tables>), Diagnostics> {
    let timer = crate::profile::Timer::start();
    let mut diags = Diagnostics::new();
    let config = sources.config.clone();
    let base_path = config.base_path();
    let mut absent = absent::Absent::default();
    let unreadable_files = sources
        .unreadable
        .iter()
        .filter_map(|(path, at)| crate::content::Unreadable::file(path, at.clone()));
    for u in content.broken.iter().cloned().chain(unreadable_files) {
        // A partner whose list row failed may still have a file of its own.
        if !content.has(u.collection, &u.id) {
            absent.unreadable(&u);
        }
    }
    let (stories, resolutions, partners, pages) = site::choose(content, options, &mut absent);
    memo.left_out = absent.left_out();

    timer.mark("  filter+sort");
    let docs = (&stories[..], &resolutions[..], &partners[..], &pages[..]);
    let shape = shape::shape_of(sources, &config, docs, &absent, view, fallback);
    let tables = memo.tables(shape, &mut diags, |found| {
        shape::tables(
            sources,
            &config,
            &base_path,
            docs,
            absent,
            found,
            (view, fallback),
        )
    });

    timer.mark("  tables");
    let (redirects, alias_diags) = aliases::collect(docs, view, &|file| {
        taken((docs, view), &tables, sources, file)
    });
    diags.extend(alias_diags);
    let ctx = LinkCtx::new(&tables, &config, &base_path, view, fallback);
    let docs = (stories, resolutions, partners, pages);
    let bodies::Bodies {
        mut stories,
        resolutions,
        mut partners,
        pages,
        with_anchors,
        tocs_changed,
    } = bodies::link_all(docs, &ctx, tables.env, memo, &mut diags);

    timer.mark("  bodies");
    let entries = (&stories[..], &resolutions[..], &partners[..], &pages[..]);
    let (env, targets) = (tables.env, &tables.targets);
    anchors::check(
        &with_anchors,
        tocs_changed,
        env,
        targets,
        entries,
        memo,
        &mut diags,
    );

    timer.mark("  anchors");
    refs::images(&ctx, &mut stories, &mut partners, &mut diags);
    refs::page_templates(sources, &pages, &mut diags);

    timer.mark("  images");
    let menu = menu::menu(sources, &ctx, &pages, &mut diags);
    let footer = menu::footer(sources, &ctx, &mut diags);

    if !view.default {
        diags.0.retain(|d| view.reports(d));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let site = Site {
        config,
        base_path,
        options: options.clone(),
        stories,
        resolutions,
        partners,
        pages,
        tags: tables.tags.clone(),
        story_resolutions: tables.story_resolutions.clone(),
        story_partners: tables.story_partners.clone(),
        resolution_cited_by: tables.resolution_cited_by.clone(),
        partner_cited_by: tables.partner_cited_by.clone(),
        menu,
        footer,
        assets: if view.default {
            assets(&tables, sources, options)
        } else {
            Vec::new()
        },
        story_pages: tables.story_pages,
        shape,
        link_env: tables.env,
        lang: view.lang.clone(),
        langs: Default::default(),
        // Only for `hreflang` alternates, which a site in one language has none of.
        page_folders: if sources.config.is_multilingual() {
            languages::folders(tables.routes.keys())
        } else {
            Vec::new()
        },
        share_cards: Default::default(),
        redirects: Vec::new(),
        fingerprints: if options.fingerprint {
            sources.fingerprints.clone()
        } else {
            Default::default()
        },
    };
    let mut site = site;
    site.redirects = redirects;
    Ok((site, diags, tables))
}

/// Who writes `file` (a page or a copied file of this language's site), for an alias that
/// would overwrite it.
fn taken(
    ((stories, resolutions, partners, pages), view): (shape::Docs, &View),
    tables: &shape::Tables,
    sources: &Sources,
    file: &str,
) -> Option<String> {
    use crate::content::Collection;
    if let Some(owner) = tables.routes.get(file) {
        let place = |c: Collection, i: usize| match c {
            Collection::Stories => routes::Place::of(&stories[i]),
            Collection::Resolutions => routes::Place::of(&resolutions[i]),
            Collection::Partners => routes::Place::of(&partners[i]),
            Collection::Pages => routes::Place::of(&pages[i]),
        };
        return Some(owner.describe(&place));
    }
    if let Some(a) = tables.assets.get(file) {
        return Some(format!("the file `{}`", a.source));
    }
    let search = crate::routes::page_file(&crate::routes::within(
        &view.lang.prefix,
        crate::routes::SEARCH,
    ));
    let theme_search = format!("theme/{}", crate::search::TEMPLATE);
    let has_search = (sources.templates.iter())
        .any(|t| t.path == crate::search::TEMPLATE || t.path == theme_search);
    (file == search && has_search).then(|| "the search page".into())
}

/// The files copied as they are, the theme's stylesheets and scripts under their
/// fingerprinted names when the build asks for them.
fn assets(
    tables: &shape::Tables,
    sources: &Sources,
    options: &BuildOptions,
) -> Vec<crate::load::Asset> {
    let mut assets: Vec<crate::load::Asset> = tables.assets.values().cloned().collect();
    if options.fingerprint {
        for a in &mut assets {
            if let Some(named) = sources.fingerprints.get(&a.out) {
                a.out = named.clone();
            }
        }
        assets.sort_by(|a, b| a.out.cmp(&b.out));
    }
    assets
}
