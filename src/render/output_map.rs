//! The built site as render hands it on: output path → file, kept between builds and updated
//! in place, so that an unchanged page is the same bytes (and the same pointer) as last time.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use super::errors::{RenderError, merge_repeated};
use super::jobs::Job;
use super::memo::RenderMemo;
use super::pages::{Page, PageOut};
use crate::diagnostics::Diagnostics;
use crate::link::Site;
use crate::load::AssetData;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputFile {
    Bytes(Arc<[u8]>),
    Copy(PathOrEmbedded),
    /// Already handed to a [`PageSink`] (by `rally build`, which does not keep pages).
    Written,
}

/// Takes each page as soon as it is rendered, so that a build need not hold the whole site
/// in memory: `rally build` writes pages straight into its staging folder.
pub trait PageSink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
}

/// Where an unchanged file's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum PathOrEmbedded {
    Path(std::path::PathBuf, crate::load::Stamp),
    Embedded(&'static [u8]),
}

/// The built site: output path (relative, `/` separators) → file. Sorted, so writing and
/// comparing are deterministic.
pub type Output = BTreeMap<Arc<str>, OutputFile>;

/// Puts this build's pages and files into the memo's output map, in place, and keeps the
/// pages' fingerprints for the next build; or, when a page failed, its errors.
pub(super) fn update(
    memo: &mut RenderMemo,
    rendered: Vec<Result<PageOut, RenderError>>,
    jobs: Vec<Job>,
    host: Vec<(String, Arc<[u8]>)>,
    site: &Site,
) -> Result<(), Diagnostics> {
    memo.rendered.clear();
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    let mut prints = Vec::with_capacity(jobs.len());
    for r in rendered {
        match r {
            Ok((path, print, quick, rendered)) => {
                prints.push(quick);
                match rendered {
                    Page::Kept(bytes) => fresh.push((path, print, bytes)),
                    // Listed in the output, not kept.
                    Page::Written => {
                        memo.rendered.push(path.clone());
                        memo.output
                            .insert(path.as_str().into(), OutputFile::Written);
                    }
                    Page::Reused => {}
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        memo.last.pages_shape = None;
        return Err(merge_repeated(errors));
    }
    memo.last.pages_shape = Some(site.shape);
    memo.last.prints = prints;
    for (path, print, bytes) in fresh {
        memo.rendered.push(path.clone());
        memo.output
            .insert(path.as_str().into(), OutputFile::Bytes(bytes.clone()));
        memo.pages.insert(path, (print, bytes));
    }
    for a in &site.assets {
        let data = match &a.data {
            AssetData::File(p, stamp) => PathOrEmbedded::Path(p.clone(), *stamp),
            AssetData::Embedded(b) => PathOrEmbedded::Embedded(b),
        };
        let file = OutputFile::Copy(data);
        if memo.output.get(a.out.as_str()) != Some(&file) {
            memo.output.insert(a.out.as_str().into(), file);
        }
    }
    // The host's files and redirect pages, after the assets: they take the place of the
    // site's own `static/_redirects` and `_headers`, whose lines they begin with.
    for (path, bytes) in &host {
        let file = OutputFile::Bytes(bytes.clone());
        if memo.output.get(path.as_str()) != Some(&file) {
            memo.output.insert(path.as_str().into(), file);
        }
    }
    // Files of pages and assets that are gone.
    let listed = jobs.len() + site.assets.len() + host.len();
    if memo.output.len() > listed || memo.pages.len() > jobs.len() {
        let current: HashSet<String> = jobs
            .iter()
            .map(|j| j.out(site))
            .chain(site.assets.iter().map(|a| a.out.clone()))
            .chain(host.iter().map(|(p, _)| p.clone()))
            .collect();
        memo.output.retain(|k, _| current.contains(&**k));
        memo.pages.retain(|k, _| current.contains(k));
    }
    memo.last.jobs = jobs;
    Ok(())
}
