//! Stage 3, link: puts the parsed entries together into a [`Site`] ready to render.
//!
//! Gives every entry its URL (refusing two entries on one URL), renders Markdown with content
//! links resolved, checks every cross-reference (front-matter ids, `@/` links, heading anchors,
//! images) and computes what lists need: sort orders, tags, backlinks. All problems are
//! collected; a site with errors is not returned.

mod embeds;
mod memo;
mod menu;
mod refs;
mod resolve;
mod routes;
mod shape;
mod site;
mod tags;

pub use embeds::Embed;
pub use memo::LinkMemo;
pub use menu::MenuLink;
pub(crate) use shape::hash_one;
pub use site::{BuildOptions, Entry, Site};
pub use tags::Tag;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{Collection, Content, Doc, Partner, Story};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::Sources;
use crate::markdown::{self, LinkKind, Rendered};
use memo::{KeptBody, forget_others, slot};
use resolve::{LinkCtx, Resolved};
use routes::{Target, entry_path};

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

/// The rendered bodies of the collections whose bodies are done, by position: what an
/// anchor into them can be checked against before the other bodies are rendered.
#[derive(Default)]
struct Tocs {
    resolutions: Vec<Arc<Rendered>>,
    partners: Vec<Arc<Rendered>>,
    pages: Vec<Arc<Rendered>>,
}

/// What is known about the target of an anchor while bodies are being rendered.
enum Known<'a> {
    /// Its headings.
    Toc(&'a [crate::markdown::Heading]),
    /// The link leads to no entry (reported as a broken link, not as an anchor).
    NoTarget,
    /// An entry whose body is not rendered yet.
    Later,
}

