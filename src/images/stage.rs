//! [`prepare`]: every photo of the sources looked up in the cache (or processed), and the
//! sources' asset list rewritten to publish the copies instead of the original.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{Cache, Stored};
use super::encode::{Format, Settings};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Asset, AssetData, Sources, Stamp, Variants};

/// Whether missing copies are made now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `rally build` and `rally check`: every photo is processed before the build goes on.
    Make,
    /// `rally serve`: only what the cache has is used; the rest is published as it is and
    /// listed in [`Prepared::missing`], to be made without holding up a reload.
    CachedOnly,
    /// `rally check`, which writes nothing: what the cache has is used, the rest is only
    /// decoded, to report a picture that cannot be read.
    Check,
}

/// What [`prepare`] did.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Unreadable pictures (errors), very large originals (warnings).
    pub diagnostics: Diagnostics,
    /// Photos whose copies are not in the cache yet ([`Mode::CachedOnly`]).
    pub missing: Vec<PathBuf>,
    /// How many photos were processed now, and how many came from the cache.
    pub made: usize,
    pub cached: usize,
}

/// Whether rally makes copies of a file with this name: the raster formats browsers show
/// (not GIF, which is often animated, nor SVG, which is drawn at any size).
pub fn is_photo(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, e)| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "jpg" | "jpeg" | "png" | "webp"
        )
    })
}

enum Found {
    Stored(Stored, bool),
    Missing,
    Failed(Diagnostic),
}

/// Replaces each photo in `sources.assets` with its copies (see the module's comment).
pub fn prepare(sources: &mut Sources, mode: Mode) -> Prepared {
    let settings = Settings::from(&sources.config.images);
    let cache = Cache::new(super::cache_root(&sources.root).join("images"));
    let warn_above = u64::from(sources.config.images.warn_above_mb) * 1_000_000;
    let photos: Vec<(usize, PathBuf)> = sources
        .assets
        .iter()
        .enumerate()
        // `static/` is published byte for byte, as its name says.
        .filter(|(_, a)| {
            a.source.starts_with("content/") && is_photo(&a.out) && a.variants.is_none()
        })
        .filter_map(|(i, a)| match &a.data {
            AssetData::File(p, _) => Some((i, p.clone())),
            AssetData::Embedded(_) => None,
        })
        .collect();
    let found: Vec<(Found, Option<Diagnostic>)> = photos
        .par_iter()
        .map(|(i, path)| {
            look_up(
                &sources.assets[*i],
                path,
                &cache,
                &settings,
                mode,
                warn_above,
            )
        })
        .collect();
    let mut out = Prepared::default();
    let mut taken: std::collections::HashSet<String> =
        sources.assets.iter().map(|a| a.out.clone()).collect();
    let mut added = Vec::new();
    for ((i, path), (found, warning)) in photos.into_iter().zip(found) {
        out.diagnostics.extend(warning);
        match found {
            Found::Failed(d) => out.diagnostics.push(d),
            Found::Missing => out.missing.push(path),
            Found::Stored(stored, made) => {
                if made {
                    out.made += 1;
                } else {
                    out.cached += 1;
                }
                match publish(&mut sources.assets[i], &stored, &mut taken) {
                    Ok(more) => added.extend(more),
                    Err(d) => out.diagnostics.push(d),
                }
            }
        }
    }
    sources.assets.extend(added);
    sources.assets.sort_by(|a, b| a.out.cmp(&b.out));
    out
}

/// The photo's copies, from the cache or (with [`Mode::Make`]) made now, and a warning if
/// the original is very large.
fn look_up(
    asset: &Asset,
    path: &Path,
    cache: &Cache,
    settings: &Settings,
    mode: Mode,
    warn_above: u64,
) -> (Found, Option<Diagnostic>) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                Found::Failed(
                    Diagnostic::error(format!("`{}` cannot be read: {e}", asset.source))
                        .in_file(&asset.source)
                        .help("check that the file exists and that you may read it"),
                ),
                None,
            );
        }
    };
    let warning = (warn_above > 0 && bytes.len() as u64 > warn_above).then(|| {
        Diagnostic::warning(format!(
            "`{}` is {:.1} MB: a large original",
            asset.source,
            bytes.len() as f64 / 1e6
        ))
        .in_file(&asset.source)
        .help(format!(
            "the site publishes small copies, but every clone of the repository carries the \
             original; save it at most {} pixels wide (as JPEG at quality 85) to keep it under \
             {} MB (`images.warn_above_mb` in site.yaml sets this limit)",
            settings.widths.last().copied().unwrap_or(1600) * 2,
            warn_above / 1_000_000
        ))
    });
    let found = match mode {
        Mode::CachedOnly => match cache.get(&Cache::key(&bytes, settings)) {
            Some(Ok(s)) => Found::Stored(s, false),
            Some(Err(e)) => Found::Failed(unreadable(asset, &e)),
            None => Found::Missing,
        },
        Mode::Check => match cache.get(&Cache::key(&bytes, settings)) {
            Some(Ok(s)) => Found::Stored(s, false),
            Some(Err(e)) => Found::Failed(unreadable(asset, &e)),
            None => match super::encode::check(&bytes) {
                Ok(()) => Found::Missing,
                Err(e) => Found::Failed(unreadable(asset, &e)),
            },
        },
        Mode::Make => match cache.get_or_make(&bytes, settings) {
            Ok((s, made)) => Found::Stored(s, made),
            Err(e) => Found::Failed(unreadable(asset, &e)),
        },
    };
    (found, warning)
}

