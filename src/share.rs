//! Stage 3b, share cards: after linking, each page a language publishes without a photo of its
//! own gets a share card ([`crate::cards`]: title, what the page is, its date or symbol, the
//! site's name, the story's illustration), published beside it as `share-card.png` and named
//! by its `og:image`. Cards are drawn once: each is cached in `.rally-cache/cards/` under a
//! hash of everything it shows (and the fonts, and the drawing's version), so a build with
//! nothing changed draws none. `rally serve` never waits for them ([`CardMode::CachedOnly`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cards::{self, Card, Renderer};
use crate::date::DateStyle;
use crate::link::Site;
use crate::load::{Asset, AssetData, Stamp};
use crate::routes;
use crate::strings::Strings;

/// Whether a build makes share cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CardMode {
    /// No cards (the library's default, and themes without fonts for them).
    #[default]
    Off,
    /// `rally build`: every card is drawn before the site is written.
    Make,
    /// `rally serve`: cards in the cache are published; the others are listed in
    /// [`CardMemo::missing`] to be drawn in the background.
    CachedOnly,
}

/// One card to draw: where it goes and what it shows.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The page's folder (`stories/launch/`), whose `og:image` it is.
    pub folder: String,
    pub title: String,
    pub kicker: String,
    pub meta: String,
    pub site_name: String,
    pub rtl: bool,
    pub illustration: Option<Arc<[u8]>>,
}

impl Planned {
    fn card(&self) -> Card<'_> {
        Card {
            title: &self.title,
            kicker: &self.kicker,
            meta: &self.meta,
            site_name: &self.site_name,
            rtl: self.rtl,
            illustration: self.illustration.as_deref(),
        }
    }
}

/// Cards left for later: each with the cache file it goes to.
pub type Missing = Vec<(PathBuf, Planned)>;

/// What share cards keep between builds of `rally serve`.
#[derive(Default)]
pub struct CardMemo {
    /// Cards not in the cache yet, with the fonts to draw them ([`CardMode::CachedOnly`]).
    pub missing: Missing,
}

/// Plans the cards of `site`, draws or finds each, and adds them to the site's files; the
/// site's `share_cards` then maps each page folder to its card's output path.
pub fn attach(
    site: &mut Site,
    sources: &crate::load::Sources,
    strings: &Strings,
    mode: CardMode,
    memo: &mut CardMemo,
) {
    let (fonts, site_root) = (&sources.card_fonts, &sources.root);
    if mode == CardMode::Off || fonts.is_empty() {
        return;
    }
    let taken: std::collections::HashSet<&str> =
        site.assets.iter().map(|a| a.out.as_str()).collect();
    let planned: Vec<Planned> = plan(site, sources, strings)
        .into_iter()
        .filter(|p| !taken.contains(routes::share_card(&p.folder).as_str()))
        .collect();
    let fonts_key = fonts_key(fonts);
    let dir = crate::images::cache_root(site_root).join("cards");
    let renderer = std::sync::OnceLock::new();
    // Each card's cache file, with its size and time when it is there (one look at the disk
    // per card, in parallel: 10,000 cards are looked up in a few milliseconds).
    let found: Vec<(String, Option<Stamp>)> = planned
        .par_iter()
        .map(|p| {
            let key = format!("{}-{fonts_key:016x}", cards::key(&p.card()));
            let file = file_for(&dir, &key);
            match std::fs::metadata(&file) {
                Ok(m) if crate::images::cache::is_sealed(&m) => {
                    return (key, Some(Stamp::from_metadata(&m)));
                }
                _ => {}
            }
            if mode == CardMode::CachedOnly {
                return (key, None);
            }
            let r = renderer.get_or_init(|| Renderer::new(&owned(fonts)).ok());
            let made = r
                .as_ref()
                .and_then(|r| r.render(&p.card()).ok())
                .and_then(|png| crate::images::cache::store_sealed(&file, &png).ok())
                .and_then(|()| std::fs::metadata(&file).ok());
            (key, made.map(|m| Stamp::from_metadata(&m)))
        })
        .collect();
    let mut cards = HashMap::with_capacity(planned.len());
    site.assets.reserve(planned.len());
    for (p, (key, stamp)) in planned.into_iter().zip(found) {
        let out = routes::share_card(&p.folder);
        match stamp {
            Some(stamp) => {
                site.assets.push(Asset {
                    source: format!("(share card of {})", p.folder),
                    out: out.clone(),
                    data: AssetData::File(file_for(&dir, &key), stamp),
                    size: Some((cards::WIDTH, cards::HEIGHT)),
                    variants: None,
                });
                cards.insert(p.folder, out);
            }
            // Named by the page already (its address does not change), published once drawn:
            // the page itself need not be rendered again for it.
            None if mode == CardMode::CachedOnly => {
                cards.insert(p.folder.clone(), out);
                memo.missing.push((file_for(&dir, &key), p));
            }
            // A card that cannot be drawn (fonts that do not load) leaves the page without one.
            None => {}
        }
    }
    site.share_cards = Arc::new(cards);
}

fn file_for(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.png"))
}

fn owned(fonts: &[Arc<[u8]>]) -> Vec<Vec<u8>> {
    fonts.iter().map(|f| f.to_vec()).collect()
}

