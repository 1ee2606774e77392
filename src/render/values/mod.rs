//! Every entry as a Tera value, made once per build and shared by every page that shows it;
//! an entry whose ingredients are unchanged keeps last build's value.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tera::{Tera, Value};

use super::cards::Cards;
use super::deps::TemplateInfoRef;
use super::embeds::expand;
use super::errors::RenderError;
use super::memo::{Memoized, Positions, RenderMemo};
use super::obj::{Obj, list};
use crate::content::{Collection, Story};
use crate::link::{Embed, Entry, Site, hash_one};

mod entries;
mod refs;

use crate::render::ui::{Labels, TagLabels, tag_labels};
use crate::strings::Strings;
pub(super) use entries::tag_value;
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
    /// Topic names from the strings of the language rendered.
    pub(super) tag_labels: TagLabels,
    /// The vocabularies' labels and country names in the language rendered.
    pub(super) labels: Labels,
    /// What every page's JSON-LD shares.
    pub(super) schema: super::schema::Common,
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
    lang: &str,
    strings: &Strings,
) -> Result<Values, Vec<RenderError>> {
    let labels = tag_labels(strings, lang);
    let vocab = Labels::new(strings, lang, site);
    let sentences = entries::Sentences::new(site, lang, strings);
    let mut errors = Vec::new();
    let cards = Cards::find(t, &mut errors);
    let base = hash_one(&(
        &t.info.site_config,
        t.info.strings,
        lang,
        &site.options.today,
        site.options.drafts,
        cards.hash,
        site.link_env,
    ));
    let failed = Mutex::new(Vec::new());
    let b = Builder {
        site,
        tera,
        t,
        cards: &cards,
        base,
        old: &memo.values,
        errors: &failed,
        lang,
        labels: &labels,
        vocab: &vocab,
        sentences: &sentences,
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
    let [stories, resolutions, partners, pages] = b.all(owned, quick.then_some(last));
    let tags: Vec<Memoized> = site
        .tags
        .iter()
        .map(|tag| {
            let h = hash_one(&(&tag.name, &tag.slug, tag.stories.len()));
            (h, tag_value(site, tag, &labels))
        })
        .collect();

    let [kept_stories, kept_resolutions, kept_partners, kept_pages] = &mut memo.values;
    let (story_h, stories) = keep(kept_stories, ids(&site.stories), stories);
    let last = &mut memo.last;
    last.shape = Some(site.shape);
    last.salt = salt;
    last.resolution_versions = res_versions;
    last.partner_versions = partner_versions;
    last.story_versions = story_versions;
    last.stories = story_h
        .iter()
        .copied()
        .zip(stories.iter().cloned())
        .collect();
    let (res_h, resolutions) = keep(kept_resolutions, ids(&site.resolutions), resolutions);
    let (partner_h, partners) = keep(kept_partners, ids(&site.partners), partners);
    let (page_h, pages) = keep(kept_pages, ids(&site.pages), pages);
    errors.extend(failed.into_inner().unwrap_or_default());
    if errors.iter().any(|e| e.diagnostic.is_error()) {
        // Nothing of a build that failed is kept.
        memo.values.iter_mut().for_each(|m| m.clear());
        memo.last = Positions::default();
        return Err(errors);
    }
    let (tag_h, tags): (Vec<u64>, Vec<Value>) = tags.into_iter().unzip();
    Ok(Values {
        schema: super::schema::Common::new(site, &vocab.titles),
        tag_labels: labels,
        labels: vocab,
        hashes: ValueHashes {
            stories: story_h,
            resolutions: res_h,
            partners: partner_h,
            pages: page_h,
            tags: tag_h,
        },
        menu: menu_values(site),
        stories,
        resolutions,
        partners,
        pages,
        tags,
    })
}

/// The main menu's items, each as pages elsewhere, its own page and pages in its section
/// show it.
fn menu_values(site: &Site) -> Vec<[Value; 3]> {
    site.menu
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
        .collect()
}

/// What an entry's value is made from: its hash and what the value needs besides the entry,
/// or, on a fast path that knows without hashing, the value itself.
enum Ingredients<X> {
    Known(u64, Value),
    Hashed(u64, X),
}

/// What every collection's values are built with.
struct Builder<'a> {
    site: &'a Site,
    tera: &'a Tera,
    t: &'a TemplateInfoRef<'a>,
    cards: &'a Cards,
    /// Hash of what every value depends on: the site's configuration, the date, the cards,
    /// the link environment its body was rendered in.
    base: u64,
    /// Last build's values, per collection: id → value.
    old: &'a [HashMap<String, Memoized>; 4],
    /// The errors of values that could not be built.
    errors: &'a Mutex<Vec<RenderError>>,
    /// The language dates are shown in.
    lang: &'a str,
    labels: &'a TagLabels,
    /// The vocabularies' labels, roles and countries (see [`Labels`]).
    vocab: &'a Labels,
    /// The sentences a story's value carries (see `entries::Sentences`).
    sentences: &'a entries::Sentences,
}

