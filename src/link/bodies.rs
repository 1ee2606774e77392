//! Renders every entry's Markdown body with its links resolved and its embeds checked,
//! reusing the last build's body while the file and the link environment are unchanged. A
//! one-shot build checks anchors into finished bodies at once and lets each file's text go as
//! soon as nothing needs it.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::Entry;
use super::anchors::{AnchorCheck, Known, Linking, Tocs, anchor_error};
use super::embeds::Embed;
use super::memo::{KeptBody, LinkMemo, forget_others, slot};
use super::resolve::{LinkCtx, Resolved};
use super::site::Chosen;
use crate::content::{Collection, Doc, Page, Partner, Resolution, Story};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkKind, Rendered};

/// The Markdown of one entry, rendered and checked: everything link computes per file.
pub(super) struct LinkedBody {
    pub(super) body: Arc<Rendered>,
    /// The entry's output folder (shared by every build that reuses this body).
    pub(super) path: Arc<str>,
    pub(super) errs: Vec<Diagnostic>,
    pub(super) anchors: Vec<AnchorCheck>,
    pub(super) embeds: Arc<[Embed]>,
}

/// The linked entries of each collection, and what the anchor check needs.
pub(super) struct Bodies {
    pub(super) stories: Vec<Entry<Story>>,
    pub(super) resolutions: Vec<Entry<Resolution>>,
    pub(super) partners: Vec<Entry<Partner>>,
    pub(super) pages: Vec<Entry<Page>>,
    /// Entries whose bodies link to headings elsewhere.
    pub(super) with_anchors: Vec<Linking>,
    /// Whether a rendered body's headings differ from the last build's: only then can links
    /// into it from unchanged bodies break or heal.
    pub(super) tocs_changed: bool,
}

/// Gives each `chosen` entry its body, rendered now or kept in `memo`; the bodies' problems
/// go to `diags`.
pub(super) fn link_all(
    (stories, resolutions, partners, pages): Chosen,
    ctx: &LinkCtx,
    env: u64,
    memo: &mut LinkMemo,
    diags: &mut Diagnostics,
) -> Bodies {
    memo.rendered.store(0, std::sync::atomic::Ordering::Relaxed);
    let mut with_anchors: Vec<Linking> = Vec::new();
    let mut tocs_changed = memo.last_env != Some(env);
    let one_shot = memo.one_shot;
    let mut tocs = Tocs::default();
    // `$keeps_text`: whether an entry's text is read after its body (see `Early`).
    macro_rules! link_bodies {
        ($docs:expr, $c:expr, $keeps_text:expr) => {{
            let done = render_all(
                $docs,
                $c,
                ctx,
                env,
                &memo.bodies[slot($c)],
                &memo.rendered,
                Early::when(one_shot, &tocs, $keeps_text),
            );
            let kept = &mut memo.bodies[slot($c)];
            let mut out = Vec::with_capacity(done.len());
            for (e, linked, fresh) in done {
                diags.extend(linked.errs.iter().cloned());
                if !linked.anchors.is_empty() {
                    with_anchors.push(($c, out.len(), linked.clone(), fresh));
                }
                if fresh && !memo.one_shot {
                    tocs_changed |= kept
                        .get(e.doc.id.as_str())
                        .is_none_or(|(.., old)| old.body.toc != linked.body.toc);
                    kept.insert(e.doc.id.clone(), (e.doc.file.version, env, linked));
                }
                out.push(e);
            }
            forget_others(
                kept,
                out.iter().map(|e: &Entry<_>| e.doc.id.as_str()),
                out.len(),
            );
            out
        }};
    }
    // Stories last: most links into other entries go from stories to resolutions, partners
    // and pages, whose headings are then known (see `render_all`).
    let resolutions = link_bodies!(resolutions, Collection::Resolutions, |_| false);
    tocs.resolutions = resolutions.iter().map(|e| e.body.clone()).collect();
    let has_logo = |m: &Partner| m.logo.is_some();
    let partners = link_bodies!(partners, Collection::Partners, has_logo);
    tocs.partners = partners.iter().map(|e| e.body.clone()).collect();
    // Pages keep their text: the check of their `template` comes later.
    let pages = link_bodies!(pages, Collection::Pages, |_| true);
    tocs.pages = pages.iter().map(|e| e.body.clone()).collect();
    let stories = link_bodies!(stories, Collection::Stories, |m: &Story| m.image.is_some());
    Bodies {
        stories,
        resolutions,
        partners,
        pages,
        with_anchors,
        tocs_changed,
    }
}