fn unreadable(asset: &Asset, e: &super::Unreadable) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is not a picture rally can read",
        asset.source
    ))
    .in_file(&asset.source)
    .help(format!(
        "{}; open it in an image editor and save it again as JPEG or PNG (a file renamed \
             from another format keeps its old contents)",
        e.0
    ))
}

/// Points `asset` at its largest copy in its own format and returns the other copies as
/// assets: `photo.jpg` → `photo.jpg` (largest), `photo-480w.webp`, `photo-480w.jpg`, …
fn publish(
    asset: &mut Asset,
    stored: &Stored,
    taken: &mut std::collections::HashSet<String>,
) -> Result<Vec<Asset>, Diagnostic> {
    let own = own_format(&asset.out);
    let largest = stored
        .files
        .iter()
        .filter(|f| f.format == own)
        .max_by_key(|f| f.width)
        .ok_or_else(|| {
            let actual = stored
                .files
                .iter()
                .map(|f| f.format)
                .find(|f| *f != Format::Webp)
                .unwrap_or(Format::Webp);
            Diagnostic::error(format!(
                "`{}` is a {} picture under another format's name",
                asset.source,
                actual.extension().to_uppercase()
            ))
            .in_file(&asset.source)
            .help(format!(
                "rename the file to end in .{} (and the places that name it), or save it again \
                 in the format its name says",
                actual.extension()
            ))
        })?;
    let stem = asset
        .out
        .rsplit_once('.')
        .map_or(asset.out.as_str(), |(s, _)| s);
    let mut variants = Variants {
        webp: Vec::new(),
        fallback: Vec::new(),
    };
    let mut more = Vec::new();
    for f in &stored.files {
        let is_largest = std::ptr::eq(f, largest);
        let out = if is_largest {
            asset.out.clone()
        } else {
            format!("{stem}-{}w.{}", f.width, f.format.extension())
        };
        if !is_largest {
            if !taken.insert(out.clone()) {
                return Err(Diagnostic::error(format!(
                    "`{out}` is the name of a resized copy of `{}`, and also of another file",
                    asset.source
                ))
                .in_file(&asset.source)
                .help(format!(
                    "rename the other file: rally publishes the copies of {} under names ending \
                     in -<width>w",
                    asset.out
                )));
            }
            more.push(Asset {
                source: asset.source.clone(),
                out: out.clone(),
                data: AssetData::File(f.path.clone(), Stamp::of(&f.path)),
                size: Some((f.width, f.height)),
                variants: None,
            });
        }
        match f.format {
            Format::Webp => variants.webp.push((out.clone(), f.width)),
            _ => variants.fallback.push((out, f.width)),
        }
    }
    if own == Format::Webp {
        variants.fallback.clear();
    }
    asset.data = AssetData::File(largest.path.clone(), Stamp::of(&largest.path));
    asset.size = Some((largest.width, largest.height));
    asset.variants = Some(Arc::new(variants));
    Ok(more)
}

fn own_format(name: &str) -> Format {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(e) if e == "png" => Format::Png,
        Some(e) if e == "webp" => Format::Webp,
        _ => Format::Jpeg,
    }
}

/// Makes the copies of `paths` (for `rally serve`, off its reload path); returns how many
/// could be made. One at a time, on the caller's thread: the rebuilds of the preview keep
/// the thread pool (and the cores) to themselves.
pub fn process_missing(
    root: &Path,
    config: &crate::config::ImageConfig,
    paths: &[PathBuf],
) -> usize {
    let settings = Settings::from(config);
    let cache = Cache::new(super::cache_root(root).join("images"));
    paths
        .iter()
        .filter(|p| {
            std::fs::read(p)
                .ok()
                .is_some_and(|b| cache.get_or_make(&b, &settings).is_ok())
        })
        .count()
}
