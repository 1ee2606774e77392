//! What the search index reads: one small HTML document per entry a language publishes,
//! made from the linked site rather than from the theme's pages, so that the index holds the
//! entry's words (never menus or footers) whatever the theme, and ranks the words that name
//! an entry (its title, a resolution's symbol, a partner's acronym) above the words of texts
//! that mention it.

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use rayon::prelude::*;

use crate::content::{PartnerType, ResolutionKind};
use crate::date::DateStyle;
use std::sync::Arc;

use crate::content::Story;
use crate::link::{Entry, Site};
use crate::strings::Strings;

/// One page for the index: its address (with the base path), the HTML Pagefind reads, and
/// the names a visitor may type to mean exactly this entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Document {
    pub url: String,
    pub html: String,
    pub name: Option<Name>,
}

/// An entry's identifier (a resolution's symbol, a partner's acronym) with what its result
/// shows: a query that is this identifier puts the entry first, whatever else mentions it
/// more often (see [`super::names`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Name {
    pub name: String,
    pub title: String,
    pub kind: String,
    pub detail: String,
}

/// The words that name an entry: Pagefind weighs them 10, its maximum (body text is 1, the
/// title's heading 7), so that `A/RES/69/187` or `UNHCR` finds the entry itself first.
const NAME_WEIGHT: &str = "10";

/// The documents of every entry `site` publishes in its language, sorted by address:
/// stories (its own and, under its own addresses, the default language's it shows), and the
/// resolutions, partners and pages it shows (the default language's where it has no
/// translation, at their addresses there, since that is where its lists lead). Drafts and
/// stories dated after the build's day are never included, even in a preview build.
pub fn documents(site: &Site, strings: &Strings) -> Vec<Document> {
    let mut docs: Vec<Document> = each::<String>(site, strings)
        .into_iter()
        .map(|(url, html, name)| Document { url, html, name })
        .collect();
    docs.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    docs.dedup_by(|a, b| a.url == b.url);
    docs
}

/// A hash of what [`documents`] would make, without making it: the same code feeds each
/// document's parts to a hasher instead of writing HTML (dates are hashed, not formatted), so
/// a build whose documents did not change pays a pass over their text, not their writing.
/// `memo` keeps each story's digest with the story it was made from: `rally serve`, whose
/// rebuilds keep unchanged stories as they were, hashes only the stories an edit changed.
pub fn fingerprint(site: &Site, strings: &Strings, memo: &mut Digests) -> u128 {
    let story = story_label(site, strings);
    if memo.label != (site.lang.code.to_string(), story.clone()) {
        *memo = Digests {
            label: (site.lang.code.to_string(), story.clone()),
            ..Digests::default()
        };
    }
    let stories: Vec<(String, u128, Option<Name>, Option<StoryDigest>)> = published(site)
        .map(|e| {
            let url = site.url(&e.path);
            let same = memo
                .stories
                .get(&url)
                .filter(|d| Arc::ptr_eq(&d.doc, &e.doc) && Arc::ptr_eq(&d.body, &e.body));
            match same {
                Some(d) => (url, d.digest, None, None),
                None => {
                    let (url, h, name) = story_doc::<Hasher>(site, e, &story);
                    let digest = h.0.digest128();
                    let keep = StoryDigest {
                        doc: e.doc.clone(),
                        body: e.body.clone(),
                        digest,
                    };
                    (url, digest, name, Some(keep))
                }
            }
        })
        .collect();
    let mut parts: Vec<(String, u128, Option<Name>)> = Vec::with_capacity(stories.len() + 64);
    for (url, digest, name, keep) in stories {
        if let Some(k) = keep {
            memo.stories.insert(url.clone(), k);
        }
        parts.push((url, digest, name));
    }
    if memo.stories.len() > parts.len() {
        let now: std::collections::HashSet<&str> = parts.iter().map(|p| p.0.as_str()).collect();
        memo.stories.retain(|url, _| now.contains(url.as_str()));
    }
    parts.extend(
        others::<Hasher>(site, strings)
            .into_iter()
            .map(|(url, h, name)| (url, h.0.digest128(), name)),
    );
    parts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    parts.dedup_by(|a, b| a.0 == b.0);
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (url, digest, name) in &parts {
        h.update(&(url.len() as u64).to_le_bytes());
        h.update(url.as_bytes());
        h.update(&digest.to_le_bytes());
        if let Some(n) = name {
            for part in [&n.name, &n.title, &n.kind, &n.detail] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
        }
    }
    h.digest128()
}

