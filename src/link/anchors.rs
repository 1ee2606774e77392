//! Heading anchors of content links (`@/a.md#heading`): each is checked against the linked
//! body's headings once those are known (in a one-shot build, while the other bodies are still
//! being rendered), and the outcome is kept while neither side changes.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::Entry;
use super::bodies::LinkedBody;
use super::memo::{LinkMemo, forget_others, slot};
use super::routes::Target;
use crate::content::{Collection, Page, Partner, Resolution, Story};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::{Heading, Rendered};

/// The rendered bodies of the collections whose bodies are done, by position: what an
/// anchor into them can be checked against before the other bodies are rendered.
#[derive(Default)]
pub(super) struct Tocs {
    pub(super) resolutions: Vec<Arc<Rendered>>,
    pub(super) partners: Vec<Arc<Rendered>>,
    pub(super) pages: Vec<Arc<Rendered>>,
}

/// What is known about the target of an anchor while bodies are being rendered.
pub(super) enum Known<'a> {
    /// Its headings.
    Toc(&'a [Heading]),
    /// The link leads to no entry (reported as a broken link, not as an anchor).
    NoTarget,
    /// An entry whose body is not rendered yet.
    Later,
}

impl Tocs {
    pub(super) fn of<'a>(&'a self, targets: &HashMap<String, Target>, key: &str) -> Known<'a> {
        // An entry of the default language, linked from a translation: its headings are
        // checked where the default language links to it.
        let Some(t) = targets.get(key).filter(|t| !t.foreign) else {
            return Known::NoTarget;
        };
        let done = match t.collection {
            Collection::Resolutions => &self.resolutions,
            Collection::Partners => &self.partners,
            Collection::Pages => &self.pages,
            Collection::Stories => return Known::Later,
        };
        match done.get(t.index) {
            Some(body) => Known::Toc(&body.toc),
            None => Known::Later,
        }
    }
}

/// A content link with a heading anchor, checked once every entry's headings are known.
/// There are many (15 per story in the benchmark site), so it is kept small: one string
/// holding `key#anchor`; the file is the linking entry's.
pub(super) struct AnchorCheck {
    /// The whole link in the file's text (the anchor is found in it only to report it).
    pub(super) span: Range<usize>,
    link: Box<str>,
    /// Where `#` is in `link`.
    hash: usize,
}

impl AnchorCheck {
    pub(super) fn new(key: &str, anchor: &str) -> AnchorCheck {
        let mut link = String::with_capacity(key.len() + 1 + anchor.len());
        link.push_str(key);
        link.push('#');
        link.push_str(anchor);
        AnchorCheck {
            span: 0..0,
            link: link.into(),
            hash: key.len(),
        }
    }
    /// The content key of the linked entry (`resolutions/a-res-71-1.md`).
    pub(super) fn key(&self) -> &str {
        &self.link[..self.hash]
    }
    pub(super) fn anchor(&self) -> &str {
        &self.link[self.hash + 1..]
    }
}

/// An entry whose body links to headings elsewhere: (collection, index, body, whether the
/// body was rendered in this build).
pub(super) type Linking = (Collection, usize, Arc<LinkedBody>, bool);

/// The entries of each collection, linked.
pub(super) type Entries<'a> = (
    &'a [Entry<Story>],
    &'a [Entry<Resolution>],
    &'a [Entry<Partner>],
    &'a [Entry<Page>],
);

