//! The texts of a site as rally holds them: a file's path, its text and a version that
//! changes with every read of different text (what later stages memoize on), and the size
//! above which a text is too long for a page. A leaf: loading makes these, parsing reads
//! them, and neither needs the other for it.

use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// A text file of the site, with its path relative to the root (`/` separators).
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: String,
    pub text: Arc<str>,
    /// Unique for each read of a file: equal versions mean equal text, so later stages can
    /// reuse what they computed from it (see [`crate::Memo`]).
    pub version: u64,
}

impl SourceText {
    pub fn new(path: impl Into<String>, text: Arc<str>) -> SourceText {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        SourceText {
            path: path.into(),
            text,
            version: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// Content files above this size (5 MB) are built, with a warning: no reader scrolls
/// through a page that long, and it loads slowly on a phone.
pub const LARGE_FILE: usize = 5 << 20;
/// The warning for a content file above [`LARGE_FILE`].
pub fn large_file_warning(rel: &str, len: usize) -> Diagnostic {
    Diagnostic::warning(format!(
        "this file is {:.1} MB, more than the {} MB a page should be",
        len as f64 / (1 << 20) as f64,
        LARGE_FILE >> 20
    ))
    .in_file(rel)
    .help("split it into several stories or pages, or publish a long document as a PDF and link to it")
}
