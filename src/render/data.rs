//! Open data, an output family: the published stories, resolutions and partners as JSON (and
//! the resolutions and partners as CSV) under `data/`, for partners and researchers to reuse
//! (docs/open-data.md). The default language's only: the keys are the same in every
//! language, and the texts are the originals. `open_data: false` in site.yaml turns it off.
//!
//! Written here from the entries, not by theme templates: the schema is rally's promise, and
//! a template evaluating a map per story cost 4.8 µs a story (48 ms of CPU at 10,000), where
//! this takes a few hundred nanoseconds. The files are jobs like the pages, rendered in
//! parallel with them and reused while the entries they list are unchanged.

use rustc_hash::FxHashMap as HashMap;
use tera::Tera;

use super::feed::published;
use super::filters::{csv_writer, safe_cell};
use super::jobs::Job;
use super::json::{Place, Writer};
use super::values::ValueHashes;
use crate::link::{Site, hash_one};

/// One file of open data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum DataFile {
    Stories,
    Resolutions,
    Partners,
    ResolutionsCsv,
    PartnersCsv,
}

const ALL: [DataFile; 5] = [
    DataFile::Stories,
    DataFile::Resolutions,
    DataFile::Partners,
    DataFile::ResolutionsCsv,
    DataFile::PartnersCsv,
];

const RESOLUTION_COLUMNS: [&str; 10] = [
    "id",
    "title",
    "full_title",
    "symbol",
    "body",
    "adopted",
    "kind",
    "stance",
    "official_url",
    "url",
];

const PARTNER_COLUMNS: [&str; 10] = [
    "id", "name", "acronym", "type", "region", "country", "website", "joined", "roles", "url",
];

pub(super) fn family(site: &Site, _: &Tera, jobs: &mut Vec<Job>) {
    if site.prefix().is_empty() && site.config.open_data {
        jobs.extend(ALL.map(Job::Data));
    }
}

impl DataFile {
    /// Its path in the site.
    pub(super) fn out(self) -> &'static str {
        match self {
            DataFile::Stories => "data/stories.json",
            DataFile::Resolutions => "data/resolutions.json",
            DataFile::Partners => "data/partners.json",
            DataFile::ResolutionsCsv => "data/resolutions.csv",
            DataFile::PartnersCsv => "data/partners.csv",
        }
    }

    /// What it is made of: the values of the entries it lists (which hold their addresses
    /// and whether they are published), the site's address and its language.
    pub(super) fn inputs(self, site: &Site, h: &ValueHashes) -> u64 {
        let entries = match self {
            DataFile::Stories => &h.stories,
            DataFile::Resolutions | DataFile::ResolutionsCsv => &h.resolutions,
            DataFile::Partners | DataFile::PartnersCsv => &h.partners,
        };
        hash_one(&(
            entries,
            &site.config.base_url,
            &*site.lang.code,
            site.options.today.to_string(),
        ))
    }

    /// Writes the file after what `buf` holds.
    pub(super) fn write(self, site: &Site, buf: &mut Vec<u8>) {
        match self {
            DataFile::Stories => stories(site, buf),
            DataFile::Resolutions => json_list(
                site,
                buf,
                ("resolutions", &RESOLUTION_COLUMNS),
                resolutions(site),
            ),
            DataFile::Partners => {
                json_list(site, buf, ("partners", &PARTNER_COLUMNS), partners(site))
            }
            DataFile::ResolutionsCsv => csv(buf, &RESOLUTION_COLUMNS, resolutions(site)),
            DataFile::PartnersCsv => csv(buf, &PARTNER_COLUMNS, partners(site)),
        }
    }
}

/// The object every JSON file is: `source`, `language` and the list under `key`, one item a
/// line (so that a partner mirroring the file sees a change as the lines it touches).
fn json_file(site: &Site, buf: &mut Vec<u8>, key: &str, items: impl FnOnce(&mut Writer)) {
    let mut j = Writer::new(std::mem::take(buf), Place::File);
    j.raw("{\"source\":");
    j.string(&site.permalink(site.prefix()));
    j.field("language", &site.lang.code);
    j.key(key);
    j.raw("[");
    items(&mut j);
    j.raw("\n]}\n");
    *buf = j.into_bytes();
}

