//! What link keeps from one build for the next (`rally serve`), and when each part is still
//! valid: the shape's tables, rendered bodies and anchor problems, each keyed by what it was
//! computed from. A one-shot build keeps nothing.

use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::bodies::LinkedBody;
use super::shape::Tables;
use crate::content::Collection;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// A body with the file version and environment hash it was rendered for.
pub(super) type KeptBody = (u64, u64, Arc<LinkedBody>);

/// Rendered bodies by entry, valid while the file version and the link environment (which
/// entries, assets and pages exist) are unchanged.
#[derive(Default)]
pub struct LinkMemo {
    /// The shape's hash and its tables.
    pub(super) tables: Option<(u64, Arc<Tables>)>,
    /// Per collection: id → (file version, environment hash, body).
    pub(super) bodies: [HashMap<String, KeptBody>; 4],
    /// Anchor problems of each body, valid while the body and its targets are unchanged.
    pub(super) anchors: [HashMap<String, (u64, Vec<Diagnostic>)>; 4],
    /// The environment hash of the last build.
    pub(super) last_env: Option<u64>,
    pub(super) rendered: std::sync::atomic::AtomicUsize,
    /// Set for a build that is not followed by another (`rally build`): bodies are not kept,
    /// so the site holds the only reference to each and render can move its HTML.
    pub(super) one_shot: bool,
    /// What the last build left out, for its closing line.
    pub(super) left_out: LeftOut,
}

/// How many entries a build left out, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: usize,
    /// Stories dated after the build's day.
    pub scheduled: usize,
}

impl LeftOut {
    /// "2 drafts and 1 scheduled story not published", or None when nothing was left out.
    pub fn sentence(&self) -> Option<String> {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let parts: Vec<String> = [
            (self.drafts > 0).then(|| plural(self.drafts, "draft", "drafts")),
            (self.scheduled > 0)
                .then(|| plural(self.scheduled, "scheduled story", "scheduled stories")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| format!("{} not published", parts.join(" and ")))
    }
}

impl LinkMemo {
    pub fn is_one_shot(&self) -> bool {
        self.one_shot
    }

    /// A memo for a single build: it keeps no rendered bodies.
    pub fn one_shot() -> LinkMemo {
        LinkMemo {
            one_shot: true,
            ..LinkMemo::default()
        }
    }

    /// What the last build left out: drafts and stories scheduled for later.
    pub fn left_out(&self) -> LeftOut {
        self.left_out
    }

    /// How many Markdown bodies the last build rendered (the others were reused).
    pub fn last_rendered(&self) -> usize {
        self.rendered.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The tables of the site's `shape`: the last build's, or made now by `make`, whose
    /// problems go to `diags`.
    pub(super) fn tables(
        &mut self,
        shape: u64,
        diags: &mut Diagnostics,
        make: impl FnOnce(&mut Diagnostics) -> Tables,
    ) -> Arc<Tables> {
        match &self.tables {
            Some((s, t)) if *s == shape => t.clone(),
            _ => {
                let mut found = Diagnostics::new();
                let t = Arc::new(make(&mut found));
                // Tables with problems are not kept: their messages must come back next time.
                // A one-shot build keeps none (they hold the files' text for messages).
                self.tables = (found.is_empty() && !self.one_shot).then(|| (shape, t.clone()));
                diags.extend(found);
                t
            }
        }
    }
}

/// The memo slot of a collection.
pub(super) fn slot(c: Collection) -> usize {
    c as usize
}

/// Drops memo entries whose ids are no longer in the site (`count` ids are current).
pub(super) fn forget_others<'a, V>(
    memo: &mut HashMap<String, V>,
    current: impl Iterator<Item = &'a str>,
    count: usize,
) {
    if memo.len() > count {
        let keep: HashSet<&str> = current.collect();
        memo.retain(|id, _| keep.contains(id.as_str()));
    }
}
