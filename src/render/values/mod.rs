//! Every entry as a Tera value, made once per build and shared by every page that shows it;
//! an entry whose ingredients are unchanged keeps last build's value.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use tera::{Tera, Value};

use super::cards::Cards;
use super::deps::TemplateInfoRef;
use super::embeds::expand;
use super::memo::{Memoized, Positions, RenderMemo};
use super::obj::{Obj, list};
use crate::content::Collection;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::{Embed, Entry, Site, hash_one};

mod entries;
mod refs;

use entries::{page_value, partner_value, resolution_value, story_value};
use refs::SharedRefs;
pub(super) use refs::{partner_fields, res_ref};

/// Values shared by all pages of one build, with the hash of each (see [`RenderMemo`]).
pub(super) struct Values {
    /// Per menu item: its value as pages elsewhere, its own page and pages in its section
    /// show it (`current` is "", "page", "section"); see [`with_page`](super::context::with_page).
    pub(super) menu: Vec<[Value; 3]>,
    pub(super) stories: Vec<Value>,
    pub(super) resolutions: Vec<Value>,
    pub(super) partners: Vec<Value>,
    pub(super) pages: Vec<Value>,
    pub(super) tags: Vec<Value>,
    pub(super) hashes: ValueHashes,
}

pub(super) struct ValueHashes {
    pub(super) stories: Vec<u64>,
    pub(super) resolutions: Vec<u64>,
    pub(super) partners: Vec<u64>,
    pub(super) pages: Vec<u64>,
    pub(super) tags: Vec<u64>,
}

/// Each entry's body HTML, per collection, moved out of the site when nothing else holds it
/// (a one-shot build, whose link memo keeps no bodies): each is then freed as soon as its
/// template value holds a copy, so the site's HTML is not held twice (110 MB at 10,000
/// stories). `None` where the body is shared; render reads it from the site then.
pub(super) struct OwnedHtml(pub(super) [Vec<Option<String>>; 4]);

impl OwnedHtml {
    pub(super) fn take(site: &mut Site) -> OwnedHtml {
        fn take_all<M>(entries: &mut [Entry<M>]) -> Vec<Option<String>> {
            entries
                .iter_mut()
                .map(|e| Arc::get_mut(&mut e.body).map(|b| std::mem::take(&mut b.html)))
                .collect()
        }
        OwnedHtml([
            take_all(&mut site.stories),
            take_all(&mut site.resolutions),
            take_all(&mut site.partners),
            take_all(&mut site.pages),
        ])
    }
}