/// The stories' digests of a language's last fingerprint (see [`fingerprint`]).
#[derive(Default)]
pub struct Digests {
    /// The language and its label for stories, which every story's document holds.
    label: (String, String),
    stories: std::collections::HashMap<String, StoryDigest>,
}

/// A story's digest with the story it was made from (held, so that its address in memory
/// cannot be another story's).
struct StoryDigest {
    doc: Arc<crate::content::Doc<crate::content::Story>>,
    body: Arc<crate::markdown::Rendered>,
    digest: u128,
}

/// Where a document's parts go: HTML text ([`String`]) or a hash of them ([`Hasher`]).
pub trait Sink: Send {
    fn new() -> Self;
    /// Markup rally writes (tags), or HTML rally rendered (bodies).
    fn raw(&mut self, s: &str);
    /// Text to escape for an attribute's value or an element's content.
    fn attr(&mut self, s: &str);
    fn text(&mut self, s: &str);
    /// A date, in words in the HTML.
    fn date(&mut self, d: &crate::date::Date, lang: &str);
}

impl Sink for String {
    fn new() -> Self {
        String::with_capacity(4096)
    }
    fn raw(&mut self, s: &str) {
        self.push_str(s);
    }
    fn attr(&mut self, s: &str) {
        let _ = escape_html(&mut *self, s);
    }
    fn text(&mut self, s: &str) {
        let _ = escape_html_body_text(&mut *self, s);
    }
    fn date(&mut self, d: &crate::date::Date, lang: &str) {
        let words = d.format(lang, DateStyle::Long);
        self.attr(&words);
    }
}

/// A document's parts hashed (each with its length, so that no two documents hash alike by
/// moving text between parts).
pub struct Hasher(xxhash_rust::xxh3::Xxh3);

