//! Stage 3c, search: after linking, each language's entries are indexed with Pagefind
//! (its Rust library: word stemming for every language rally's themes ship, Arabic
//! included), and the bundle the browser searches with is published under `pagefind/`:
//! one index per language, a visitor's browser loading only the parts a query needs, no
//! server. What is indexed is [`documents`] (made from the site, not from the theme's pages);
//! drafts and future stories never are. Each language's bundle is cached under a hash of its
//! documents, so a build with nothing changed indexes nothing, and `rally serve` indexes in
//! the background ([`SearchMode::CachedOnly`]), keeping the last index meanwhile.

mod bundle;
pub mod documents;
pub mod names;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use bundle::Stored;
pub use documents::{Document, documents};

use crate::diagnostics::Diagnostic;
use crate::link::Site;
use crate::load::{Asset, AssetData, Sources, Stamp};
use crate::strings::Strings;

/// Where the bundle is published, under the site's root.
pub const BUNDLE: &str = "pagefind/";

/// The template of the search page: a theme without one gets no index.
pub const TEMPLATE: &str = "search.html";

/// Whether a build makes the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchMode {
    /// No index (the library's default, `rally check`).
    #[default]
    Off,
    /// `rally build`: every language's index is made (or found) before the site is written.
    Make,
    /// `rally serve`: indexes in the cache are published; the others are left in
    /// [`SearchMemo::missing`] to be made in the background, the last index standing in.
    CachedOnly,
}

/// An index to make later: its language's site (whose documents are written then, off
/// the rebuild), its cache folder, and the folder of the index published meanwhile.
pub struct Pending {
    pub lang: String,
    site: Box<Site>,
    strings: Arc<Strings>,
    pub folder: PathBuf,
    pub keep: Option<PathBuf>,
}

impl Pending {
    /// Writes the documents and indexes them into the cache.
    pub fn make(&self) -> Result<Stored, String> {
        let docs = documents(&self.site, &self.strings);
        bundle::make(&self.lang, &docs, &self.folder, self.keep.as_deref())
    }
}

/// What search keeps between builds of `rally serve`.
#[derive(Default)]
pub struct SearchMemo {
    pub missing: Vec<Pending>,
    /// Each language's last published bundle (with its files' stamps, checked when it was
    /// found), published again as it is while the language's documents are unchanged, and
    /// meanwhile while its new one is made.
    last: HashMap<String, Whole>,
    /// Each language's stories' digests (see [`documents::fingerprint`]).
    digests: HashMap<String, documents::Digests>,
}

/// Whether the site's templates (or its theme's) have a search page.
pub fn wanted(sources: &Sources) -> bool {
    let theme = format!("theme/{TEMPLATE}");
    sources
        .templates
        .iter()
        .any(|t| t.path == TEMPLATE || t.path == theme)
}

/// Indexes every language's site and adds the bundle's files to the default language's
/// site (the first), which publishes the files every language shares.
pub fn attach(
    sites: &mut [Site],
    sources: &Sources,
    strings: &Arc<Strings>,
    mode: SearchMode,
    memo: &mut SearchMemo,
) -> Vec<Diagnostic> {
    memo.missing.clear();
    if mode == SearchMode::Off || sites.is_empty() || !wanted(sources) {
        return Vec::new();
    }
    let dir = crate::images::cache_root(&sources.root).join("search");
    // Each language's documents are hashed, not written, unless its bundle must be made.
    // `rally serve` keeps each story's digest for the next rebuild; `rally build` does not,
    // since holding its stories would keep their text in memory while pages render.
    let folders: Vec<PathBuf> = sites
        .iter()
        .map(|site| {
            let mut once = documents::Digests::default();
            let digests = match mode {
                SearchMode::CachedOnly => {
                    memo.digests.entry(site.lang.code.to_string()).or_default()
                }
                _ => &mut once,
            };
            let fingerprint = documents::fingerprint(site, strings, digests);
            dir.join(bundle::key(&site.lang.code, fingerprint))
        })
        .collect();
    let found: Vec<Result<Option<Whole>, String>> = folders
        .par_iter()
        .zip(sites.par_iter())
        .map(|(folder, site)| {
            // `rally serve`: the bundle it publishes already, checked when it was found.
            if let Some(last) = memo.last.get(&*site.lang.code)
                && last.0.folder == *folder
                && bundle::read(folder).is_some()
            {
                return Ok(Some(last.clone()));
            }
            if let Some(whole) = bundle::read(folder).and_then(stamped) {
                bundle::touch(folder);
                return Ok(Some(whole));
            }
            match mode {
                SearchMode::Make => {
                    bundle::make(&site.lang.code, &documents(site, strings), folder, None)
                        .map(stamped)
                        .and_then(|s| {
                            s.ok_or_else(|| "its files changed as they were written".into())
                        })
                        .map(Some)
                }
                _ => Ok(None),
            }
        })
        .collect();
    let mut bundles = Vec::with_capacity(folders.len());
    let mut problems = Vec::new();
    for ((folder, found), site) in folders.into_iter().zip(found).zip(sites.iter()) {
        let lang = site.lang.code.to_string();
        let found = found.unwrap_or_else(|why| {
            problems.push(
                Diagnostic::warning(format!(
                    "the search index of the `{lang}` pages could not be made: {why}"
                ))
                .help("the site is built without it; delete the .rally-cache folder and build again, and if this stays, report it"),
            );
            None
        });
        match found {
            Some(b) => {
                bundles.push(b.clone());
                memo.last.insert(lang, b);
            }
            None => {
                let last = memo.last.get(&lang).cloned();
                if mode == SearchMode::CachedOnly {
                    memo.missing.push(Pending {
                        keep: last.as_ref().map(|l| l.0.folder.clone()),
                        site: Box::new(site.clone()),
                        strings: strings.clone(),
                        lang,
                        folder,
                    });
                }
                bundles.extend(last);
            }
        }
    }
    publish(&mut sites[0], &dir, &bundles);
    problems
}

