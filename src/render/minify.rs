//! `--minify` (`minify: true`): pages without the whitespace, comments and optional tags HTML
//! lets a page leave out, by minify-html, in its spec-compliant mode (the Nu checker still
//! finds nothing).
//!
//! What runs or is read as written stays as written: scripts and styles are not rewritten
//! (the Content-Security-Policy allows the inline script by its digest), nor are JSON-LD,
//! `<pre>` and `<textarea>` contents.

use std::sync::LazyLock;

static SETTINGS: LazyLock<minify_html::Cfg> = LazyLock::new(|| minify_html::Cfg {
    // Already small files of the theme's own; rewriting them would change their digest.
    minify_css: false,
    minify_js: false,
    ..minify_html::Cfg::default()
});

/// Minifies the page in `buf` in place.
pub(super) fn page(buf: &mut Vec<u8>) {
    *buf = minify_html::minify(buf, &SETTINGS);
}
