//! Entries as other entries show them (a story's tags, resolutions and partners; embeds),
//! small values made once and shared.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use tera::Value;

use super::entries::monogram;
use crate::content::Partner;
use crate::date::DateStyle;
use crate::link::{Entry, Site};
use crate::render::obj::Obj;
use crate::render::ui::{Labels, TagLabels, tag_label};

fn tag_ref(site: &Site, name: &str, labels: &TagLabels) -> Value {
    let slug = slug::slugify(name);
    Obj::new()
        .set("name", name)
        .set("label", tag_label(labels, &site.config, &slug, name))
        .set(
            "url",
            site.url(&crate::routes::tag(site.prefix(), &slug, 1)),
        )
        .set("slug", slug)
        .build()
}

/// A resolution as stories and the cite embed show it.
pub(in crate::render) fn res_ref(site: &Site, i: usize, (lang, labels): (&str, &Labels)) -> Value {
    let r = &site.resolutions[i];
    let m = &r.doc.meta;
    Obj::new()
        .set("id", r.doc.id.as_str())
        .set("title", m.title.as_str())
        .opt("symbol", m.symbol.as_deref())
        .set("body", m.body.as_str())
        .set("adopted", m.adopted.to_string())
        .set("adopted_display", m.adopted.format(lang, DateStyle::Long))
        .set("kind_label", labels.kind(m.kind))
        .opt("official_url", m.url.as_deref())
        .set("url", site.url(&r.path))
        .opt("lang", super::entries::other_language(site, r))
        .build()
}

/// The fields a partner shows on its page, in the directory and in the partner embed.
pub(in crate::render) fn partner_fields(e: &Entry<Partner>, o: Obj, labels: &Labels) -> Obj {
    let m = &e.doc.meta;
    o.set("name", m.name.as_str())
        .opt("acronym", m.acronym.as_deref())
        .set("type", m.kind.key())
        .set("type_label", labels.partner_type(m.kind))
        .set("type_singular", labels.partner_type_one(m.kind))
        .set("region", m.region.key())
        .set("region_label", labels.region(m.region))
        // The name a visitor reads; the ISO code, for templates that key on it (the map).
        .opt(
            "country",
            m.country.as_deref().and_then(|c| labels.country(c)),
        )
        .opt("country_code", m.country.as_deref())
        .opt("website", m.website.as_deref())
        .opt("logo", e.image_url.as_deref())
        .set("monogram", monogram(m.acronym.as_deref()))
        .opt("description", m.description.as_deref())
}

fn partner_ref(site: &Site, i: usize) -> Value {
    let p = &site.partners[i];
    Obj::new()
        .set("id", p.doc.id.as_str())
        .set("name", p.doc.meta.name.as_str())
        .opt("acronym", p.doc.meta.acronym.as_deref())
        .set("url", site.url(&p.path))
        .opt("lang", super::entries::other_language(site, p))
        .build()
}

/// Small values that many stories hold (their tags and the entries they cite), each made
/// once per build when first needed and shared by reference.
pub(super) struct SharedRefs<'a> {
    site: &'a Site,
    lang: &'a str,
    labels: &'a TagLabels,
    vocab: &'a Labels,
    tags: OnceLock<HashMap<&'a str, Value>>,
    resolutions: Vec<OnceLock<Value>>,
    partners: Vec<OnceLock<Value>>,
}

impl<'a> SharedRefs<'a> {
    pub(super) fn new(
        site: &'a Site,
        lang: &'a str,
        labels: &'a TagLabels,
        vocab: &'a Labels,
    ) -> Self {
        SharedRefs {
            site,
            lang,
            labels,
            vocab,
            tags: OnceLock::new(),
            resolutions: (0..site.resolutions.len())
                .map(|_| OnceLock::new())
                .collect(),
            partners: (0..site.partners.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// A tag as a story spells it.
    pub(super) fn tag(&self, name: &str) -> Value {
        let tags = self.tags.get_or_init(|| {
            let mut m = HashMap::default();
            for s in &self.site.stories {
                for t in &s.doc.meta.tags {
                    m.entry(t.as_str())
                        .or_insert_with(|| tag_ref(self.site, t, self.labels));
                }
            }
            m
        });
        tags.get(name)
            .cloned()
            .unwrap_or_else(|| tag_ref(self.site, name, self.labels))
    }

    pub(super) fn resolution(&self, i: usize) -> Value {
        self.resolutions[i]
            .get_or_init(|| res_ref(self.site, i, (self.lang, self.vocab)))
            .clone()
    }

    pub(super) fn partner(&self, i: usize) -> Value {
        self.partners[i]
            .get_or_init(|| partner_ref(self.site, i))
            .clone()
    }
}