/// Each entry with its checked body and whether the body was rendered now (not reused).
/// With `early` (one-shot builds), anchors into entries whose headings are already known
/// are checked right away, and an entry whose text nothing needs any more (no embeds, no
/// anchor left to check, `keeps_text` false) lets its text go: the texts of all files and
/// the HTML of all bodies are then never in memory together.
fn render_all<M: Sync + Send + Clone + Hero>(
    docs: Vec<Arc<Doc<M>>>,
    c: Collection,
    ctx: &LinkCtx,
    env: u64,
    old: &HashMap<String, KeptBody>,
    counter: &std::sync::atomic::AtomicUsize,
    early: Option<Early<M>>,
) -> Vec<(Entry<M>, Arc<LinkedBody>, bool)> {
    docs.into_par_iter()
        .map(|mut doc| {
            let (linked, fresh) = match old.get(doc.id.as_str()) {
                Some((version, e, linked)) if *version == doc.file.version && *e == env => {
                    (linked.clone(), false)
                }
                _ => {
                    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let (body, mut errs, mut anchors) = ctx.render(&doc, !ctx.raw_html.allows(c));
                    let embeds = ctx.embeds(&doc, &body, &mut errs);
                    if let Some(Early { tocs, keeps_text }) = early {
                        anchors.retain(|a| match tocs.of(ctx.targets, a.key()) {
                            Known::Toc(toc) => {
                                if !toc.iter().any(|h| h.id == a.anchor()) {
                                    errs.push(anchor_error(a, &doc.file, toc));
                                }
                                false
                            }
                            Known::NoTarget => false,
                            Known::Later => true,
                        });
                        if embeds.is_empty()
                            && anchors.is_empty()
                            && !keeps_text(&doc.meta)
                            && let Some(d) = Arc::get_mut(&mut doc)
                        {
                            d.release_text();
                        }
                    }
                    let linked = Arc::new(LinkedBody {
                        body: Arc::new(body),
                        path: crate::routes::entry(ctx.view.prefix_of(&*doc), c, &doc.id).into(),
                        errs,
                        anchors,
                        embeds: embeds.into(),
                    });
                    (linked, true)
                }
            };
            let entry = Entry {
                path: linked.path.clone(),
                doc,
                body: linked.body.clone(),
                image_url: None,
                image_size: None,
                image_variants: None,
                embeds: linked.embeds.clone(),
            };
            (entry, linked, fresh)
        })
        .collect()
}

/// How a one-shot build renders bodies (see `render_all`).
struct Early<'a, M> {
    tocs: &'a Tocs,
    /// Whether an entry's text is read after its body is rendered (by a later check).
    keeps_text: fn(&M) -> bool,
}

impl<'a, M> Early<'a, M> {
    fn when(one_shot: bool, tocs: &'a Tocs, keeps_text: fn(&M) -> bool) -> Option<Self> {
        one_shot.then_some(Early { tocs, keeps_text })
    }
}

impl<M> Clone for Early<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Early<'_, M> {}

/// Whether an entry shows a picture of its own above its text: then every picture in the
/// text is below the first screen, and loads lazily.
pub(super) trait Hero {
    fn has_hero(&self) -> bool {
        false
    }
}
impl Hero for Story {
    fn has_hero(&self) -> bool {
        self.image.is_some()
    }
}
impl Hero for crate::content::Resolution {}
impl Hero for Partner {}
impl Hero for crate::content::Page {}