fn stories(site: &Site, buf: &mut Vec<u8>) {
    // Few distinct tags, on many stories: each slugified once.
    let mut slugs: HashMap<&str, String> = HashMap::default();
    for s in &site.stories {
        for t in &s.doc.meta.tags {
            if !slugs.contains_key(t.as_str()) {
                slugs.insert(t, slug::slugify(t));
            }
        }
    }
    json_file(site, buf, "stories", |j| {
        let mut first = true;
        let mut tags: Vec<&str> = Vec::new();
        for s in site.stories.iter().filter(|s| published(site, s)) {
            let m = &s.doc.meta;
            j.raw(if first { "\n{\"id\":" } else { ",\n{\"id\":" });
            first = false;
            j.string(&s.doc.id);
            j.field("title", &m.title);
            j.field("date", &m.date.to_string());
            j.field("summary", &m.summary);
            j.nullable("author", non_empty(m.author.as_deref()));
            tags.clear();
            for t in &m.tags {
                let slug = slugs.get(t.as_str()).map_or("", String::as_str);
                if !slug.is_empty() && !tags.contains(&slug) {
                    tags.push(slug);
                }
            }
            j.key("tags");
            j.strings(tags.iter().copied());
            j.field("url", &site.permalink(&s.path));
            j.raw("}");
        }
    });
}

/// A field of a row: text, none, a number or a list.
enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    None,
    Number(i64),
    List(Vec<&'a str>),
}

/// The published (not draft) resolutions as rows of [`RESOLUTION_COLUMNS`], in the site's
/// order.
fn resolutions(site: &Site) -> impl Iterator<Item = [Cell<'_>; 10]> {
    (site.resolutions.iter())
        .filter(|r| !r.doc.meta.draft)
        .map(|r| {
            let m = &r.doc.meta;
            [
                Cell::Text(&r.doc.id),
                Cell::Text(&m.title),
                text(m.full_title.as_deref()),
                text(m.symbol.as_deref()),
                Cell::Text(&m.body),
                Cell::Owned(m.adopted.to_string()),
                Cell::Text(m.kind.key()),
                text(m.stance.map(|s| s.key())),
                text(m.url.as_deref()),
                Cell::Owned(site.permalink(&r.path)),
            ]
        })
}

/// The published partners as rows of [`PARTNER_COLUMNS`].
fn partners(site: &Site) -> impl Iterator<Item = [Cell<'_>; 10]> {
    (site.partners.iter())
        .filter(|p| !p.doc.meta.draft)
        .map(|p| {
            let m = &p.doc.meta;
            [
                Cell::Text(&p.doc.id),
                Cell::Text(&m.name),
                text(m.acronym.as_deref()),
                Cell::Text(m.kind.key()),
                Cell::Text(m.region.key()),
                text(m.country.as_deref()),
                text(m.website.as_deref()),
                m.joined.map_or(Cell::None, |y| Cell::Number(y.into())),
                Cell::List(m.roles.iter().map(String::as_str).collect()),
                Cell::Owned(site.permalink(&p.path)),
            ]
        })
}

/// An optional text: an empty one is none, as in templates.
fn text(v: Option<&str>) -> Cell<'_> {
    non_empty(v).map_or(Cell::None, Cell::Text)
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.filter(|v| !v.is_empty())
}

/// A JSON file of rows, an object per row with the columns as keys.
fn json_list<'a, const N: usize>(
    site: &Site,
    buf: &mut Vec<u8>,
    (key, columns): (&str, &[&str; N]),
    rows: impl Iterator<Item = [Cell<'a>; N]>,
) {
    json_file(site, buf, key, |j| {
        for (i, row) in rows.enumerate() {
            j.raw(if i == 0 { "\n{" } else { ",\n{" });
            for (k, (name, cell)) in columns.iter().zip(row).enumerate() {
                if k == 0 {
                    j.raw("\"");
                    j.raw(name);
                    j.raw("\":");
                } else {
                    j.key(name);
                }
                match cell {
                    Cell::Text(s) => j.string(s),
                    Cell::Owned(s) => j.string(&s),
                    Cell::None => j.raw("null"),
                    Cell::Number(n) => j.number(n),
                    Cell::List(items) => j.strings(items),
                }
            }
            j.raw("}");
        }
    });
}

/// A CSV file: the columns, then a row per entry; a list's items separated by `;`, and no
/// cell a spreadsheet would run as a formula.
fn csv<'a, const N: usize>(
    buf: &mut Vec<u8>,
    columns: &[&str; N],
    rows: impl Iterator<Item = [Cell<'a>; N]>,
) {
    let mut w = csv_writer(std::mem::take(buf));
    // Into a Vec: writing cannot fail.
    let _ = w.write_record(columns);
    for row in rows {
        let cells = row.map(|cell| match cell {
            Cell::Text(s) => safe_cell(s).into_owned(),
            Cell::Owned(s) => safe_cell(&s).into_owned(),
            Cell::None => String::new(),
            Cell::Number(n) => n.to_string(),
            Cell::List(items) => safe_cell(&items.join(";")).into_owned(),
        });
        let _ = w.write_record(&cells);
    }
    *buf = w.into_inner().unwrap_or_default();
}