impl Sink for Hasher {
    fn new() -> Self {
        Hasher(xxhash_rust::xxh3::Xxh3::new())
    }
    fn raw(&mut self, s: &str) {
        self.0.update(&(s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
    }
    fn attr(&mut self, s: &str) {
        self.raw(s);
    }
    fn text(&mut self, s: &str) {
        self.raw(s);
    }
    fn date(&mut self, d: &crate::date::Date, _: &str) {
        self.raw(&d.0.to_string());
    }
}

/// Every document as (address, parts, name), in no particular order.
fn each<S: Sink>(site: &Site, strings: &Strings) -> Vec<(String, S, Option<Name>)> {
    let story = story_label(site, strings);
    let mut docs: Vec<(String, S, Option<Name>)> = published(site)
        .map(|e| story_doc::<S>(site, e, &story))
        .collect();
    docs.extend(others::<S>(site, strings));
    docs
}

/// What a story result is called, in the site's language.
fn story_label(site: &Site, strings: &Strings) -> String {
    strings
        .format(&site.lang.code, "card-story", None)
        .unwrap_or_else(|_| "Story".to_string())
}

/// The stories the site publishes: not drafts, not dated after the build's day.
fn published(site: &Site) -> impl ParallelIterator<Item = &Entry<Story>> {
    site.stories
        .par_iter()
        .filter(|e| !e.doc.meta.draft && e.doc.meta.date <= site.options.today)
}

fn story_doc<S: Sink>(site: &Site, e: &Entry<Story>, label: &str) -> (String, S, Option<Name>) {
    let lang = &*site.lang.code;
    let m = &e.doc.meta;
    let mut d = Doc::<S>::new(lang, &m.title, label);
    d.date(&m.date, lang);
    d.para(&m.summary, None);
    d.body(e);
    d.finish(site.url(&e.path))
}

/// The documents of the resolutions, partners and pages.
fn others<S: Sink>(site: &Site, strings: &Strings) -> Vec<(String, S, Option<Name>)> {
    let lang = &*site.lang.code;
    let text = |key: &str, english: &str| {
        strings
            .format(lang, key, None)
            .unwrap_or_else(|_| english.to_string())
    };
    let page = text("search-kind-page", "Page");
    let countries = crate::render::region_names(lang);
    let mut docs: Vec<(String, S, Option<Name>)> = Vec::new();
    docs.extend(
        site.resolutions
            .iter()
            .filter(|e| !e.doc.meta.draft)
            .map(|e| {
                let m = &e.doc.meta;
                let kind = text(
                    &format!("{}{}", ResolutionKind::STRINGS, m.kind.key()),
                    m.kind.label(),
                );
                let mut d = Doc::<S>::new(lang, &m.title, &kind);
                let adopted = m.adopted.format(lang, DateStyle::Long);
                match &m.symbol {
                    Some(symbol) => {
                        d.detail(symbol);
                        d.para(symbol, Some(NAME_WEIGHT));
                        d.name(symbol, &m.title, &kind, symbol);
                    }
                    None => d.detail(&adopted),
                }
                if let Some(full) = &m.full_title {
                    d.para(full, None);
                }
                d.para(&format!("{} · {adopted}", m.body), None);
                for p in &m.paragraphs {
                    d.para(&format!("{}. {}", p.number, p.summary), None);
                }
                d.body(e);
                d.finish(site.url(&e.path))
            }),
    );
    docs.extend(site.partners.iter().filter(|e| !e.doc.meta.draft).map(|e| {
        let m = &e.doc.meta;
        let kind = text(
            &format!("{}{}-one", PartnerType::STRINGS, m.kind.key()),
            m.kind.singular(),
        );
        let mut d = Doc::<S>::new(lang, &m.name, &kind);
        if let Some(acronym) = &m.acronym {
            d.para(acronym, Some(NAME_WEIGHT));
        }
        let country = m.country.as_deref().and_then(|code| {
            countries
                .as_ref()
                .and_then(|names| crate::render::country_name(names, code))
                .or_else(|| crate::content::countries::name(code))
        });
        match (country, &m.acronym) {
            (Some(c), _) => {
                d.detail(c);
                d.para(c, None);
            }
            (None, Some(a)) => d.detail(a),
            (None, None) => {}
        }
        if let Some(acronym) = &m.acronym {
            d.name(acronym, &m.name, &kind, country.unwrap_or_default());
        }
        d.body(e);
        d.finish(site.url(&e.path))
    }));
    docs.extend(site.pages.iter().filter(|e| !e.doc.meta.draft).map(|e| {
        let m = &e.doc.meta;
        let mut d = Doc::<S>::new(lang, &m.title, &page);
        if let Some(description) = &m.description {
            d.para(description, None);
        }
        d.body(e);
        d.finish(site.url(&e.path))
    }));
    docs
}

/// A document being written.
struct Doc<S> {
    out: S,
    name: Option<Name>,
}

impl<S: Sink> Doc<S> {
    /// Starts the document: its language, its title (as a heading and as the result's
    /// title) and what it is ("Story", "General Assembly resolution", "UN agency").
    fn new(lang: &str, title: &str, kind: &str) -> Doc<S> {
        let mut d = Doc {
            out: S::new(),
            name: None,
        };
        d.out.raw("<html lang=\"");
        d.out.attr(lang);
        d.out
            .raw("\"><body><span data-pagefind-meta=\"title[data-v]\" data-v=\"");
        d.out.attr(title);
        d.out
            .raw("\"></span><span data-pagefind-meta=\"kind[data-v]\" data-v=\"");
        d.out.attr(kind);
        d.out.raw("\"></span><h1>");
        d.out.text(title);
        d.out.raw("</h1>");
        d
    }

    /// What the result shows beside its kind: a date, a symbol, a country.
    fn detail(&mut self, detail: &str) {
        self.out
            .raw("<span data-pagefind-meta=\"detail[data-v]\" data-v=\"");
        self.out.attr(detail);
        self.out.raw("\"></span>");
    }

    /// [`Doc::detail`] for a date, in words.
    fn date(&mut self, date: &crate::date::Date, lang: &str) {
        self.out
            .raw("<span data-pagefind-meta=\"detail[data-v]\" data-v=\"");
        self.out.date(date, lang);
        self.out.raw("\"></span>");
    }

    fn name(&mut self, name: &str, title: &str, kind: &str, detail: &str) {
        self.name = Some(Name {
            name: name.to_string(),
            title: title.to_string(),
            kind: kind.to_string(),
            detail: detail.to_string(),
        });
    }

    fn para(&mut self, text: &str, weight: Option<&str>) {
        match weight {
            Some(w) => {
                self.out.raw("<p data-pagefind-weight=\"");
                self.out.raw(w);
                self.out.raw("\">");
            }
            None => self.out.raw("<p>"),
        }
        self.out.text(text);
        self.out.raw("</p>");
    }

    /// The entry's rendered text (its embeds are comments here, which Pagefind skips).
    fn body<M>(&mut self, e: &Entry<M>) {
        self.out.raw("<div>");
        self.out.raw(&e.body.html);
        self.out.raw("</div>");
    }

    fn finish(mut self, url: String) -> (String, S, Option<Name>) {
        self.out.raw("</body></html>");
        (url, self.out, self.name)
    }
}