/// Checks the anchors of the bodies `with_anchors`: again only when the linking body or one of
/// the pages it links into changed (`tocs_changed`: some body's headings did); else the
/// memo's problems stand. Notes `env` as the last build's.
pub(super) fn check(
    with_anchors: &[Linking],
    tocs_changed: bool,
    env: u64,
    targets: &HashMap<String, Target>,
    (stories, resolutions, partners, pages): Entries,
    memo: &mut LinkMemo,
    diags: &mut Diagnostics,
) {
    let version_of = |key: &str| -> Option<u64> {
        let t = targets.get(key).filter(|t| !t.foreign)?;
        Some(match t.collection {
            Collection::Stories => stories[t.index].doc.file.version,
            Collection::Resolutions => resolutions[t.index].doc.file.version,
            Collection::Partners => partners[t.index].doc.file.version,
            Collection::Pages => pages[t.index].doc.file.version,
        })
    };
    let entry = |c: Collection, i: usize| match c {
        Collection::Stories => (&stories[i].doc.id, &stories[i].doc.file),
        Collection::Resolutions => (&resolutions[i].doc.id, &resolutions[i].doc.file),
        Collection::Partners => (&partners[i].doc.id, &partners[i].doc.file),
        Collection::Pages => (&pages[i].doc.id, &pages[i].doc.file),
    };
    // Checked in parallel: None keeps the memo's problems, Some has new ones and their key.
    let kept_all = &memo.anchors;
    let outcomes: Vec<Option<(u64, Vec<Diagnostic>)>> = with_anchors
        .par_iter()
        .map(|(c, i, linked, fresh)| {
            let (id, file) = entry(*c, *i);
            let kept = &kept_all[slot(*c)];
            if !tocs_changed && !fresh && kept.contains_key(id.as_str()) {
                return None;
            }
            let mut h = std::hash::DefaultHasher::new();
            (file.version, env).hash(&mut h);
            let mut keys: Vec<&str> = linked.anchors.iter().map(AnchorCheck::key).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                version_of(k).hash(&mut h);
            }
            let key_hash = h.finish();
            if kept.get(id.as_str()).is_some_and(|(h, _)| *h == key_hash) {
                return None;
            }
            let errs: Vec<Diagnostic> = linked
                .anchors
                .iter()
                .filter_map(|a| {
                    let t = targets.get(a.key()).filter(|t| !t.foreign)?;
                    let toc = match t.collection {
                        Collection::Stories => &stories[t.index].body.toc,
                        Collection::Resolutions => &resolutions[t.index].body.toc,
                        Collection::Partners => &partners[t.index].body.toc,
                        Collection::Pages => &pages[t.index].body.toc,
                    };
                    (!toc.iter().any(|h| h.id == a.anchor())).then(|| anchor_error(a, file, toc))
                })
                .collect();
            Some((key_hash, errs))
        })
        .collect();
    let mut checked = [0usize; 4];
    for ((c, i, ..), outcome) in with_anchors.iter().zip(outcomes) {
        checked[slot(*c)] += 1;
        let id = entry(*c, *i).0;
        let kept = &mut memo.anchors[slot(*c)];
        match outcome {
            None => {
                if let Some((_, errs)) = kept.get(id.as_str()) {
                    diags.extend(errs.iter().cloned());
                }
            }
            Some((key_hash, errs)) => {
                diags.extend(errs.iter().cloned());
                if !memo.one_shot {
                    kept.insert(id.clone(), (key_hash, errs));
                }
            }
        }
    }
    for c in Collection::ALL {
        let ids = with_anchors
            .iter()
            .filter(|(k, ..)| *k == c)
            .map(|(_, i, ..)| match c {
                Collection::Stories => stories[*i].doc.id.as_str(),
                Collection::Resolutions => resolutions[*i].doc.id.as_str(),
                Collection::Partners => partners[*i].doc.id.as_str(),
                Collection::Pages => pages[*i].doc.id.as_str(),
            });
        forget_others(&mut memo.anchors[slot(c)], ids, checked[slot(c)]);
    }
    memo.last_env = Some(env);
}

/// The error for an anchor `a` in `file` that names none of the headings `toc`.
pub(super) fn anchor_error(
    a: &AnchorCheck,
    file: &crate::load::SourceText,
    toc: &[Heading],
) -> Diagnostic {
    let ids: Vec<&str> = toc.iter().map(|h| h.id.as_str()).collect();
    let (key, anchor) = (a.key(), a.anchor());
    let help = match did_you_mean(anchor, ids.iter().copied()) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => format!("`{key}` has no headings to link to"),
        None => format!("the headings of `{key}` are: #{}", ids.join(", #")),
    };
    // Point at `#anchor` inside the link.
    let needle = format!("#{anchor}");
    let span = match file.text.get(a.span.clone()).and_then(|l| l.rfind(&needle)) {
        Some(i) => a.span.start + i..a.span.start + i + needle.len(),
        None => a.span.clone(),
    };
    Diagnostic::error(format!("`{key}` has no heading `#{anchor}`"))
        .at(&file.path, &file.text, span)
        .label("broken anchor")
        .help(help)
}
