//! What link hands to render: the [`Site`] and its entries, and which entries are on it, in
//! which order (drafts and future stories left out, lists sorted for display).

use std::sync::Arc;

use rayon::prelude::*;

use super::Embed;
use super::absent::{Absent, Gone, Why};
use super::menu::{FooterLinks, MenuLink};
use super::tags::Tag;
use crate::config::SiteConfig;
use crate::content::{Collection, Content, Doc, Page, Partner, Resolution, Story};
use crate::date::Date;
use crate::load::Asset;
use crate::markdown::Rendered;

/// What changes a build besides its input files.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Include drafts and stories dated in the future.
    pub drafts: bool,
    /// The day that decides which stories are in the future.
    pub today: Date,
    /// Whether share cards are made (see [`crate::share`]).
    pub cards: crate::share::CardMode,
    /// Whether the search index is made (see [`crate::search`]).
    pub search: crate::search::SearchMode,
    /// Whether the theme's stylesheets and scripts are published under names holding their
    /// digest (`css/site.1f2e….css`), so hosts may cache them for a year. Off in `rally
    /// serve`, whose pages swap a stylesheet in place when it is saved.
    pub fingerprint: bool,
    /// Whether pages are minified (`--minify`, `minify: true` in site.yaml).
    pub minify: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            drafts: false,
            today: Date::today(),
            cards: Default::default(),
            search: Default::default(),
            fingerprint: true,
            minify: false,
        }
    }
}

/// An entry with its place on the site and its rendered body.
#[derive(Debug, Clone)]
pub struct Entry<M> {
    pub doc: Arc<Doc<M>>,
    /// Output folder of the entry, relative to the site root: `stories/launch/`.
    pub path: Arc<str>,
    pub body: Arc<Rendered>,
    /// `image.src` (stories) or `logo` (partners), resolved to a URL.
    pub image_url: Option<String>,
    /// Width and height of that image, when known.
    pub image_size: Option<(u32, u32)>,
    /// Its resized copies, when it is a photo (see [`crate::images`]).
    pub image_variants: Option<Arc<crate::load::Variants>>,
    /// The body's embeds, checked; `body.html` holds a marker for each.
    pub embeds: Arc<[Embed]>,
}

/// The whole site, linked and checked, in memory. Lists are sorted for display:
/// stories newest first, resolutions oldest first, partners by name, pages by path.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Path part of `base_url`: `/` or `/campaign/`.
    pub base_path: String,
    pub options: BuildOptions,
    pub stories: Vec<Entry<Story>>,
    pub resolutions: Vec<Entry<Resolution>>,
    pub partners: Vec<Entry<Partner>>,
    pub pages: Vec<Entry<Page>>,
    pub tags: Arc<Vec<Tag>>,
    /// For each story, indices of the resolutions and partners it cites.
    pub story_resolutions: Arc<Vec<Vec<usize>>>,
    pub story_partners: Arc<Vec<Vec<usize>>>,
    /// For each resolution / partner, the stories that cite it (newest first).
    pub resolution_cited_by: Arc<Vec<Vec<usize>>>,
    pub partner_cited_by: Arc<Vec<Vec<usize>>>,
    pub menu: Vec<MenuLink>,
    /// The footer's links from `footer:` in site.yaml, resolved.
    pub footer: FooterLinks,
    /// Files copied unchanged: site static and content files over theme static files.
    pub assets: Vec<Asset>,
    /// Number of story pages of `/stories/`.
    pub story_pages: usize,
    /// A hash of the site's shape (see `Tables`): while it is unchanged, every entry, tag
    /// and list page keeps its position and address, so later stages can match this build's
    /// entries with the last one's by position.
    pub shape: u64,
    /// The link environment the bodies were rendered in (see `Tables::env`): a body changes
    /// with it even when its file does not (a link whose target gained or lost a
    /// translation leads elsewhere), so values made from bodies depend on it.
    pub link_env: u64,
    /// The language of this site (one per language: see [`super::languages`]).
    pub lang: crate::config::Language,
    /// Which pages exist in which language, for every language's site.
    pub langs: Arc<super::Langs>,
    /// The folders of the pages this language publishes (with its prefix).
    pub page_folders: Vec<String>,
    /// Page folder → the output path of its share card, for the pages that have one (set
    /// after linking by [`crate::share::attach`]).
    pub share_cards: Arc<std::collections::HashMap<String, String>>,
    /// The old addresses of this language's entries (`aliases:`), checked.
    pub redirects: Vec<super::aliases::Redirect>,
    /// The theme's stylesheets and scripts → their fingerprinted names, when they are
    /// published so (see [`BuildOptions::fingerprint`]).
    pub fingerprints: Arc<std::collections::BTreeMap<String, String>>,
}

