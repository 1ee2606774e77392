//! What render keeps from one build for the next: values, pages and compiled templates, each
//! with a hash of what it was made from.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tera::Value;

use super::engine::Compiled;
use super::jobs::Job;
use super::output_map::Output;

/// What render computed in earlier builds: entry values and page bytes, each with a hash of
/// everything it was made from. A value or page whose hash is unchanged is reused.
#[derive(Default)]
pub struct RenderMemo {
    /// Per collection: id → entry value.
    pub(super) values: [HashMap<String, Memoized>; 4],
    /// Output path → fingerprint and bytes of each page.
    pub(super) pages: HashMap<String, (u64, Arc<[u8]>)>,
    /// The last output, updated in place.
    pub(super) output: Output,
    /// The compiled templates, with the hash of their versions, and their get_entry index.
    pub(super) tera: Option<Compiled>,
    /// The `sitemap` global and the hash of what it lists.
    pub(super) sitemap: Option<(u64, Value)>,
    /// The last build, by position, for the fast path of an edit that keeps the shape.
    pub(super) last: Positions,
    pub(super) rendered: Vec<String>,
    /// Output path → the content file the page shows (entries' pages only), and the site's
    /// shape when it was made.
    pub(super) sources: (Option<u64>, Arc<Sources>),
}

/// Output path (`stories/x/index.html`) → the content file its page shows
/// (`content/stories/x.md`).
pub type Sources = HashMap<String, String>;

impl RenderMemo {
    /// Which content file each page shows, as of the last build.
    pub fn sources(&self) -> Arc<Sources> {
        self.sources.1.clone()
    }
}

/// The last build's shape, jobs and story values, by position. While the shape is the same
/// (see [`Site::shape`](crate::link::Site::shape)), job and story `i` are the same page and
/// entry as last time, so checking them needs no lookup by name.
#[derive(Default)]
pub(super) struct Positions {
    pub(super) shape: Option<u64>,
    /// Hash of everything story values depend on besides stories' own files and the
    /// resolutions and partners they cite.
    pub(super) salt: u64,
    pub(super) resolution_versions: Vec<u64>,
    pub(super) partner_versions: Vec<u64>,
    pub(super) story_versions: Vec<u64>,
    pub(super) stories: Vec<(u64, Value)>,
    pub(super) jobs: Vec<Job>,
    /// Per job: hash of its template's inputs and its page-specific values.
    pub(super) prints: Vec<u64>,
    /// The shape `jobs` and `prints` belong to.
    pub(super) pages_shape: Option<u64>,
}

impl RenderMemo {
    /// The pages the last build had to render (the others were reused).
    pub fn last_rendered(&self) -> &[String] {
        &self.rendered
    }
}

/// One entry's value and the hash of everything it was computed from.
pub(super) type Memoized = (u64, Value);