fn fonts_key(fonts: &[Arc<[u8]>]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for f in fonts {
        h.update(&(f.len() as u64).to_le_bytes());
        h.update(f);
    }
    h.digest()
}

/// Draws the cards `rally serve` left for later; returns how many were drawn. One at a
/// time, on the caller's thread: the preview's rebuilds keep the thread pool to themselves.
pub fn draw_missing(fonts: &[Arc<[u8]>], missing: &[(PathBuf, Planned)]) -> usize {
    let Ok(r) = Renderer::new(&owned(fonts)) else {
        return 0;
    };
    missing
        .iter()
        .filter(|(file, p)| {
            r.render(&p.card())
                .ok()
                .is_some_and(|png| crate::images::cache::store_sealed(file, &png).is_ok())
        })
        .count()
}

/// The cards a language's site needs: every entry page it publishes (a story with a photo
/// of its own shares that instead), the home page, the three section pages and the search
/// page.
pub fn plan(site: &Site, sources: &crate::load::Sources, strings: &Strings) -> Vec<Planned> {
    let lang = &*site.lang.code;
    let rtl = site.lang.dir == crate::config::Dir::Rtl;
    let site_name = site
        .lang
        .title
        .clone()
        .unwrap_or_else(|| site.config.title.clone());
    let text = |key: &str, english: &str| {
        strings
            .format(lang, key, None)
            .unwrap_or_else(|_| english.to_string())
    };
    let card = |folder: &str, title: &str, kicker: String, meta: String| Planned {
        folder: folder.to_string(),
        title: title.to_string(),
        kicker,
        meta,
        site_name: site_name.clone(),
        rtl,
        illustration: None,
    };
    // The site's files (only the default language's site lists them).
    let assets: HashMap<&str, &Asset> = sources
        .theme_assets
        .iter()
        .chain(&sources.assets)
        .map(|a| (a.out.as_str(), a))
        .collect();
    let mut out = Vec::new();
    let p = site.prefix();
    let home_title = text("home-headline", &site_name);
    out.push(card(
        &routes::within(p, routes::HOME),
        &home_title,
        String::new(),
        String::new(),
    ));
    for (place, key, english) in [
        (
            routes::stories(p, 1).into_owned(),
            "stories-title",
            "Stories",
        ),
        (
            routes::within(p, routes::RESOLUTIONS).into_owned(),
            "resolutions-all",
            "Resolutions and standards",
        ),
        (
            routes::within(p, routes::PARTNERS).into_owned(),
            "partners-title",
            "Partners",
        ),
    ] {
        out.push(card(
            &place,
            &text(key, english),
            String::new(),
            String::new(),
        ));
    }
    if crate::search::wanted(sources) {
        out.push(card(
            &routes::within(p, routes::SEARCH),
            &text("search-title", "Search"),
            String::new(),
            String::new(),
        ));
    }
    let story_kicker = text("card-story", "Story");
    // Stories are most of a site: planned in parallel (a date in words each).
    out.par_extend(
        site.stories
            .par_iter()
            .filter(|e| site.owns(e) && e.image_variants.is_none())
            .map(|e| {
                let m = &e.doc.meta;
                let mut c = card(
                    &e.path,
                    &m.title,
                    story_kicker.clone(),
                    m.date.format(lang, DateStyle::Long),
                );
                c.illustration = illustration(site, &assets, e.image_url.as_deref());
                c
            }),
    );
    for e in site.resolutions.iter().filter(|e| site.owns(e)) {
        let m = &e.doc.meta;
        let kind = m.kind;
        let kicker = text(
            &format!("{}{}", crate::content::ResolutionKind::STRINGS, kind.key()),
            kind.label(),
        );
        let meta = m
            .symbol
            .clone()
            .unwrap_or_else(|| m.adopted.format(lang, DateStyle::Long));
        out.push(card(&e.path, &m.title, kicker, meta));
    }
    for e in site.partners.iter().filter(|e| site.owns(e)) {
        let m = &e.doc.meta;
        let kicker = text(
            &format!(
                "{}{}-one",
                crate::content::PartnerType::STRINGS,
                m.kind.key()
            ),
            m.kind.singular(),
        );
        out.push(card(
            &e.path,
            &m.name,
            kicker,
            m.acronym.clone().unwrap_or_default(),
        ));
    }
    for e in site.pages.iter().filter(|e| site.owns(e)) {
        out.push(card(
            &e.path,
            &e.doc.meta.title,
            String::new(),
            String::new(),
        ));
    }
    out
}

/// The bytes of a story's SVG picture, for its card.
fn illustration(
    site: &Site,
    assets: &HashMap<&str, &Asset>,
    url: Option<&str>,
) -> Option<Arc<[u8]>> {
    let key = url?.strip_prefix(&site.base_path)?.replace("%20", " ");
    if !key.to_ascii_lowercase().ends_with(".svg") {
        return None;
    }
    let asset = assets.get(key.as_str())?;
    match &asset.data {
        AssetData::File(path, _) => std::fs::read(path).ok().map(Arc::from),
        AssetData::Embedded(b) => Some(Arc::from(*b)),
    }
}
