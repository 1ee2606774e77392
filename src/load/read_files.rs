//! The few static files load reads rather than lists: the site's own host files
//! (`_redirects`, `_headers`), which rally's rules are added to, and the theme's stylesheets
//! and scripts, whose bytes name their fingerprinted copies.

use std::sync::Arc;

use super::{Asset, AssetData, read_text};
use crate::diagnostics::Diagnostics;

/// The host files the site writes itself (see [`Sources::host_files`]).
pub(super) fn host_files(
    assets: &[Asset],
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, Arc<str>> {
    let mut out = std::collections::BTreeMap::new();
    for a in assets
        .iter()
        .filter(|a| crate::routes::HOST_FILES.contains(&a.out.as_str()))
    {
        let AssetData::File(path, _) = &a.data else {
            continue;
        };
        match read_text(path, &a.source) {
            Ok(text) => {
                out.insert(a.out.clone(), text);
            }
            Err(d) => diags.push(d),
        }
    }
    out
}

/// The fingerprinted names of the theme's stylesheets and scripts (see
/// [`Sources::fingerprints`]); a site file of the same path stands in for the theme's.
pub(super) fn fingerprints(
    theme: &[Asset],
    site: &[Asset],
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for t in theme {
        let Some((stem, ext)) = t.out.rsplit_once('.') else {
            continue;
        };
        if !matches!(ext, "css" | "js") {
            continue;
        }
        let data = match site.iter().find(|a| a.out == t.out) {
            Some(a) => &a.data,
            None => &t.data,
        };
        let digest = match data {
            AssetData::Embedded(b) => xxhash_rust::xxh3::xxh3_64(b),
            AssetData::File(p, _) => match std::fs::read(p) {
                Ok(b) => xxhash_rust::xxh3::xxh3_64(&b),
                // Published under its own name, as it is; the copy reports the error.
                Err(_) => continue,
            },
        };
        out.insert(t.out.clone(), format!("{stem}.{:012x}.{ext}", digest >> 16));
    }
    out
}
