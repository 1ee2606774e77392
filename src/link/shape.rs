//! The tables that depend only on the site's shape (which entries exist, in which order, with
//! which ids, bundles, tags and references; the assets; the config), and the hash of that
//! shape: most edits change no table, and a rebuild reuses them all.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::absent::Absent;
use super::languages::View;
use super::refs::front_matter_refs;
use super::routes::{Owner, Place, Target, entry_routes};
use super::tags::{self, Tag, tag_map};
use crate::config::SiteConfig;
use crate::content::{Collection, Doc, Page, Partner, Resolution, Story};
use crate::diagnostics::Diagnostics;
use crate::load::{Asset, Sources};

/// A hash that does not depend on iteration order: for sets kept in hash maps.
fn set_hash<'a, T: Hash + 'a>(items: impl Iterator<Item = T>) -> u64 {
    items.fold(0u64, |acc, t| acc ^ hash_one(&t))
}

/// The hash of one value, for memo keys.
pub(crate) fn hash_one<T: Hash>(t: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// The tables of a site that depend only on its shape: which entries exist, in which order,
/// their ids, bundles, tags and references, the assets and the config; not on titles or
/// bodies. Most edits leave the shape as it was and reuse them (see [`shape_of`]).
pub(super) struct Tables {
    pub(super) routes: HashMap<String, Owner>,
    pub(super) targets: HashMap<String, Target>,
    pub(super) tags: Arc<Vec<Tag>>,
    pub(super) assets: BTreeMap<String, Asset>,
    pub(super) res_lookup: HashMap<String, (usize, Vec<String>)>,
    pub(super) partner_lookup: HashMap<String, usize>,
    /// Entries files name that are not on the site, and why.
    pub(super) absent: Absent,
    /// A hash of everything a body's rendering depends on besides its own file.
    pub(super) env: u64,
    pub(super) story_pages: usize,
    pub(super) story_resolutions: Arc<Vec<Vec<usize>>>,
    pub(super) story_partners: Arc<Vec<Vec<usize>>>,
    pub(super) resolution_cited_by: Arc<Vec<Vec<usize>>>,
    pub(super) partner_cited_by: Arc<Vec<Vec<usize>>>,
}

/// The entries of each collection, in display order.
pub(super) type Docs<'a> = (
    &'a [Arc<Doc<Story>>],
    &'a [Arc<Doc<Resolution>>],
    &'a [Arc<Doc<Partner>>],
    &'a [Arc<Doc<Page>>],
);

/// The front-matter fields of an entry that [`Tables`] read.
trait ShapeFields {
    fn hash_shape(&self, h: &mut std::hash::DefaultHasher);
}

impl ShapeFields for Story {
    fn hash_shape(&self, h: &mut std::hash::DefaultHasher) {
        (&self.tags, &self.resolutions, &self.partners).hash(h);
    }
}

impl ShapeFields for Resolution {
    fn hash_shape(&self, h: &mut std::hash::DefaultHasher) {
        for p in &self.paragraphs {
            p.number.hash(h);
        }
    }
}

impl ShapeFields for Partner {
    fn hash_shape(&self, _: &mut std::hash::DefaultHasher) {}
}

impl ShapeFields for Page {
    fn hash_shape(&self, _: &mut std::hash::DefaultHasher) {}
}

/// An entry's part of the shape, computed once per parsed file.
fn doc_shape<M: ShapeFields>(d: &Doc<M>) -> u64 {
    *d.shape.get_or_init(|| {
        let mut h = std::hash::DefaultHasher::new();
        (&d.id, &d.bundle, &d.file.path).hash(&mut h);
        d.meta.hash_shape(&mut h);
        h.finish()
    })
}

