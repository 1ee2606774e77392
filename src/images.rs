//! Stage 1b, pictures: photos made fit for phones before the build uses them. Each raster
//! file of `content/` (JPEG, PNG, WebP; `static/` is published byte for byte) is turned upright,
//! resized to the widths of `images:` in site.yaml (never enlarged) and encoded as lossy
//! WebP and in its own format, without metadata: photos of children's surroundings must not
//! carry their GPS position. [`prepare`] swaps each such asset of the [`Sources`] for its
//! largest copy and lists the others ([`crate::load::Variants`]), so the later stages and
//! the output see ordinary files; pages get `srcset` from them ([`html`] for texts).
//!
//! Work is cached in `.rally-cache/images/` by a hash of the picture, the settings and
//! [`CODE_VERSION`] ([`cache`]), so a second build encodes nothing. GIFs (often animated)
//! and SVG drawings pass through unchanged.
//!
//! [`Sources`]: crate::load::Sources

pub mod cache;
pub mod encode;
pub mod html;
#[doc(hidden)]
pub mod samples;
mod stage;

pub use cache::{CODE_VERSION, Cache, Stored};
pub use encode::{Format, Processed, Settings, Unreadable, Variant, process, widths_for};
pub use stage::{Mode, Prepared, is_photo, prepare, process_missing};

/// Where the build's cache lives, relative to the site folder (git-ignored): photos in
/// `images/`, share cards in `cards/`.
pub const CACHE_DIR: &str = ".rally-cache";

/// The environment variable that moves the build's cache elsewhere (a CI cache, or one
/// folder for many test sites).
pub const CACHE_ENV: &str = "RALLY_SITE_CACHE";

/// The build's cache folder of the site at `root`: `$RALLY_SITE_CACHE`, else
/// `.rally-cache/` in the site.
pub fn cache_root(root: &std::path::Path) -> std::path::PathBuf {
    match std::env::var_os(CACHE_ENV) {
        Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
        _ => root.join(CACHE_DIR),
    }
}

/// The real path of a file in the build's cache of the site at `real_root` (itself
/// resolved), for `rally serve`, which reads no hidden folder otherwise; None for anything
/// else.
pub fn cached_file_inside(
    real_root: &std::path::Path,
    path: &std::path::Path,
) -> Option<std::path::PathBuf> {
    let real = path.canonicalize().ok()?;
    let cache = cache_root(real_root).canonicalize().ok()?;
    let rel = real.strip_prefix(cache).ok()?;
    let plain = rel
        .components()
        .all(|c| !crate::load::is_ignored(&c.as_os_str().to_string_lossy()));
    plain.then_some(real)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_files_of_the_cache_are_read() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        let cache = root.join(super::CACHE_DIR).join("images/abc");
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("480x320.webp"), b"w").unwrap();
        std::fs::write(outside.path().join("secret"), b"s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), cache.join("1x1.jpg")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), b"o").unwrap();
        std::fs::write(cache.join(".hidden"), b"h").unwrap();
        let read = |p: std::path::PathBuf| super::cached_file_inside(&root, &p);
        assert!(read(cache.join("480x320.webp")).is_some());
        assert!(
            read(cache.join("1x1.jpg")).is_none(),
            "a link out of the site"
        );
        assert!(read(root.join(".git/config")).is_none());
        assert!(read(cache.join(".hidden")).is_none());
        assert!(read(cache.join("../../../../etc/passwd")).is_none());
    }
}