impl Tocs {
    fn of<'a>(&'a self, targets: &HashMap<String, Target>, key: &str) -> Known<'a> {
        let Some(t) = targets.get(key) else {
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
struct AnchorCheck {
    /// The whole link in the file's text (the anchor is found in it only to report it).
    span: Range<usize>,
    link: Box<str>,
    /// Where `#` is in `link`.
    hash: usize,
}

impl AnchorCheck {
    fn new(key: &str, anchor: &str) -> AnchorCheck {
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
    fn key(&self) -> &str {
        &self.link[..self.hash]
    }
    fn anchor(&self) -> &str {
        &self.link[self.hash + 1..]
    }
}

/// Links `content` into a site. `sources` provides the assets and templates folder list.
/// The Markdown of one entry, rendered and checked: everything link computes per file.
struct LinkedBody {
    body: Arc<Rendered>,
    /// The entry's output folder (shared by every build that reuses this body).
    path: Arc<str>,
    errs: Vec<Diagnostic>,
    anchors: Vec<AnchorCheck>,
    embeds: Arc<[Embed]>,
}

pub fn link(
    sources: &Sources,
    content: Content,
    options: &BuildOptions,
    memo: &mut LinkMemo,
) -> Result<Site, Diagnostics> {
    let timer = crate::profile::Timer::start();
    let mut diags = Diagnostics::new();
    let config = sources.config.clone();
    let broken: HashSet<(Collection, String)> = content.broken.iter().cloned().collect();
    let broken_keys = routes::broken_keys(&broken);
    let base_path = config.base_path();
    let (stories, resolutions, partners, pages) = site::choose(content, options);

    timer.mark("  filter+sort");
    let docs = (&stories[..], &resolutions[..], &partners[..], &pages[..]);
    let shape = shape::shape_of(sources, &config, docs, &broken_keys);
    let tables = memo.tables(shape, &mut diags, |found| {
        let broken = (&broken, &broken_keys);
        shape::tables(sources, &config, &base_path, docs, broken, found)
    });
    let (targets, assets) = (&tables.targets, &tables.assets);

    timer.mark("  tables");
    let ctx = LinkCtx::new(&tables, config.raw_html, &base_path);
    let env = tables.env;
    memo.rendered.store(0, std::sync::atomic::Ordering::Relaxed);
    /// Each entry with its checked body and whether the body was rendered now (not reused).
    /// With `early` (one-shot builds), anchors into entries whose headings are already known
    /// are checked right away, and an entry whose text nothing needs any more (no embeds, no
    /// anchor left to check, `keeps_text` false) lets its text go: the texts of all files and
    /// the HTML of all bodies are then never in memory together.
    fn render_all<M: Sync + Send + Clone>(
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
                        let (body, mut errs, mut anchors) =
                            ctx.render(&doc, !ctx.raw_html.allows(c));
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
                            path: entry_path(c, &doc.id).into(),
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
                    embeds: linked.embeds.clone(),
                };
                (entry, linked, fresh)
            })
            .collect()
    }
    // Entries whose bodies link to headings elsewhere: (collection, index, body).
    let mut with_anchors: Vec<(Collection, usize, Arc<LinkedBody>, bool)> = Vec::new();
    // Whether a rendered body's headings differ from the last build's: only then can links
    // into it from unchanged bodies break or heal.
    let mut tocs_changed = memo.last_env != Some(env);
    let one_shot = memo.one_shot;
    let mut tocs = Tocs::default();
    // `$keeps_text`: whether an entry's text is read after its body (see `Early`).
    macro_rules! link_bodies {
        ($docs:expr, $c:expr, $keeps_text:expr) => {{
            let done = render_all(
                $docs,
                $c,
                &ctx,
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
    let mut partners = link_bodies!(partners, Collection::Partners, has_logo);
    tocs.partners = partners.iter().map(|e| e.body.clone()).collect();
    // Pages keep their text: the check of their `template` comes later.
    let pages = link_bodies!(pages, Collection::Pages, |_| true);
    tocs.pages = pages.iter().map(|e| e.body.clone()).collect();
    let mut stories = link_bodies!(stories, Collection::Stories, |m: &Story| m.image.is_some());
    drop(tocs);

    timer.mark("  bodies");
    // Heading anchors of content links: checked again only when the linking body or one of
    // the pages it links into changed.
    let version_of = |key: &str| -> Option<u64> {
        let t = targets.get(key)?;
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
                    let t = targets.get(a.key())?;
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

    timer.mark("  anchors");
    refs::images(&ctx, &mut stories, &mut partners, &mut diags);
    refs::page_templates(sources, &pages, &mut diags);
    timer.mark("  images");
    let menu = menu::menu(sources, targets, &pages, &base_path, &mut diags);

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Site {
        config,
        base_path,
        options: options.clone(),
        stories,
        resolutions,
        partners,
        pages,
        tags: tables.tags.clone(),
        story_resolutions: tables.story_resolutions.clone(),
        story_partners: tables.story_partners.clone(),
        resolution_cited_by: tables.resolution_cited_by.clone(),
        partner_cited_by: tables.partner_cited_by.clone(),
        menu,
        assets: assets.values().cloned().collect(),
        story_pages: tables.story_pages,
        shape,
    })
}

fn anchor_error(
    a: &AnchorCheck,
    file: &crate::load::SourceText,
    toc: &[crate::markdown::Heading],
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

impl LinkCtx<'_> {
    /// Renders an entry's body; `clean` for a collection whose raw HTML is not trusted
    /// (see [`markdown::render_untrusted`]).
    fn render<M>(
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
            match self.resolve(doc, kind, dest) {
                Resolved::Keep => None,
                Resolved::Url(u, anchor) => {
                    if let Some(mut a) = anchor {
                        a.span = span;
                        anchors.push(a);
                    }
                    Some(u)
                }
                Resolved::Missing(message, help) => {
                    errs.push(
                        Diagnostic::error(message)
                            .at(&file.path, &file.text, locate(dest))
                            .label(if kind == LinkKind::Image {
                                "missing image"
                            } else {
                                "broken link"
                            })
                            .help(help),
                    );
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
        (rendered, errs, anchors)
    }
}