/// A hash of everything [`Tables`] are computed from: the entries in their order, the
/// assets, the entries left out and the config.
pub(super) fn shape_of(
    sources: &Sources,
    config: &SiteConfig,
    (stories, resolutions, partners, pages): Docs,
    absent: &Absent,
    view: &View,
    fallback: Option<&Tables>,
) -> u64 {
    fn all<M: ShapeFields + Send + Sync>(docs: &[Arc<Doc<M>>]) -> Vec<u64> {
        docs.par_iter().map(|d| doc_shape(d)).collect()
    }
    let mut h = std::hash::DefaultHasher::new();
    (
        serde_json::to_string(config).unwrap_or_default(),
        all(stories),
        all(resolutions),
        all(partners),
        all(pages),
        absent.hash(),
        (&view.lang, fallback.map(|t| t.env)),
    )
        .hash(&mut h);
    for a in sources.theme_assets.iter().chain(&sources.assets) {
        (&a.source, &a.out, &a.data, a.size, &a.variants).hash(&mut h);
    }
    h.finish()
}

/// Routes (refusing two owners of one file), content keys, tags, lookups and front-matter
/// references of a site of this shape.
pub(super) fn tables(
    sources: &Sources,
    config: &SiteConfig,
    base_path: &str,
    (stories, resolutions, partners, pages): Docs,
    absent: Absent,
    diags: &mut Diagnostics,
    (view, fallback): (&View, Option<&Tables>),
) -> Tables {
    // Assets: site files win over theme files of the same name.
    let mut assets: BTreeMap<String, Asset> = BTreeMap::new();
    for a in &sources.theme_assets {
        assets.insert(a.out.clone(), a.clone());
    }
    for a in &sources.assets {
        assets.insert(a.out.clone(), a.clone());
    }
    // Where an entry's file is, for messages: looked up only when there is one to make.
    let place = |c: Collection, i: usize| match c {
        Collection::Stories => Place::of(&stories[i]),
        Collection::Resolutions => Place::of(&resolutions[i]),
        Collection::Partners => Place::of(&partners[i]),
        Collection::Pages => Place::of(&pages[i]),
    };
    // Routes, tags and front-matter references are independent passes over every entry,
    // each bound by memory more than by computation: side by side.
    let docs = (stories, resolutions, partners, pages);
    let (((mut routes, targets, story_pages, route_diags), (tag_map, tag_diags)), refs) =
        rayon::join(
            || {
                rayon::join(
                    || entry_routes(docs, config, &place, view, fallback.map(|f| &f.targets)),
                    || tag_map(stories),
                )
            },
            || front_matter_refs(stories, resolutions, partners, &absent),
        );
    let (res_index_diags, story_resolutions, story_partners, resolution_cited_by, partner_cited_by) =
        refs;
    diags.extend(route_diags);
    diags.extend(tag_diags);
    tags::claim_pages(
        &tag_map,
        config,
        &view.lang.prefix,
        &mut routes,
        diags,
        &place,
    );
    super::routes::check_assets(&routes, &assets, diags, &place);

    // What embeds look up: a resolution's position and key paragraphs, a partner's position.
    let res_lookup: HashMap<String, (usize, Vec<String>)> = resolutions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                d.id.clone(),
                (
                    i,
                    d.meta.paragraphs.iter().map(|p| p.number.clone()).collect(),
                ),
            )
        })
        .collect();
    let partner_lookup: HashMap<String, usize> = partners
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), i))
        .collect();
    // Everything a body's rendering depends on besides its own file.
    let env = hash_one(&(
        (config.raw_html, &config.forms, &config.base_url),
        set_hash(
            targets
                .iter()
                .map(|(k, t)| (k, &t.path, t.collection, t.index)),
        ),
        set_hash(routes.keys()),
        assets.keys().collect::<Vec<_>>(),
        base_path,
        absent.hash(),
        set_hash(res_lookup.iter()),
        set_hash(partner_lookup.iter()),
        // Another language's links may also name the default language's pages.
        fallback.map(|f| f.env),
    ));
    diags.extend(res_index_diags);
    Tables {
        routes,
        targets,
        tags: Arc::new(tag_map.into_values().collect()),
        assets,
        res_lookup,
        partner_lookup,
        absent,
        env,
        story_pages,
        story_resolutions: Arc::new(story_resolutions),
        story_partners: Arc::new(story_partners),
        resolution_cited_by: Arc::new(resolution_cited_by),
        partner_cited_by: Arc::new(partner_cited_by),
    }
}
