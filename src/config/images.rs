//! `images:` in site.yaml: how photos are resized and encoded (see docs/images.md).

use serde::{Deserialize, Serialize};

/// The widths, qualities and size limit of photo processing. Every key has a default, so
/// a site that says nothing gets photos fit for phones.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    /// The widths offered to browsers, in pixels. A photo is never enlarged: one narrower
    /// than the largest width gets its own width instead.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// Quality of the WebP copies, 1–100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// Quality of the JPEG copies (for browsers without WebP), 1–100.
    #[serde(default = "default_jpeg_quality")]
    pub jpeg_quality: u8,
    /// Originals larger than this many megabytes get a warning: the site publishes small
    /// copies, but the repository and every clone carry the original.
    #[serde(default = "default_warn_above_mb")]
    pub warn_above_mb: u32,
    /// The `sizes` attribute of pictures in texts: how wide they are shown, so that a
    /// phone downloads the small copy.
    #[serde(default = "default_sizes")]
    pub sizes: String,
}

impl Default for ImageConfig {
    fn default() -> ImageConfig {
        ImageConfig {
            widths: default_widths(),
            quality: default_quality(),
            jpeg_quality: default_jpeg_quality(),
            warn_above_mb: default_warn_above_mb(),
            sizes: default_sizes(),
        }
    }
}

/// 1200 is the width social networks ask for, so a photo's share card is one of its copies.
fn default_widths() -> Vec<u32> {
    vec![480, 960, 1200, 1600]
}
fn default_quality() -> u8 {
    75
}
fn default_jpeg_quality() -> u8 {
    80
}
fn default_warn_above_mb() -> u32 {
    5
}
/// The campaign theme's text column is at most 68 characters (about 42rem) wide.
fn default_sizes() -> String {
    "(min-width: 48rem) 42rem, 100vw".into()
}

impl ImageConfig {
    /// What is wrong with the values, if anything, as (key, message).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.widths.is_empty() {
            return Some(("widths", "`images.widths` lists no width".into()));
        }
        if let Some(w) = self.widths.iter().find(|w| !(16..=8192).contains(*w)) {
            return Some((
                "widths",
                format!("`images.widths` has {w}: widths go from 16 to 8192 pixels"),
            ));
        }
        for (key, q) in [
            ("quality", self.quality),
            ("jpeg_quality", self.jpeg_quality),
        ] {
            if !(1..=100).contains(&q) {
                return Some((key, format!("`images.{key}` is {q}: it goes from 1 to 100")));
            }
        }
        None
    }

    /// The widths, smallest first, each once.
    pub fn sorted_widths(&self) -> Vec<u32> {
        let mut w = self.widths.clone();
        w.sort_unstable();
        w.dedup();
        w
    }
}
