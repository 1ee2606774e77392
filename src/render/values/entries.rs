//! The fields of each collection's entries, as templates read them.

use tera::Value;

use super::refs::{SharedRefs, partner_fields};
use crate::content::{Page, Partner, Resolution, Story};
use crate::date::DateStyle;
use crate::images::html::srcset;
use crate::link::{Entry, Site, Tag};
use crate::render::obj::{Obj, list};
use crate::render::ui::{Labels, TagLabels, tag_label};

fn common<M>(site: &Site, e: &Entry<M>, title: &str, html: &str) -> Obj {
    Obj::new()
        .set("id", e.doc.id.as_str())
        .set("title", title)
        .set("url", site.url(&e.path))
        .set("permalink", site.permalink(&e.path))
        .set("source", e.doc.file.path.as_str())
        .set("content", Value::safe_string(html))
        .set("toc", Value::from_serializable(&e.body.toc))
        .set("word_count", e.body.words)
        .set("reading_time", e.body.words.div_ceil(200).max(1))
        .opt("lang", other_language(site, e))
}

/// The default language's code, for an entry shown in another language's site in its
/// stead (no translation): templates mark its title `lang` and its link `hreflang`.
pub(super) fn other_language<'a, M>(site: &'a Site, e: &Entry<M>) -> Option<&'a str> {
    if site.owns(e) {
        None
    } else {
        site.langs.all.first().map(|l| &*l.code)
    }
}

/// The letters shown for a partner without a logo: its declared acronym (up to three
/// letters), or nothing. Initials made up from the name were ambiguous: two UN Special
/// Rapporteurs both came out as "US".
pub(super) fn monogram(acronym: Option<&str>) -> String {
    acronym
        .map(|a| a.chars().filter(|c| c.is_alphanumeric()).take(3).collect())
        .unwrap_or_default()
}

/// A full address for a URL of the site (`/img/a.png` → `https://example.org/img/a.png`).
fn absolute(site: &Site, url: &str) -> String {
    if url.starts_with('/') {
        format!("{}{url}", site.config.origin())
    } else {
        url.to_string()
    }
}

/// A tag with its address and how many stories it has, but not which: a list of tags then
/// changes only when tags come, go or change counts.
pub(in crate::render) fn tag_value(site: &Site, t: &Tag, labels: &TagLabels) -> Value {
    Obj::new()
        .set("name", t.name.as_str())
        .set("label", tag_label(labels, &site.config, &t.slug, &t.name))
        .set("slug", t.slug.as_str())
        .set(
            "url",
            site.url(&crate::routes::tag(site.prefix(), &t.slug, 1)),
        )
        .set(
            "permalink",
            site.permalink(&crate::routes::tag(site.prefix(), &t.slug, 1)),
        )
        .set("count", t.stories.len())
        .build()
}

fn reading_minutes<M>(e: &Entry<M>) -> u64 {
    e.body.words.div_ceil(200).max(1) as u64
}

/// The sentences every story page prints (its byline, its reading time), made once per
/// distinct author and length and language: formatting them on each page with `t()` was
/// 1.3 % of a build, most of it Fluent's.
pub(super) struct Sentences {
    bylines: rustc_hash::FxHashMap<String, Value>,
    reading: rustc_hash::FxHashMap<u64, Value>,
}

impl Sentences {
    pub(super) fn new(site: &Site, lang: &str, strings: &crate::strings::Strings) -> Sentences {
        let sentence = |key: &str, name: &str, value: fluent_bundle::FluentValue<'static>| {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set(name.to_string(), value);
            Value::from(strings.format(lang, key, Some(&args)).unwrap_or_default())
        };
        let mut bylines = rustc_hash::FxHashMap::default();
        let mut reading = rustc_hash::FxHashMap::default();
        for e in &site.stories {
            if let Some(a) = &e.doc.meta.author
                && !bylines.contains_key(a.as_str())
            {
                bylines.insert(a.clone(), sentence("story-by", "author", a.clone().into()));
            }
            let minutes = reading_minutes(e);
            reading
                .entry(minutes)
                .or_insert_with(|| sentence("story-reading-time", "minutes", minutes.into()));
        }
        Sentences { bylines, reading }
    }

    fn byline(&self, author: Option<&str>) -> Value {
        author
            .and_then(|a| self.bylines.get(a))
            .cloned()
            .unwrap_or_else(Value::none)
    }

    fn reading_time(&self, minutes: u64) -> Value {
        self.reading
            .get(&minutes)
            .cloned()
            .unwrap_or_else(Value::none)
    }
}