impl LinkCtx<'_> {
    /// Renders an entry's body; `clean` for a collection whose raw HTML is not trusted
    /// (see [`markdown::render_untrusted`]).
    fn render<M: Hero>(
        &self,
        doc: &Doc<M>,
        clean: bool,
    ) -> (Rendered, Vec<Diagnostic>, Vec<AnchorCheck>) {
        let mut errs = Vec::new();
        let mut anchors = Vec::new();
        let body = doc.body_text();
        let base = doc.body.start;
        let file = &doc.file;
        let mut resolve = |kind, dest: &str, span: Range<usize>| {
            let span = base + span.start..base + span.end;
            let locate = |needle: &str| {
                let inner = &file.text[span.clone()];
                match inner.find(needle) {
                    Some(i) => span.start + i..span.start + i + needle.len(),
                    None => span.clone(),
                }
            };
            let resolved = self.resolve(doc, kind, dest);
            let follows = matches!(resolved, Resolved::Gone(..));
            match resolved {
                Resolved::Keep => None,
                Resolved::Url(u, anchor, note, lang) => {
                    if let Some(mut a) = anchor {
                        a.span = span.clone();
                        anchors.push(a);
                    }
                    if let Some((note, label)) = note {
                        errs.push(
                            Diagnostic::warning(note)
                                .at(&file.path, &file.text, locate(dest))
                                .label(label)
                                .help("publish it first, or remove this link before this page is published"),
                        );
                    }
                    if lang && kind == LinkKind::Link {
                        Some(markdown::with_hreflang(u, self.default_code))
                    } else {
                        Some(u)
                    }
                }
                Resolved::Missing(message, help) | Resolved::Gone(message, help) => {
                    let mut d = Diagnostic::error(message)
                        .at(&file.path, &file.text, locate(dest))
                        .label(if kind == LinkKind::Image {
                            "missing image"
                        } else {
                            "broken link"
                        })
                        .help(help);
                    d.follows = follows;
                    errs.push(d);
                    None
                }
            }
        };
        let rendered = if clean {
            match markdown::render_untrusted(body, &mut resolve) {
                Ok(r) => r,
                Err(deep) => {
                    // The first character of the element that is one level too deep.
                    let start = deep.span.start.min(body.len());
                    let first = body
                        .get(start..)
                        .and_then(|rest| rest.chars().next())
                        .map_or(0, char::len_utf8);
                    errs.push(
                        Diagnostic::error(format!(
                            "this text is nested more than {} levels deep",
                            markdown::MAX_DEPTH
                        ))
                        .at(
                            &file.path,
                            &file.text,
                            base + start..base + start + first,
                        )
                        .help(
                            "quotes (>), lists or HTML elements inside each other this deep take very long to clean \
                             and are never needed; remove the extra levels",
                        ),
                    );
                    Rendered::default()
                }
            }
        } else {
            markdown::render(body, &mut resolve)
        };
        (
            self.with_pictures(rendered, !doc.meta.has_hero()),
            errs,
            anchors,
        )
    }
}

impl LinkCtx<'_> {
    /// The body's photos as `<picture>` elements offering their resized copies.
    fn with_pictures(&self, mut rendered: Rendered, first_eager: bool) -> Rendered {
        let lookup = |src: &str| {
            let key = src.strip_prefix(self.base_path)?.replace("%20", " ");
            let a = self.assets.get(&key)?;
            Some(crate::images::html::Photo {
                variants: a.variants.as_deref()?,
                size: a.size?,
            })
        };
        if let Some(html) = crate::images::html::rewrite_images(
            &rendered.html,
            self.base_path,
            &self.images.sizes,
            first_eager,
            &lookup,
        ) {
            rendered.html = html;
        }
        rendered
    }
}