impl Builder<'_> {
    /// Every collection's values: (hash, value, whether it was built now) per entry, in the
    /// site's order. Stories first: the others list the stories that cite them. With `last`
    /// (the fast path, see [`values`]), story `i` whose file is the one its value was made
    /// from keeps last build's value without hashing.
    fn all(&self, owned: &mut OwnedHtml, last: Option<&Positions>) -> [Vec<(u64, Value, bool)>; 4] {
        let site = self.site;
        let shared = SharedRefs::new(site, self.lang, self.labels, self.vocab);
        let [own_stories, own_resolutions, own_partners, own_pages] = &mut owned.0;
        let stories = self.collection(
            Collection::Stories,
            &site.stories,
            own_stories,
            |i, e| {
                if let Some(last) = last
                    && last.story_versions[i] == e.doc.file.version
                {
                    let (h, v) = &last.stories[i];
                    return Ingredients::Known(*h, v.clone());
                }
                Ingredients::Hashed(self.story_hash(i, e), ())
            },
            |i, e, html, ()| story_value(site, &shared, i, e, html, (self.lang, self.sentences)),
        );
        let resolutions = self.collection(
            Collection::Resolutions,
            &site.resolutions,
            own_resolutions,
            |i, e| {
                cited(&stories, &site.resolution_cited_by[i], |c| {
                    (self.own(Collection::Resolutions, e), c)
                })
            },
            |_, e, html, cited_by| {
                resolution_value(site, e, html, cited_by.clone(), (self.lang, self.vocab))
            },
        );
        let partners = self.collection(
            Collection::Partners,
            &site.partners,
            own_partners,
            |i, e| {
                cited(&stories, &site.partner_cited_by[i], |c| {
                    (
                        self.own(Collection::Partners, e),
                        c,
                        &e.image_url,
                        (e.image_size, &e.image_variants),
                    )
                })
            },
            |_, e, html, cited_by| partner_value(site, e, html, cited_by.clone(), self.vocab),
        );
        let pages = self.collection(
            Collection::Pages,
            &site.pages,
            own_pages,
            |_, e| Ingredients::Hashed(self.own(Collection::Pages, e), ()),
            |_, e, html, ()| page_value(site, e, html),
        );
        [stories, resolutions, partners, pages]
    }

    /// One collection's values, in parallel, in the site's order: (hash, value, whether it was
    /// built now). Each entry's body HTML is taken from `owned` as its turn comes, and freed
    /// with it; `ingredients` says what the value is made from, `make` makes it (with the
    /// body's embeds expanded) and the collection's card is added.
    fn collection<M, X: Send>(
        &self,
        c: Collection,
        entries: &[Entry<M>],
        owned: &mut [Option<String>],
        ingredients: impl Fn(usize, &Entry<M>) -> Ingredients<X> + Sync,
        make: impl Fn(usize, &Entry<M>, &str, &X) -> Value + Sync,
    ) -> Vec<(u64, Value, bool)>
    where
        Entry<M>: Sync,
    {
        entries
            .par_iter()
            .zip(owned.par_iter_mut())
            .enumerate()
            .map(|(i, (e, taken))| {
                let html = taken.take();
                let (h, x) = match ingredients(i, e) {
                    Ingredients::Known(h, v) => return (h, v, false),
                    Ingredients::Hashed(h, x) => (h, x),
                };
                self.reuse(c, &e.doc.id, h, &|| {
                    let html = expand(
                        self.site,
                        self.tera,
                        e,
                        html.as_deref(),
                        self.t,
                        (self.lang, self.vocab),
                    )?;
                    let value = make(i, e, &html, &x);
                    self.cards
                        .add(c, value, self.tera, self.t, &e.doc.file.path)
                })
            })
            .collect()
    }

    /// Last build's value when its hash is `ingredients`, else the value `build` makes:
    /// (hash, value, whether it was built now). A value that fails is none, and its error is
    /// kept.
    fn reuse(
        &self,
        c: Collection,
        id: &str,
        ingredients: u64,
        build: &dyn Fn() -> Result<Value, RenderError>,
    ) -> (u64, Value, bool) {
        if let Some((h, v)) = self.old[c as usize].get(id)
            && *h == ingredients
        {
            return (*h, v.clone(), false);
        }
        match build() {
            Ok(v) => (ingredients, v, true),
            Err(d) => {
                if let Ok(mut e) = self.errors.lock() {
                    e.push(d);
                }
                (ingredients, Value::none(), true)
            }
        }
    }

    /// Hash of story `i`'s ingredients: its own, its image, and the resolutions and partners
    /// it cites.
    fn story_hash(&self, i: usize, e: &Entry<Story>) -> u64 {
        let site = self.site;
        let mut h = std::hash::DefaultHasher::new();
        (
            e.image_size,
            self.own(Collection::Stories, e),
            &e.image_url,
            &e.image_variants,
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
        h.finish()
    }

    /// Hash of an entry's own ingredients: its file, and the entries its embeds show.
    fn own<M>(&self, c: Collection, e: &Entry<M>) -> u64 {
        let id: &str = &e.doc.id;
        hash_one(&(
            self.base,
            c,
            e.doc.file.version,
            id,
            self.embed_refs(&e.embeds),
        ))
    }

    fn embed_refs(&self, embeds: &[Embed]) -> u64 {
        if embeds.is_empty() {
            return 0;
        }
        let site = self.site;
        let mut h = std::hash::DefaultHasher::new();
        self.t.info.components.hash(&mut h);
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
    }
}

/// The ingredients of a resolution or partner, which lists the stories that cite it (`ids`):
/// the hash of `key` given their hash, and their values.
fn cited<K: Hash>(
    stories: &[(u64, Value, bool)],
    ids: &[usize],
    key: impl FnOnce(u64) -> K,
) -> Ingredients<Value> {
    let cited_by = list(ids.iter().map(|&s| stories[s].1.clone()));
    let hash = hash_one(&ids.iter().map(|&s| stories[s].0).collect::<Vec<_>>());
    Ingredients::Hashed(hash_one(&key(hash)), cited_by)
}

/// The ids of a collection's entries, in the site's order.
pub(super) fn ids<M>(entries: &[Entry<M>]) -> Vec<&str> {
    entries.iter().map(|e| e.doc.id.as_str()).collect()
}

/// Keeps the values built now in `kept` and forgets those of entries that are gone; returns
/// the hashes and the values, in the site's order.
fn keep(
    kept: &mut HashMap<String, Memoized>,
    ids: Vec<&str>,
    vals: Vec<(u64, Value, bool)>,
) -> (Vec<u64>, Vec<Value>) {
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
}