/// A stored bundle with the stamps of its files.
type Whole = Arc<(Stored, Vec<Stamp>)>;

/// A stored bundle with the stamps of its files, if every file is there as rally wrote it.
fn stamped(s: Stored) -> Option<Whole> {
    let stamps = s
        .files
        .par_iter()
        .map(|f| {
            let m = std::fs::metadata(s.folder.join(f)).ok()?;
            crate::images::cache::is_sealed(&m).then(|| Stamp::from_metadata(&m))
        })
        .collect::<Option<Vec<Stamp>>>()?;
    Some(Arc::new((s, stamps)))
}

const ENTRY: &str = "pagefind-entry.json";

/// Adds the bundles' files to `site`: each file once (the script and the generic files are
/// in every language's bundle), and one entry file naming every language's index.
fn publish(site: &mut Site, dir: &Path, bundles: &[Whole]) {
    if bundles.is_empty() {
        return;
    }
    let taken: std::collections::HashSet<String> =
        site.assets.iter().map(|a| a.out.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    let mut languages = serde_json::Map::new();
    let mut entry = serde_json::Map::new();
    for b in bundles {
        let (stored, stamps) = &**b;
        for (file, stamp) in stored.files.iter().zip(stamps) {
            let path = stored.folder.join(file);
            if file == ENTRY {
                if let Some(serde_json::Value::Object(mut e)) = std::fs::read(&path)
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok())
                {
                    if let Some(serde_json::Value::Object(l)) = e.remove("languages") {
                        languages.extend(l);
                    }
                    if entry.is_empty() {
                        entry = e;
                    }
                }
                continue;
            }
            let out = format!("{BUNDLE}{file}");
            if taken.contains(&out) || !seen.insert(out.clone()) {
                continue;
            }
            site.assets.push(Asset {
                source: "(search index)".into(),
                out,
                data: AssetData::File(path, *stamp),
                size: None,
                variants: None,
            });
        }
    }
    entry.insert("languages".into(), serde_json::Value::Object(languages));
    let bytes = serde_json::Value::Object(entry).to_string().into_bytes();
    let file = dir.join(format!(
        "entry-{:016x}.json",
        xxhash_rust::xxh3::xxh3_64(&bytes)
    ));
    let ok = match std::fs::metadata(&file) {
        Ok(m) if crate::images::cache::is_sealed(&m) => true,
        _ => crate::images::cache::store_sealed(&file, &bytes).is_ok(),
    };
    let out = format!("{BUNDLE}{ENTRY}");
    if ok && !taken.contains(&out) {
        site.assets.push(Asset {
            source: "(search index)".into(),
            out,
            data: AssetData::File(file.clone(), Stamp::of(&file)),
            size: None,
            variants: None,
        });
    }
}

/// Makes the indexes `rally serve` left for later, one language at a time on the caller's
/// thread; returns how many were made.
pub fn make_missing(missing: &[Pending]) -> usize {
    missing.iter().filter(|p| p.make().is_ok()).count()
}
