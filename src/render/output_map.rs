//! The built site as render hands it on: output path → file, kept between builds and updated
//! in place, so that an unchanged page is the same bytes (and the same pointer) as last time.

use std::collections::BTreeMap;
use std::sync::Arc;

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