/// Builds every entry's value, reusing `memo` where the ingredients are unchanged. Bodies
/// with embeds are expanded only for entries that are rebuilt.
pub(super) fn values(
    site: &Site,
    owned: &mut OwnedHtml,
    tera: &Tera,
    t: &TemplateInfoRef,
    memo: &mut RenderMemo,
) -> Result<Values, Diagnostics> {
    let mut diags = Diagnostics::new();
    let cards = Cards::find(t, &mut diags);
    let base = hash_one(&(
        &t.info.site_config,
        &site.options.today,
        site.options.drafts,
        cards.hash,
    ));
    let embed_refs = |embeds: &[Embed]| {
        if embeds.is_empty() {
            return 0;
        }
        let mut h = std::hash::DefaultHasher::new();
        t.info.components.hash(&mut h);
        for e in embeds {
            match e {
                Embed::Cite { resolution, .. } => {
                    let d = &site.resolutions[*resolution].doc;
                    (d.file.version, &d.id).hash(&mut h);
                }
                Embed::Partner { partner } => {
                    let d = &site.partners[*partner].doc;
                    (d.file.version, &d.id).hash(&mut h);
                }
                _ => {}
            }
        }
        h.finish()
    };
    let own = |c: Collection, doc_version: u64, id: &str, embeds: &[Embed]| {
        hash_one(&(base, c, doc_version, id, embed_refs(embeds)))
    };
    let old = &memo.values;
    let errors = std::sync::Mutex::new(Vec::new());
    // (hash, value, whether it was built now)
    let reuse = |c: Collection,
                 id: &str,
                 ingredients: u64,
                 build: &dyn Fn() -> Result<Value, Diagnostic>|
     -> (u64, Value, bool) {
        if let Some((h, v)) = old[c as usize].get(id)
            && *h == ingredients
        {
            return (*h, v.clone(), false);
        }
        match build() {
            Ok(v) => (ingredients, v, true),
            Err(d) => {
                if let Ok(mut e) = errors.lock() {
                    e.push(d);
                }
                (ingredients, Value::none(), true)
            }
        }
    };

    // The fast path of an edit that keeps the shape: when no cited resolution or partner
    // and nothing else a story value reads changed, story `i` is reused if its own file is
    // the one it was made from, without hashing its ingredients.
    let versions = |v: &mut dyn Iterator<Item = u64>| v.collect::<Vec<u64>>();
    let res_versions = versions(&mut site.resolutions.iter().map(|e| e.doc.file.version));
    let partner_versions = versions(&mut site.partners.iter().map(|e| e.doc.file.version));
    let story_versions = versions(&mut site.stories.iter().map(|e| e.doc.file.version));
    let salt = hash_one(&(base, t.info.components));
    let last = &memo.last;
    let quick = last.shape == Some(site.shape)
        && last.salt == salt
        && last.resolution_versions == res_versions
        && last.partner_versions == partner_versions
        && last.stories.len() == site.stories.len();
    let shared = SharedRefs::new(site);
    let stories: Vec<(u64, Value, bool)> = site
        .stories
        .par_iter()
        .zip(owned.0[0].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            if quick && last.story_versions[i] == e.doc.file.version {
                let (h, v) = &last.stories[i];
                return (*h, v.clone(), false);
            }
            let mut h = std::hash::DefaultHasher::new();
            (
                e.image_size,
                own(
                    Collection::Stories,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                &e.image_url,
            )
                .hash(&mut h);
            for &r in site.story_resolutions[i].iter() {
                let d = &site.resolutions[r].doc;
                (d.file.version, &d.id).hash(&mut h);
            }
            0xffu8.hash(&mut h);
            for &p in site.story_partners[i].iter() {
                let d = &site.partners[p].doc;
                (d.file.version, &d.id).hash(&mut h);
            }
            let h = h.finish();
            reuse(Collection::Stories, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = story_value(site, &shared, i, e, &html);
                cards.add(Collection::Stories, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let cited = |ids: &[usize]| -> (Value, u64) {
        (
            list(ids.iter().map(|&s| stories[s].1.clone())),
            hash_one(&ids.iter().map(|&s| stories[s].0).collect::<Vec<_>>()),
        )
    };
    let resolutions: Vec<(u64, Value, bool)> = site
        .resolutions
        .par_iter()
        .zip(owned.0[1].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            let (cited_by, cited_hash) = cited(&site.resolution_cited_by[i]);
            let h = hash_one(&(
                own(
                    Collection::Resolutions,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                cited_hash,
            ));
            reuse(Collection::Resolutions, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = resolution_value(site, e, &html, cited_by.clone());
                cards.add(Collection::Resolutions, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let partners: Vec<(u64, Value, bool)> = site
        .partners
        .par_iter()
        .zip(owned.0[2].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            let (cited_by, cited_hash) = cited(&site.partner_cited_by[i]);
            let h = hash_one(&(
                own(
                    Collection::Partners,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                cited_hash,
                &e.image_url,
            ));
            reuse(Collection::Partners, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = partner_value(site, e, &html, cited_by.clone());
                cards.add(Collection::Partners, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let pages: Vec<(u64, Value, bool)> = site
        .pages
        .par_iter()
        .zip(owned.0[3].par_iter_mut())
        .map(|(e, taken)| {
            let html = taken.take();
            let h = own(Collection::Pages, e.doc.file.version, &e.doc.id, &e.embeds);
            reuse(Collection::Pages, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                Ok(page_value(site, e, &html))
            })
        })
        .collect();
    let tags: Vec<Memoized> = site
        .tags
        .iter()
        .map(|tag| {
            let h = hash_one(&(&tag.name, &tag.slug, tag.stories.len()));
            let v = Obj::new()
                .set("name", tag.name.as_str())
                .set("slug", tag.slug.as_str())
                .set("url", site.url(&format!("tags/{}/", tag.slug)))
                .set("permalink", site.permalink(&format!("tags/{}/", tag.slug)))
                .set("count", tag.stories.len())
                .build();
            (h, v)
        })
        .collect();

    let mut keep = |c: Collection, ids: Vec<&str>, vals: Vec<(u64, Value, bool)>| {
        let kept = &mut memo.values[c as usize];
        let count = ids.len();
        let mut hashes = Vec::with_capacity(count);
        let mut values = Vec::with_capacity(count);
        for (id, (h, v, fresh)) in ids.iter().zip(vals) {
            if fresh {
                kept.insert(id.to_string(), (h, v.clone()));
            }
            hashes.push(h);
            values.push(v);
        }
        if kept.len() > count {
            let current: HashSet<&str> = ids.into_iter().collect();
            kept.retain(|id, _| current.contains(id.as_str()));
        }
        (hashes, values)
    };
    let (story_h, stories) = keep(
        Collection::Stories,
        site.stories.iter().map(|e| e.doc.id.as_str()).collect(),
        stories,
    );
    memo.last = Positions {
        shape: Some(site.shape),
        salt,
        resolution_versions: res_versions,
        partner_versions,
        story_versions,
        stories: story_h
            .iter()
            .copied()
            .zip(stories.iter().cloned())
            .collect(),
        jobs: std::mem::take(&mut memo.last.jobs),
        prints: std::mem::take(&mut memo.last.prints),
        pages_shape: memo.last.pages_shape,
    };
    let (res_h, resolutions) = keep(
        Collection::Resolutions,
        site.resolutions.iter().map(|e| e.doc.id.as_str()).collect(),
        resolutions,
    );
    let (partner_h, partners) = keep(
        Collection::Partners,
        site.partners.iter().map(|e| e.doc.id.as_str()).collect(),
        partners,
    );
    let (page_h, pages) = keep(
        Collection::Pages,
        site.pages.iter().map(|e| e.doc.id.as_str()).collect(),
        pages,
    );
    diags.extend(errors.into_inner().unwrap_or_default());
    if diags.has_errors() {
        // Nothing of a build that failed is kept.
        memo.values.iter_mut().for_each(|m| m.clear());
        memo.last = Positions::default();
        return Err(diags);
    }
    let (tag_h, tags): (Vec<u64>, Vec<Value>) = tags.into_iter().unzip();
    Ok(Values {
        hashes: ValueHashes {
            stories: story_h,
            resolutions: res_h,
            partners: partner_h,
            pages: page_h,
            tags: tag_h,
        },
        menu: site
            .menu
            .iter()
            .map(|m| {
                ["", "page", "section"].map(|current| {
                    Obj::new()
                        .set("name", m.name.as_str())
                        .set("url", m.url.as_str())
                        .set("highlight", m.highlight)
                        .set("current", current)
                        .build()
                })
            })
            .collect(),
        stories,
        resolutions,
        partners,
        pages,
        tags,
    })
}