impl Site {
    /// Lets go of the entries' source text where nothing later needs it (bodies without
    /// embeds, whose messages are all made by now) and nothing else holds it: a one-shot
    /// build then does not keep the content's text (97 MB at 10,000 stories) while pages
    /// render.
    pub fn release_texts(&mut self) {
        fn release<M: Send + Sync>(entries: &mut [Entry<M>]) {
            entries
                .par_iter_mut()
                .filter(|e| e.embeds.is_empty())
                .for_each(|e| {
                    if let Some(doc) = Arc::get_mut(&mut e.doc) {
                        doc.release_text();
                    }
                });
        }
        release(&mut self.stories);
        release(&mut self.resolutions);
        release(&mut self.partners);
        release(&mut self.pages);
    }

    /// The folder of this language's pages: `""` for the default language, `es/` for others.
    pub fn prefix(&self) -> &str {
        &self.lang.prefix
    }

    /// The language code of this site's own entries: None for the default language, whose
    /// entries are originals (see [`crate::content::Doc::lang`]).
    pub fn lang_code(&self) -> Option<&str> {
        (!self.lang.prefix.is_empty()).then_some(&*self.lang.code)
    }

    /// Whether `e` is this language's own entry (else it is the default language's, shown in
    /// its stead, with its page there).
    pub fn owns<M>(&self, e: &Entry<M>) -> bool {
        e.doc.lang() == self.lang_code()
    }

    /// The URL of a path relative to the site root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    /// Number of pages of a tag's story list.
    pub fn tag_pages(&self, t: &Tag) -> usize {
        t.stories
            .len()
            .div_ceil(self.config.stories_per_page)
            .max(1)
    }

    /// The full address (with scheme and host) of a site path, for feeds and social cards.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.origin(), self.url(path))
    }
}

/// The entries of each collection that are on the site, in display order.
pub(super) type Chosen = (
    Vec<Arc<Doc<Story>>>,
    Vec<Arc<Doc<Resolution>>>,
    Vec<Arc<Doc<Partner>>>,
    Vec<Arc<Doc<Page>>>,
);

/// Leaves out drafts (and stories dated after `options.today`) unless `options.drafts`, and
/// sorts what is left: stories newest first, resolutions oldest first, partners by name.
/// What is left out goes to `absent`, for links to it to say why.
pub(super) fn choose(content: Content, options: &BuildOptions, absent: &mut Absent) -> Chosen {
    let today = options.today;
    let shown = options.drafts;
    let mut stories = keep(content.stories, Collection::Stories, absent, shown, |s| {
        if s.draft {
            Some(Why::Draft)
        } else if s.date > today {
            Some(Why::Scheduled(s.date))
        } else {
            None
        }
    });
    let draft = |d: bool| d.then_some(Why::Draft);
    let mut resolutions = keep(
        content.resolutions,
        Collection::Resolutions,
        absent,
        shown,
        |r| draft(r.draft),
    );
    let mut partners = keep(content.partners, Collection::Partners, absent, shown, |p| {
        draft(p.draft)
    });
    let pages = keep(content.pages, Collection::Pages, absent, shown, |p| {
        draft(p.draft)
    });

    stories.sort_by(|a, b| b.meta.date.cmp(&a.meta.date).then_with(|| a.id.cmp(&b.id)));
    resolutions.sort_by(|a, b| {
        a.meta
            .adopted
            .cmp(&b.meta.adopted)
            .then_with(|| a.id.cmp(&b.id))
    });
    partners.sort_by(|a, b| {
        a.meta
            .name
            .to_lowercase()
            .cmp(&b.meta.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    (stories, resolutions, partners, pages)
}

/// The entries `left_out` gives no reason to leave out, and, when drafts are `shown`, the
/// others too; those go to `absent` either way, for links to them to say why.
fn keep<M>(
    docs: Vec<Arc<Doc<M>>>,
    collection: Collection,
    absent: &mut Absent,
    shown: bool,
    left_out: impl Fn(&M) -> Option<Why>,
) -> Vec<Arc<Doc<M>>> {
    let mut kept = Vec::with_capacity(docs.len());
    for d in docs {
        match left_out(&d.meta) {
            None => kept.push(d),
            Some(why) => {
                let gone = Gone {
                    collection,
                    id: d.id.clone(),
                    file: d.file.path.clone(),
                    why,
                    shown,
                };
                absent.add(gone, d.bundle.as_deref());
                if shown {
                    kept.push(d);
                }
            }
        }
    }
    kept
}