pub(super) fn story_value(
    site: &Site,
    shared: &SharedRefs,
    i: usize,
    e: &Entry<Story>,
    html: &str,
    (lang, sentences): (&str, &Sentences),
) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .set("date", m.date.to_string())
        .set("date_display", m.date.format(lang, DateStyle::Long))
        .set("byline", sentences.byline(m.author.as_deref()))
        .set(
            "reading_time_label",
            sentences.reading_time(reading_minutes(e)),
        )
        .set("year", m.date.0.year() as i64)
        .set("summary", m.summary.as_str())
        .opt("author", m.author.as_deref())
        .opt(
            "image",
            m.image.as_ref().map(|img| {
                Obj::new()
                    .set(
                        "src",
                        e.image_url.clone().unwrap_or_else(|| img.src.clone()),
                    )
                    .set("alt", img.alt.as_str())
                    .set(
                        "permalink",
                        absolute(site, e.image_url.as_deref().unwrap_or(&img.src)),
                    )
                    .opt("width", e.image_size.map(|(w, _)| w as i64))
                    .opt("height", e.image_size.map(|(_, h)| h as i64))
                    .opt(
                        "srcset",
                        e.image_variants
                            .as_deref()
                            .map(|v| fallback_srcset(site, v)),
                    )
                    .opt(
                        "webp_srcset",
                        e.image_variants
                            .as_deref()
                            .filter(|v| !v.fallback.is_empty())
                            .map(|v| srcset(&site.base_path, &v.webp)),
                    )
                    .opt(
                        "share",
                        e.image_variants
                            .as_deref()
                            .and_then(|v| share_copy(site, v, e.image_size)),
                    )
                    .build()
            }),
        )
        .set("tags", list(m.tags.iter().map(|t| shared.tag(t))))
        .set(
            "resolutions",
            list(
                site.story_resolutions[i]
                    .iter()
                    .map(|&r| shared.resolution(r)),
            ),
        )
        .set(
            "partners",
            list(site.story_partners[i].iter().map(|&p| shared.partner(p))),
        )
        .set("featured", m.featured)
        .set("draft", m.draft || m.date > site.options.today)
        .build()
}

pub(super) fn resolution_value(
    site: &Site,
    e: &Entry<Resolution>,
    html: &str,
    cited_by: Value,
    (lang, labels): (&str, &Labels),
) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .opt("symbol", m.symbol.as_deref())
        .opt("full_title", m.full_title.as_deref())
        .set("body", m.body.as_str())
        .set("body_key", slug::slugify(&m.body))
        .set("adopted", m.adopted.to_string())
        // A full date for feeds: a year or a month is taken as its first day.
        .set("adopted_date", m.adopted.first_day())
        .set("adopted_display", m.adopted.format(lang, DateStyle::Long))
        .set("year", m.adopted.year as i64)
        .set("kind", m.kind.key())
        .set("kind_label", labels.kind(m.kind))
        .opt("stance", m.stance.map(|s| s.key()))
        .opt("stance_label", m.stance.map(|s| labels.stance(s)))
        .opt("official_url", m.url.as_deref())
        .set("paragraphs", Value::from_serializable(&m.paragraphs))
        .set("cited_by", cited_by)
        .set("draft", m.draft)
        .build()
}

pub(super) fn partner_value(
    site: &Site,
    e: &Entry<Partner>,
    html: &str,
    cited_by: Value,
    labels: &Labels,
) -> Value {
    let m = &e.doc.meta;
    partner_fields(e, common(site, e, &m.name, html), labels)
        .opt("joined", m.joined.map(|y| y as i64))
        .set(
            "roles",
            list(m.roles.iter().map(|r| {
                Obj::new()
                    .set("key", r.as_str())
                    .set("label", labels.role(r))
                    .build()
            })),
        )
        .set("cited_by", cited_by)
        .set("draft", m.draft)
        .build()
}

pub(super) fn page_value(site: &Site, e: &Entry<Page>, html: &str) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .opt("description", m.description.as_deref())
        .opt("menu_weight", m.menu_weight.map(|w| w as i64))
        .set("draft", m.draft)
        .build()
}

/// The `srcset` of a photo's copies in its own format (WebP when that is its format).
fn fallback_srcset(site: &Site, v: &crate::load::Variants) -> String {
    srcset(
        &site.base_path,
        if v.fallback.is_empty() {
            &v.webp
        } else {
            &v.fallback
        },
    )
}

/// The copy a share card uses: JPEG or PNG (social networks do not all read WebP), the
/// one nearest 1200 pixels wide, as an absolute URL with its width.
fn share_copy(site: &Site, v: &crate::load::Variants, size: Option<(u32, u32)>) -> Option<Value> {
    let (full_w, h) = size?;
    let (path, w) = v.fallback.iter().min_by_key(|(_, w)| w.abs_diff(1200))?;
    let url = format!("{}{}", site.base_path, path.replace(' ', "%20"));
    Some(
        Obj::new()
            .set("url", absolute(site, &url))
            .set("width", i64::from(*w))
            // As the copies are made: rounded to the nearest pixel.
            .set(
                "height",
                (i64::from(*w) * i64::from(h) + i64::from(full_w) / 2) / i64::from(full_w.max(1)),
            )
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monograms() {
        assert_eq!(monogram(Some("IDC")), "IDC");
        assert_eq!(monogram(Some("SRSG-VAC")), "SRS");
        // No acronym, no letters: never initials made up from the name.
        assert_eq!(monogram(None), "");
    }
}
