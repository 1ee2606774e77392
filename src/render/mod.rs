//! Stage 4, render: turns a linked [`Site`] into the output map (path → bytes) with Tera 2.
//!
//! Every entry becomes a Tera value once; lists hold the same reference-counted values, so a
//! page's context costs a few pointer copies, not a copy of the site. Pages render in parallel.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock, RwLock};

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::content::{
    Collection, Page, Partner, PartnerType, Region, Resolution, ResolutionKind, Story,
};
use crate::date::{Date, PartialDate};
use crate::diagnostics::{Diagnostic, Diagnostics, offset_of};
use crate::link::hash_one;
use crate::link::{Embed, Entry, Site};
use crate::load::{AssetData, SourceText};
use crate::markdown::{self, embed_marker};

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

/// A small builder for Tera maps, keeping key order. Fields are gathered in a list and the
/// map is made once, at its final size, by Tera's serializer (which takes the fields' values
/// as they are): `Value::from` a map copies it into a new one, hashing every key again.
#[derive(Default)]
struct Obj(Vec<(&'static str, Value)>);

impl serde::Serialize for Obj {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = s.serialize_struct("Obj", self.0.len())?;
        for (k, v) in &self.0 {
            fields.serialize_field(k, v)?;
        }
        fields.end()
    }
}

impl Obj {
    fn new() -> Self {
        Obj(Vec::with_capacity(16))
    }
    fn set(mut self, k: &'static str, v: impl Into<Value>) -> Self {
        self.0.push((k, v.into()));
        self
    }
    fn opt(self, k: &'static str, v: Option<impl Into<Value>>) -> Self {
        match v {
            Some(v) => self.set(k, v),
            None => self.set(k, Value::none()),
        }
    }
    fn build(self) -> Value {
        Value::try_from_serializable(&self).unwrap_or_else(|_| {
            // Not expected (every field is already a value), but never worth a panic.
            let map: tera::Map = self.0.into_iter().map(|(k, v)| (k.into(), v)).collect();
            Value::from(map)
        })
    }
}

fn list(v: impl IntoIterator<Item = Value>) -> Value {
    Value::from(v.into_iter().collect::<Vec<Value>>())
}

/// Values shared by all pages of one build, with the hash of each (see [`RenderMemo`]).
struct Values {
    /// Per menu item: its value as pages elsewhere, its own page and pages in its section
    /// show it (`current` is "", "page", "section"); see [`with_page`].
    menu: Vec<[Value; 3]>,
    stories: Vec<Value>,
    resolutions: Vec<Value>,
    partners: Vec<Value>,
    pages: Vec<Value>,
    tags: Vec<Value>,
    hashes: ValueHashes,
}

struct ValueHashes {
    stories: Vec<u64>,
    resolutions: Vec<u64>,
    partners: Vec<u64>,
    pages: Vec<u64>,
    tags: Vec<u64>,
}

/// What render computed in earlier builds: entry values and page bytes, each with a hash of
/// everything it was made from. A value or page whose hash is unchanged is reused.
#[derive(Default)]
pub struct RenderMemo {
    /// Per collection: id → entry value.
    values: [HashMap<String, Memoized>; 4],
    /// Output path → fingerprint and bytes of each page.
    pages: HashMap<String, (u64, Arc<[u8]>)>,
    /// The last output, updated in place.
    output: Output,
    /// The compiled templates, with the hash of their versions, and their get_entry index.
    tera: Option<(u64, Arc<Tera>, EntryIndex)>,
    /// The `sitemap` global and the hash of what it lists.
    sitemap: Option<(u64, Value)>,
    /// The last build, by position, for the fast path of an edit that keeps the shape.
    last: Positions,
    rendered: Vec<String>,
}

/// The last build's shape, jobs and story values, by position. While the shape is the same
/// (see [`Site::shape`]), job and story `i` are the same page and entry as last time, so
/// checking them needs no lookup by name.
#[derive(Default)]
struct Positions {
    shape: Option<u64>,
    /// Hash of everything story values depend on besides stories' own files and the
    /// resolutions and partners they cite.
    salt: u64,
    resolution_versions: Vec<u64>,
    partner_versions: Vec<u64>,
    story_versions: Vec<u64>,
    stories: Vec<(u64, Value)>,
    jobs: Vec<Job>,
    /// Per job: hash of its template's inputs and its page-specific values.
    prints: Vec<u64>,
    /// The shape `jobs` and `prints` belong to.
    pages_shape: Option<u64>,
}

impl RenderMemo {
    /// The pages the last build had to render (the others were reused).
    pub fn last_rendered(&self) -> &[String] {
        &self.rendered
    }
}

/// Hashes of the templates, for deciding which pages a template change affects.
struct TemplateInfo {
    /// Each template name (as pages ask for it) → hash of its text and of every template it
    /// extends or includes, plus whether any of them calls `get_entry`.
    chains: HashMap<String, (u64, bool)>,
    /// All templates defining components: embeds and component calls can use any of them.
    components: u64,
    /// Each template name → the partials its chain prints (`*`: some it picks at render
    /// time, so all of them). Components see only their arguments, so they print none.
    partials_used: HashMap<String, Vec<String>>,
    site_config: String,
}

/// Renders the site with the given templates (site overrides as `name`, theme as `theme/name`),
/// reusing pages of earlier builds from `memo` when nothing they depend on changed.
pub fn render(
    site: &mut Site,
    templates: &[SourceText],
    theme_label: &str,
    memo: &mut RenderMemo,
    sink: Option<&dyn PageSink>,
) -> Result<Output, Diagnostics> {
    let timer = crate::profile::Timer::start();
    let mut owned = OwnedHtml::take(site);
    let site = &*site;
    // Compiling the templates is reused while they and the base path are unchanged.
    let tera_key = hash_one(&(
        templates
            .iter()
            .map(|t| (&t.path, t.version))
            .collect::<Vec<_>>(),
        theme_label,
        &site.base_path,
    ));
    // Taken out of the memo (and put back when the pages are done) so that this build's
    // globals can be set as Tera's global context without copying the compiled templates.
    let (mut tera, index) = match memo.tera.take() {
        Some((k, tera, index)) if k == tera_key => (tera, index),
        _ => {
            let index = EntryIndex::default();
            let tera = Arc::new(build_tera(site, index.clone(), templates, theme_label)?);
            (tera, index)
        }
    };
    let info = template_info(templates, site);
    // Cards and embeds render before this build's globals exist: they must not see the last
    // build's (a template that reads one fails in every build, not only in the first).
    *Arc::make_mut(&mut tera).global_context() = Context::new();
    timer.mark("  tera");
    let mut diags = Diagnostics::new();
    let values = values(
        site,
        &mut owned,
        &tera,
        &TemplateInfoRef {
            info: &info,
            templates,
            theme_label,
        },
        memo,
        &mut diags,
    );
    if diags.has_errors() {
        memo.values.iter_mut().for_each(|m| m.clear());
        memo.last = Positions::default();
        merge_repeated(&mut diags);
        return Err(diags);
    }
    timer.mark("  values");
    crate::memory::release_if_large();
    // Only templates that call get_entry need the index: skip building it otherwise.
    let entries = if templates.iter().any(|t| t.text.contains("get_entry")) {
        entry_index(site, &values)
    } else {
        HashMap::default()
    };
    if let Ok(mut i) = index.write() {
        *i = entries;
    }
    // Independent of each other, and each a pass over every story: side by side.
    let (sitemap, (mut globals, feed, mut global_hashes)) = rayon::join(
        || sitemap(site, &mut memo.sitemap),
        || {
            (
                globals(site, &values),
                feed_stories(site, &values),
                global_hashes(site, &values),
            )
        },
    );
    globals.insert_value("sitemap", sitemap.1);
    globals.insert_value("feed_stories", feed.1);
    // The same for every page: in Tera's global context they are not copied into each page's
    // context (local names are looked up first, and no page-specific name is a global's).
    // Except `site`, which every page reads a dozen times: Tera finds a global only after
    // comparing the name with each of the page's own, so `site` joins those (a cheap clone).
    let site_value = globals.remove("site").unwrap_or_else(Value::none);
    *Arc::make_mut(&mut tera).global_context() = globals;
    global_hashes.extend([sitemap.0, feed.0, hash_one(&menu_hash_input(site))]);
    let template_ref = TemplateInfoRef {
        info: &info,
        templates,
        theme_label,
    };
    let partials = match Partials::render(&tera, &site_value, &template_ref, &global_hashes) {
        Ok(p) => p,
        Err(d) => {
            memo.tera = Some((tera_key, tera, index));
            return Err(d);
        }
    };
    Arc::make_mut(&mut tera)
        .global_context()
        .insert_value("partials", Value::from(partials.fixed.clone()));
    let tera = tera;
    // Its place among the globals; each template's own share is worked out in `uses`.
    global_hashes.push(partials.hash_of(None));
    timer.mark("  globals");

    let mut jobs: Vec<Job> = vec![
        Job::Home,
        Job::NotFound,
        Job::ResolutionsIndex,
        Job::PartnersIndex,
        Job::TagsIndex,
    ];
    jobs.extend((1..=site.story_pages).map(Job::StoriesIndex));
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=site.tag_pages(t)).map(|n| Job::Tag(i, n)));
    }
    jobs.extend((0..site.stories.len()).map(Job::Story));
    jobs.extend((0..site.resolutions.len()).map(Job::Resolution));
    jobs.extend((0..site.partners.len()).map(Job::Partner));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (name, out) in [
        ("sitemap.xml", "sitemap.xml"),
        ("atom.xml", "stories/atom.xml"),
    ] {
        if tera
            .get_template_names()
            .any(|n| n == name || n == format!("theme/{name}"))
        {
            jobs.push(Job::Feed(name, out));
        }
    }

    // Which globals each template reads, and which of the page's own names, asked once per
    // template.
    let mut uses: HashMap<&str, (u64, PageNames)> = HashMap::default();
    for job in &jobs {
        let template = job.template(site);
        if uses.contains_key(template) {
            continue;
        }
        let (chain, get_entry) = info.chains.get(template).copied().unwrap_or((0, true));
        let read = tera.get_template_variables(template).ok();
        let names = PageNames {
            menu: read.as_ref().is_none_or(|v| v.contains("menu")),
            current: read
                .as_ref()
                .is_none_or(|v| v.contains("current_url") || v.contains("current_path")),
        };
        let vars: Vec<&str> = match read {
            Some(v) if !get_entry => v.into_iter().collect(),
            _ => GLOBAL_NAMES.to_vec(),
        };
        let mut used: Vec<u64> = GLOBAL_NAMES
            .iter()
            .zip(&global_hashes)
            .filter(|(n, _)| vars.contains(n))
            .map(|(n, h)| match *n {
                // Only the partials it prints: a box on some pages may change with the content.
                "partials" => partials.hash_of(info.partials_used.get(template)),
                _ => *h,
            })
            .collect();
        used.push(chain);
        used.push(info.components);
        uses.insert(template, (hash_one(&used), names));
    }

    timer.mark("  uses");
    // Each page's fingerprint; pages whose fingerprint is in the memo are not rendered. The
    // memo and the output map are updated in place: an edit costs a lookup per page.
    // While the shape and the list of pages are the last build's, page `j` is the same page
    // as then, and a hash of its template's and its own inputs decides without a lookup.
    let positional = memo.last.pages_shape == Some(site.shape) && memo.last.jobs == jobs;
    let last_prints = &memo.last.prints;
    /// What became of one page.
    enum Page {
        /// Unchanged since the last build.
        Reused,
        /// Rendered now, kept in the output map.
        Kept(Arc<[u8]>),
        /// Rendered now and handed to the sink.
        Written,
    }
    // (path, fingerprint, positional fingerprint, page)
    type PageOut = (String, u64, u64, Page);
    let rendered: Vec<Result<PageOut, Diagnostic>> = jobs
        .par_iter()
        .enumerate()
        // Per thread: the output path and a page buffer that keeps its capacity, so pages
        // are rendered without growing a new buffer each time.
        .map_init(
            || (String::new(), Vec::<u8>::with_capacity(64 * 1024)),
            |(out, buf), (j, job)| {
            let template = job.template(site);
            let inputs = job.inputs(site, &values.hashes);
            let quick = hash_one(&(uses.get(template), inputs));
            if positional && last_prints.get(j) == Some(&quick) {
                return Ok((String::new(), 0, quick, Page::Reused));
            }
            job.write_out(site, out);
            let print = hash_one(&(&*out, uses.get(template), inputs));
            if memo
                .pages
                .get(out.as_str())
                .is_some_and(|(p, _)| *p == print)
            {
                return Ok((String::new(), print, quick, Page::Reused));
            }
            let out = out.clone();
            let started = std::time::Instant::now();
            let names = uses.get(template).map_or(PageNames::ALL, |u| u.1);
            let (_, _, mut ctx, menu_states) = job.context(site, &values, names);
            let own_partials = partials.for_menu(
                &menu_states,
                || menu_value(&values, &menu_states),
                &tera,
                &site_value,
                &template_ref,
            )?;
            if let Some(p) = own_partials {
                ctx.insert_value("partials", p);
            }
            ctx.insert_value("site", site_value.clone());
            buf.clear();
            let r = tera.render_to(template, &ctx, PageBuf(&mut *buf));
            timer.note(&out, started);
            timer.template(template, started);
            r.map_err(|e| template_error(&e, templates, theme_label, &job.describe(site)))?;
            let page = match sink {
                Some(sink) => {
                    sink.put(&out, buf).map_err(|e| {
                        Diagnostic::error(format!("could not write {out}: {e}"))
                            .help("check that the disk is not full and the output folder is writable; the previous site was left as it was")
                    })?;
                    Page::Written
                }
                None => Page::Kept(Arc::from(&buf[..])),
            };
            if buf.capacity() > LARGE_PAGE {
                // A giant page's buffer would otherwise stay with its thread to the end.
                *buf = Vec::with_capacity(64 * 1024);
            }
            Ok((out, print, quick, page))
        })
        .collect();

    timer.mark("  pages");
    timer.print_templates();
    memo.tera = Some((tera_key, tera, index));
    memo.rendered.clear();
    let mut failed = false;
    let mut fresh = Vec::new();
    let mut prints = Vec::with_capacity(jobs.len());
    for r in rendered {
        match r {
            Ok((path, print, quick, rendered)) => {
                prints.push(quick);
                match rendered {
                    Page::Kept(bytes) => fresh.push((path, print, bytes)),
                    // Listed in the output, not kept.
                    Page::Written => {
                        memo.rendered.push(path.clone());
                        memo.output
                            .insert(path.as_str().into(), OutputFile::Written);
                    }
                    Page::Reused => {}
                }
            }
            Err(d) => {
                failed = true;
                diags.push(d);
            }
        }
    }
    if failed || diags.has_errors() {
        memo.last.pages_shape = None;
        merge_repeated(&mut diags);
        return Err(diags);
    }
    memo.last.pages_shape = Some(site.shape);
    memo.last.prints = prints;
    for (path, print, bytes) in fresh {
        memo.rendered.push(path.clone());
        memo.output
            .insert(path.as_str().into(), OutputFile::Bytes(bytes.clone()));
        memo.pages.insert(path, (print, bytes));
    }
    for a in &site.assets {
        let data = match &a.data {
            AssetData::File(p, stamp) => PathOrEmbedded::Path(p.clone(), *stamp),
            AssetData::Embedded(b) => PathOrEmbedded::Embedded(b),
        };
        let file = OutputFile::Copy(data);
        if memo.output.get(a.out.as_str()) != Some(&file) {
            memo.output.insert(a.out.as_str().into(), file);
        }
    }
    // Files of pages and assets that are gone.
    if memo.output.len() > jobs.len() + site.assets.len() || memo.pages.len() > jobs.len() {
        let current: HashSet<String> = jobs
            .iter()
            .map(|j| j.out(site))
            .chain(site.assets.iter().map(|a| a.out.clone()))
            .collect();
        memo.output.retain(|k, _| current.contains(&**k));
        memo.pages.retain(|k, _| current.contains(k));
    }
    memo.last.jobs = jobs;
    timer.mark("  output");
    Ok(memo.output.clone())
}

/// Pages above this size grow their buffer by an eighth instead of doubling it, and the
/// buffer is freed after them: a 100 MB story must not cost 300 MB to render.
const LARGE_PAGE: usize = 8 << 20;

/// The page buffer as Tera writes into it: `Vec`'s doubling, except for large pages, which
/// get exactly what they need plus an eighth (for the rest of the template after the body).
struct PageBuf<'a>(&'a mut Vec<u8>);

impl std::io::Write for PageBuf<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let v = &mut *self.0;
        if v.capacity() - v.len() < bytes.len() {
            let need = v.len() + bytes.len();
            let cap = if need < LARGE_PAGE {
                need.max(v.capacity() * 2)
            } else {
                need + need / 8
            };
            v.reserve_exact(cap - v.len());
        }
        v.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Job {
    Home,
    NotFound,
    StoriesIndex(usize),
    ResolutionsIndex,
    PartnersIndex,
    TagsIndex,
    /// A tag and the page number of its story list.
    Tag(usize, usize),
    Story(usize),
    Resolution(usize),
    Partner(usize),
    Page(usize),
    Feed(&'static str, &'static str),
}

/// The globals templates can read, in the order of [`global_hashes`].
const GLOBAL_NAMES: [&str; 10] = [
    "site",
    "stories",
    "resolutions",
    "partners",
    "pages",
    "tags",
    "sitemap",
    "feed_stories",
    // Per page (see `with_page`), but made from the site's menu alone besides the page's
    // own address, which is in every page's fingerprint.
    "menu",
    "partials",
];

/// Stories in the feed: the newest published ones.
const FEED_STORIES: usize = 20;

impl Job {
    /// Output path, without building the context.
    fn out(&self, site: &Site) -> String {
        let mut s = String::new();
        self.write_out(site, &mut s);
        s
    }

    /// Writes the output path into `buf` (cleared first): pages reused from the memo are
    /// looked up without allocating.
    fn write_out(&self, site: &Site, buf: &mut String) {
        use std::fmt::Write;
        buf.clear();
        let _ = match *self {
            Job::Home => write!(buf, "index.html"),
            Job::NotFound => write!(buf, "404.html"),
            Job::StoriesIndex(1) => write!(buf, "stories/index.html"),
            Job::StoriesIndex(n) => write!(buf, "stories/page/{n}/index.html"),
            Job::ResolutionsIndex => write!(buf, "resolutions/index.html"),
            Job::PartnersIndex => write!(buf, "partners/index.html"),
            Job::TagsIndex => write!(buf, "tags/index.html"),
            Job::Tag(i, n) => write!(buf, "{}index.html", tag_page_path(&site.tags[i].slug, n)),
            Job::Story(i) => write!(buf, "{}index.html", site.stories[i].path),
            Job::Resolution(i) => write!(buf, "{}index.html", site.resolutions[i].path),
            Job::Partner(i) => write!(buf, "{}index.html", site.partners[i].path),
            Job::Page(i) => write!(buf, "{}index.html", site.pages[i].path),
            Job::Feed(_, out) => write!(buf, "{out}"),
        };
    }

    /// The template that renders this page.
    fn template<'a>(&self, site: &'a Site) -> &'a str {
        match *self {
            Job::Home => "index.html",
            Job::NotFound => "404.html",
            Job::StoriesIndex(_) => "stories.html",
            Job::ResolutionsIndex => "resolutions.html",
            Job::PartnersIndex => "partners.html",
            Job::TagsIndex => "tags.html",
            Job::Tag(..) => "tag.html",
            Job::Story(_) => "story.html",
            Job::Resolution(_) => "resolution.html",
            Job::Partner(_) => "partner.html",
            Job::Page(i) => site.pages[i]
                .doc
                .meta
                .template
                .as_deref()
                .unwrap_or("page.html"),
            Job::Feed(name, _) => name,
        }
    }

    /// A hash of the page-specific values this job's context holds (globals are added by the
    /// caller, per template).
    fn inputs(&self, site: &Site, h: &ValueHashes) -> u64 {
        match *self {
            Job::Story(i) => hash_one(&(
                h.stories[i],
                h.stories.get(i + 1),
                i.checked_sub(1).map(|j| h.stories[j]),
            )),
            Job::Resolution(i) => h.resolutions[i],
            Job::Partner(i) => h.partners[i],
            Job::Page(i) => h.pages[i],
            Job::Tag(i, n) => {
                let per = site.config.stories_per_page;
                let t = &site.tags[i];
                let items: Vec<u64> = t
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .map(|&s| h.stories[s])
                    .collect();
                hash_one(&(h.tags[i], n, site.tag_pages(t), items))
            }
            Job::StoriesIndex(n) => {
                let per = site.config.stories_per_page;
                let items: Vec<u64> = h
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .copied()
                    .collect();
                hash_one(&(n, site.story_pages, site.stories.len(), items))
            }
            Job::ResolutionsIndex => hash_one(&h.resolutions),
            Job::PartnersIndex => hash_one(&h.partners),
            Job::TagsIndex => hash_one(&h.tags),
            Job::Home => {
                let (featured, latest) = home_lists(site);
                let pick = |ids: &[usize]| ids.iter().map(|&i| h.stories[i]).collect::<Vec<_>>();
                hash_one(&(pick(&featured), pick(&latest)))
            }
            Job::NotFound | Job::Feed(..) => 0,
        }
    }

    fn describe(&self, site: &Site) -> String {
        match *self {
            Job::Story(i) => site.stories[i].doc.file.path.clone(),
            Job::Resolution(i) => site.resolutions[i].doc.file.path.clone(),
            Job::Partner(i) => site.partners[i].doc.file.path.clone(),
            Job::Page(i) => site.pages[i].doc.file.path.clone(),
            Job::Tag(i, n) => format!("page {n} of the tag `{}`", site.tags[i].name),
            Job::StoriesIndex(n) => format!("page {n} of the stories list"),
            Job::Home => "the home page".into(),
            Job::NotFound => "the not-found page".into(),
            Job::ResolutionsIndex => "the resolutions list".into(),
            Job::PartnersIndex => "the partners directory".into(),
            Job::TagsIndex => "the tags list".into(),
            Job::Feed(name, _) => name.to_string(),
        }
    }

    /// Output path, template and context of this page, and its menu's states (see
    /// [`menu_states`]).
    fn context(
        &self,
        site: &Site,
        v: &Values,
        names: PageNames,
    ) -> (String, &'static str, Context, Vec<u8>) {
        let mut ctx = Context::new();
        let simple = |title: &str, path: &str| {
            Obj::new()
                .set("title", title)
                .set("description", site.config.description.as_str())
                .set("url", site.url(path))
                .set("permalink", site.permalink(path))
                .set("draft", false)
                .build()
        };
        let (path, template, page, kind): (String, &'static str, Value, &str) = match *self {
            Job::Home => {
                let (featured, latest) = home_lists(site);
                ctx.insert_value(
                    "featured",
                    list(featured.iter().map(|&i| v.stories[i].clone())),
                );
                ctx.insert_value("latest", list(latest.iter().map(|&i| v.stories[i].clone())));
                (
                    "".into(),
                    "index.html",
                    simple(&site.config.title, ""),
                    "home",
                )
            }
            Job::NotFound => {
                let mut p = simple("Page not found", "404.html");
                if let Some(m) = p.as_map().cloned() {
                    let mut m = m;
                    m.insert("url".into(), site.url("").into());
                    p = Value::from(m);
                }
                ctx.insert_value("noindex", true.into());
                let (ctx, states) = with_page(ctx, site, v, p, ("404", ""), names);
                return ("404.html".into(), "404.html", ctx, states);
            }
            Job::StoriesIndex(n) => {
                let per = site.config.stories_per_page;
                let items: Vec<Value> = v
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .cloned()
                    .collect();
                let page_path = |k: usize| {
                    if k == 1 {
                        "stories/".to_string()
                    } else {
                        format!("stories/page/{k}/")
                    }
                };
                ctx.insert_value(
                    "paginator",
                    paginator(
                        site,
                        items,
                        n,
                        site.story_pages,
                        site.stories.len(),
                        &page_path,
                    ),
                );
                let title = if n == 1 {
                    "Stories".to_string()
                } else {
                    format!("Stories, page {n}")
                };
                let path = page_path(n);
                (
                    path.clone(),
                    "stories.html",
                    simple(&title, &path),
                    "stories",
                )
            }
            Job::ResolutionsIndex => {
                ctx.insert_value("years", resolution_years(site, v));
                ctx.insert_value(
                    "bodies",
                    facet(site.resolutions.iter().map(|r| r.doc.meta.body.clone())),
                );
                ctx.insert_value(
                    "kinds",
                    list(ResolutionKind::ALL.iter().filter_map(|k| {
                        let n = site
                            .resolutions
                            .iter()
                            .filter(|r| r.doc.meta.kind == *k)
                            .count();
                        (n > 0).then(|| {
                            Obj::new()
                                .set("key", k.key())
                                .set("label", k.label())
                                .set("count", n)
                                .build()
                        })
                    })),
                );
                (
                    "resolutions/".into(),
                    "resolutions.html",
                    simple("Resolutions and standards", "resolutions/"),
                    "resolutions",
                )
            }
            Job::PartnersIndex => {
                ctx.insert_value("by_type", partner_groups(site, v, true));
                ctx.insert_value("by_region", partner_groups(site, v, false));
                (
                    "partners/".into(),
                    "partners.html",
                    simple("Partners", "partners/"),
                    "partners",
                )
            }
            Job::TagsIndex => ("tags/".into(), "tags.html", simple("Tags", "tags/"), "tags"),
            Job::Tag(i, n) => {
                let t = &site.tags[i];
                let per = site.config.stories_per_page;
                let items: Vec<Value> = t
                    .stories
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .map(|&s| v.stories[s].clone())
                    .collect();
                let pages = site.tag_pages(t);
                ctx.insert_value("tag", v.tags[i].clone());
                ctx.insert_value(
                    "paginator",
                    paginator(site, items, n, pages, t.stories.len(), &|k| {
                        tag_page_path(&t.slug, k)
                    }),
                );
                let path = tag_page_path(&t.slug, n);
                let title = if n == 1 {
                    format!("Stories tagged “{}”", t.name)
                } else {
                    format!("Stories tagged “{}”, page {n}", t.name)
                };
                (path.clone(), "tag.html", simple(&title, &path), "tag")
            }
            Job::Story(i) => {
                let e = &site.stories[i];
                // Newest first: the previous story is the older one.
                ctx.insert_value("previous", v.stories.get(i + 1).map(link_value).into());
                ctx.insert_value(
                    "next",
                    i.checked_sub(1)
                        .and_then(|j| v.stories.get(j))
                        .map(link_value)
                        .into(),
                );
                (
                    e.path.to_string(),
                    "story.html",
                    v.stories[i].clone(),
                    "story",
                )
            }
            Job::Resolution(i) => {
                let e = &site.resolutions[i];
                (
                    e.path.to_string(),
                    "resolution.html",
                    v.resolutions[i].clone(),
                    "resolution",
                )
            }
            Job::Partner(i) => {
                let e = &site.partners[i];
                (
                    e.path.to_string(),
                    "partner.html",
                    v.partners[i].clone(),
                    "partner",
                )
            }
            Job::Page(i) => {
                let e = &site.pages[i];
                // The page's own template is chosen by `out_and_template`.
                (e.path.to_string(), "page.html", v.pages[i].clone(), "page")
            }
            Job::Feed(name, out) => {
                let title = site.config.title.clone();
                let page = simple(&title, out);
                let (ctx, states) = with_page(ctx, site, v, page, ("feed", out), names);
                return (out.into(), name, ctx, states);
            }
        };
        let out = format!("{path}index.html");
        let (ctx, states) = with_page(ctx, site, v, page, (kind, &path), names);
        (out, template, ctx, states)
    }
}

/// The home page's story lists: every featured story, and the newest others up to
/// `home_stories` (both newest first), so the template need not scan every story.
fn home_lists(site: &Site) -> (Vec<usize>, Vec<usize>) {
    let featured = (0..site.stories.len())
        .filter(|&i| site.stories[i].doc.meta.featured)
        .collect();
    let latest = (0..site.stories.len())
        .filter(|&i| !site.stories[i].doc.meta.featured)
        .take(site.config.home_stories)
        .collect();
    (featured, latest)
}

/// The path of page `n` of a tag's story list.
fn tag_page_path(slug: &str, n: usize) -> String {
    if n == 1 {
        format!("tags/{slug}/")
    } else {
        format!("tags/{slug}/page/{n}/")
    }
}

/// The `paginator` of a story list page.
fn paginator(
    site: &Site,
    items: Vec<Value>,
    n: usize,
    total_pages: usize,
    total_items: usize,
    path: &dyn Fn(usize) -> String,
) -> Value {
    Obj::new()
        .set("items", list(items))
        .set("number", n)
        .set("total_pages", total_pages)
        .set("total_items", total_items)
        .opt("prev_url", (n > 1).then(|| site.url(&path(n - 1))))
        .opt(
            "next_url",
            (n < total_pages).then(|| site.url(&path(n + 1))),
        )
        .set(
            "pages",
            list(
                page_window(n, total_pages)
                    .into_iter()
                    .map(|(k, gap_before)| {
                        Obj::new()
                            .set("number", k)
                            .set("url", site.url(&path(k)))
                            .set("gap_before", gap_before)
                            .build()
                    }),
            ),
        )
        .build()
}

/// The page numbers a pagination bar shows: the first, the last, and three on each side of
/// the current one, each marked when numbers were skipped before it. Listing every page made
/// each list page's size grow with the number of pages (quadratic output); so did looking at
/// every page number to choose (quadratic time: 5,000 list pages at 50,000 stories).
fn page_window(n: usize, total: usize) -> Vec<(usize, bool)> {
    let near = n.saturating_sub(3).max(1)..=(n + 3).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .filter(|&k| (1..=total).contains(&k))
        .collect();
    numbers.dedup();
    let mut last = 0;
    numbers
        .into_iter()
        .map(|k| {
            let gap = last != 0 && k != last + 1;
            last = k;
            (k, gap)
        })
        .collect()
}

/// Adds what every page gets about itself. `menu` is the main menu with each item's
/// `current` worked out here: templates comparing URLs themselves (`is starting_with`) cost
/// more than the rest of a story page.
fn with_page(
    mut ctx: Context,
    site: &Site,
    v: &Values,
    page: Value,
    (kind, path): (&str, &str),
    names: PageNames,
) -> (Context, Vec<u8>) {
    let url = site.url(path);
    let states = menu_states(site, &url);
    if names.menu {
        ctx.insert_value("menu", menu_value(v, &states));
    }
    ctx.insert_value("page", page);
    ctx.insert("kind", kind);
    if names.current {
        ctx.insert("current_url", &url);
        ctx.insert("current_path", path);
    }
    (ctx, states)
}

/// Which of a page's own names its template reads. Each name in a page's context costs a
/// comparison in every lookup of a name that sorts after it (`page`, `site`...), 1 % of a
/// build for `current_url` and `current_path`, so names a template does not read are left
/// out.
#[derive(Clone, Copy, Hash)]
struct PageNames {
    menu: bool,
    current: bool,
}

impl PageNames {
    const ALL: PageNames = PageNames {
        menu: true,
        current: true,
    };
}

/// The main menu as the page whose menu has `states` shows it.
fn menu_value(v: &Values, states: &[u8]) -> Value {
    list(
        v.menu
            .iter()
            .zip(states)
            .map(|(variants, &state)| variants[usize::from(state)].clone()),
    )
}

/// For each item of the main menu, what it is to the page at `url`: 0 elsewhere, 1 the page
/// itself, 2 a page in its section (`current` "", "page", "section").
fn menu_states(site: &Site, url: &str) -> Vec<u8> {
    site.menu
        .iter()
        .map(|m| {
            if url == m.url {
                1
            } else if m.url != site.base_path && url.starts_with(&m.url) {
                2
            } else {
                0
            }
        })
        .collect()
}

fn link_value(v: &Value) -> Value {
    let get = |k: &str| v.get_from_path(k).cloned().unwrap_or_else(Value::none);
    Obj::new()
        .set("title", get("title"))
        .set("url", get("url"))
        .build()
}

fn resolution_years(site: &Site, v: &Values) -> Value {
    let mut years: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
    for (i, r) in site.resolutions.iter().enumerate() {
        years
            .entry(r.doc.meta.adopted.year)
            .or_default()
            .push(v.resolutions[i].clone());
    }
    list(years.into_iter().map(|(y, items)| {
        Obj::new()
            .set("year", y as i64)
            .set("items", list(items))
            .build()
    }))
}

/// Distinct values with a slug key and a count, for filter controls.
fn facet(values: impl Iterator<Item = String>) -> Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    list(counts.into_iter().map(|(label, n)| {
        Obj::new()
            .set("key", slug::slugify(&label))
            .set("label", label)
            .set("count", n)
            .build()
    }))
}

fn partner_groups(site: &Site, v: &Values, by_type: bool) -> Value {
    let keys: Vec<(&str, &str)> = if by_type {
        PartnerType::ALL
            .iter()
            .map(|t| (t.key(), t.label()))
            .collect()
    } else {
        Region::ALL.iter().map(|r| (r.key(), r.label())).collect()
    };
    let key_of = |p: &Partner| {
        if by_type {
            p.kind.key()
        } else {
            p.region.key()
        }
    };
    list(keys.into_iter().filter_map(|(key, label)| {
        let items: Vec<Value> = site
            .partners
            .iter()
            .enumerate()
            .filter(|(_, p)| key_of(&p.doc.meta) == key)
            .map(|(i, _)| v.partners[i].clone())
            .collect();
        (!items.is_empty()).then(|| {
            Obj::new()
                .set("key", key)
                .set("label", label)
                .set("count", items.len())
                .set("items", list(items))
                .build()
        })
    }))
}

fn common<M>(site: &Site, e: &Entry<M>, title: &str, html: &str) -> Obj {
    Obj::new()
        .set("id", e.doc.id.as_str())
        .set("title", title)
        .set("url", site.url(&e.path))
        .set("permalink", site.permalink(&e.path))
        .set("source", e.doc.file.path.as_str())
        .set("content", Value::safe_string(html))
        .set("toc", Value::from_serializable(&e.body.toc))
        .set("word_count", e.body.words)
        .set("reading_time", e.body.words.div_ceil(200).max(1))
}

fn tag_ref(site: &Site, name: &str) -> Value {
    let slug = slug::slugify(name);
    Obj::new()
        .set("name", name)
        .set("url", site.url(&format!("tags/{slug}/")))
        .set("slug", slug)
        .build()
}

fn role_label(role: &str) -> String {
    match role {
        "campaign-coordinator" => "Campaign coordinator".into(),
        "working-group-chair" => "Chair of the Inter-Agency Working Group".into(),
        "working-group-member" => "Inter-Agency Working Group member".into(),
        "campaign-supporter" => "Campaign supporter".into(),
        "un-standard-setter" => "UN standard-setting body".into(),
        "regional-standard-setter" => "Regional standard-setting body".into(),
        other => {
            let s = other.replace('-', " ");
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

/// Two-letter initials for partners without a logo.
fn monogram(name: &str, acronym: Option<&str>) -> String {
    if let Some(a) = acronym {
        return a.chars().filter(|c| c.is_alphanumeric()).take(3).collect();
    }
    name.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect()
}

/// One entry's value and the hash of everything it was computed from.
type Memoized = (u64, Value);

/// Each entry's body HTML, per collection, moved out of the site when nothing else holds it
/// (a one-shot build, whose link memo keeps no bodies): each is then freed as soon as its
/// template value holds a copy, so the site's HTML is not held twice (110 MB at 10,000
/// stories). `None` where the body is shared; render reads it from the site then.
struct OwnedHtml([Vec<Option<String>>; 4]);

impl OwnedHtml {
    fn take(site: &mut Site) -> OwnedHtml {
        fn take_all<M>(entries: &mut [Entry<M>]) -> Vec<Option<String>> {
            entries
                .iter_mut()
                .map(|e| Arc::get_mut(&mut e.body).map(|b| std::mem::take(&mut b.html)))
                .collect()
        }
        OwnedHtml([
            take_all(&mut site.stories),
            take_all(&mut site.resolutions),
            take_all(&mut site.partners),
            take_all(&mut site.pages),
        ])
    }
}

/// The theme's card templates, each rendered once per entry into the entry's `card`, so that
/// list pages print a card instead of writing it out again on every page that lists the
/// entry (at 10,000 stories the lists show 40,000 cards).
struct Cards {
    /// Per collection (stories, resolutions, partners): the template and the name the entry
    /// has in it.
    templates: [Option<(&'static str, &'static str)>; 3],
    /// Of the card templates and everything they extend: entries' values depend on it.
    hash: u64,
}

impl Cards {
    const TEMPLATES: [(&'static str, &'static str); 3] = [
        ("cards/story.html", "story"),
        ("cards/resolution.html", "resolution"),
        ("cards/partner.html", "partner"),
    ];

    fn find(t: &TemplateInfoRef, diags: &mut Diagnostics) -> Cards {
        let mut hash = std::hash::DefaultHasher::new();
        let templates = Cards::TEMPLATES.map(|(name, var)| {
            let &(chain, get_entry) = t.info.chains.get(name)?;
            if get_entry {
                let file = t
                    .templates
                    .iter()
                    .find(|f| f.path == name)
                    .or_else(|| t.templates.iter().find(|f| f.path == format!("theme/{name}")));
                let mut d =
                    Diagnostic::error(format!("{name} calls get_entry, which cards cannot use"))
                        .help(format!("a card is rendered before the site's entries are indexed; use the `{var}` value's own fields, or move the lookup to the page template"));
                d = match file {
                    Some(f) => match f.text.find("get_entry") {
                        Some(at) => d.at(
                            &template_path(&f.path, t.theme_label),
                            &f.text,
                            at..at + "get_entry".len(),
                        ),
                        None => d.in_file(template_path(&f.path, t.theme_label)),
                    },
                    None => d.in_file(template_path(name, t.theme_label)),
                };
                diags.push(d);
                return None;
            }
            (name, chain).hash(&mut hash);
            Some((name, var))
        });
        Cards {
            templates,
            hash: hash.finish(),
        }
    }

    /// `value` with its `card` added, if its collection has a card template.
    fn add(
        &self,
        collection: Collection,
        value: Value,
        tera: &Tera,
        t: &TemplateInfoRef,
        source: &str,
    ) -> Result<Value, Diagnostic> {
        let Some(Some((template, var))) = self.templates.get(collection as usize) else {
            return Ok(value);
        };
        let mut ctx = Context::new();
        ctx.insert_value(*var, value);
        let html = tera.render(template, &ctx).map_err(|e| {
            template_error(
                &e,
                t.templates,
                t.theme_label,
                &format!("the card of {source}"),
            )
        })?;
        // Out of the context again, the map is not shared: adding the card does not copy it.
        let Some(mut map) = ctx.remove(var).and_then(Value::into_map) else {
            return Ok(Value::none());
        };
        map.insert("card".into(), Value::safe_string(html.trim()));
        Ok(Value::from(map))
    }
}

/// The theme's partials (`partials/<name>.html`), rendered once for the whole build with `site`
/// and the other globals but no page, and printed as `partials.<name>`: what is the same on
/// every page is written once instead of once per page (the campaign theme's footer was 3 %
/// of a build). A partial that reads `menu` is rendered once per distinct main menu (the
/// menu marks the current page and section: a site has a handful), when a page with that
/// menu first needs it.
struct Partials<'a> {
    /// The partials that do not read `menu`: Tera's global `partials`.
    fixed: tera::Map,
    /// The names of those that do.
    per_menu: Vec<&'a str>,
    /// Per menu (each item's `current`, as [`menu_states`] gives it): all the partials as the
    /// pages with that menu print them.
    by_menu: RwLock<HashMap<Vec<u8>, Value>>,
    /// Per partial: of its output, or for one that reads the menu, of its template and what
    /// it reads. The pages that print it depend on it.
    hashes: HashMap<&'a str, u64>,
}

impl<'a> Partials<'a> {
    fn render(
        tera: &Tera,
        site_value: &Value,
        t: &TemplateInfoRef<'a>,
        global_hashes: &[u64],
    ) -> Result<Partials<'a>, Diagnostics> {
        let mut names: Vec<&str> = t
            .templates
            .iter()
            .map(|f| f.path.strip_prefix("theme/").unwrap_or(&f.path))
            .filter(|n| n.starts_with("partials/") && n.ends_with(".html"))
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        let mut fixed = tera::Map::new();
        let mut per_menu = Vec::new();
        let mut hashes = HashMap::default();
        let mut diags = Diagnostics::new();
        for name in names {
            let vars = tera.get_template_variables(name).unwrap_or_default();
            if vars.contains("menu") {
                // Hashed by what it is made of: the template, and the globals it reads
                // (`menu`'s hash stands for the site's menu; the page's address, which picks
                // the variant, is in every page's fingerprint).
                let (chain, _) = t.info.chains.get(name).copied().unwrap_or((0, true));
                let read: Vec<u64> = GLOBAL_NAMES
                    .iter()
                    .zip(global_hashes)
                    .filter(|(n, _)| vars.contains(*n))
                    .map(|(_, h)| *h)
                    .collect();
                hashes.insert(
                    partial_key(name),
                    hash_one(&(chain, t.info.components, read)),
                );
                per_menu.push(name);
                continue;
            }
            match tera.render(name, &ctx) {
                Ok(html) => {
                    hashes.insert(partial_key(name), hash_one(&html));
                    fixed.insert(
                        partial_key(name).to_string().into(),
                        Value::safe_string(html.trim()),
                    );
                }
                Err(e) => diags.push(template_error(
                    &e,
                    t.templates,
                    t.theme_label,
                    &format!("the partial {name}"),
                )),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Partials {
            fixed,
            per_menu,
            by_menu: RwLock::new(HashMap::default()),
            hashes,
        })
    }

    /// What a template that prints the partials `names` depends on (all of them when it is
    /// not known which).
    fn hash_of(&self, names: Option<&Vec<String>>) -> u64 {
        match names {
            Some(names) if !names.iter().any(|n| n == "*") => hash_one(
                &names
                    .iter()
                    .map(|n| (n, self.hashes.get(n.as_str())))
                    .collect::<Vec<_>>(),
            ),
            _ => {
                let mut all: Vec<_> = self.hashes.iter().collect();
                all.sort_unstable();
                hash_one(&all)
            }
        }
    }

    /// The partials as a page whose menu is `menu` (with `states`) prints them, when some of
    /// them read the menu.
    fn for_menu(
        &self,
        states: &[u8],
        menu: impl FnOnce() -> Value,
        tera: &Tera,
        site_value: &Value,
        t: &TemplateInfoRef,
    ) -> Result<Option<Value>, Diagnostic> {
        if self.per_menu.is_empty() {
            return Ok(None);
        }
        if let Some(v) = self
            .by_menu
            .read()
            .ok()
            .and_then(|m| m.get(states).cloned())
        {
            return Ok(Some(v));
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert_value("menu", menu());
        let mut all = self.fixed.clone();
        for name in &self.per_menu {
            let html = tera.render(name, &ctx).map_err(|e| {
                template_error(
                    &e,
                    t.templates,
                    t.theme_label,
                    &format!("the partial {name}"),
                )
            })?;
            all.insert(
                partial_key(name).to_string().into(),
                Value::safe_string(html.trim()),
            );
        }
        let value = Value::from(all);
        if let Ok(mut m) = self.by_menu.write() {
            m.insert(states.to_vec(), value.clone());
        }
        Ok(Some(value))
    }
}

/// `partials/a/b.html` → `a/b`, its name in `partials`.
fn partial_key(name: &str) -> &str {
    name.strip_prefix("partials/")
        .and_then(|n| n.strip_suffix(".html"))
        .unwrap_or(name)
}

/// Builds every entry's value, reusing `memo` where the ingredients are unchanged. Bodies
/// with embeds are expanded only for entries that are rebuilt.
fn values(
    site: &Site,
    owned: &mut OwnedHtml,
    tera: &Tera,
    t: &TemplateInfoRef,
    memo: &mut RenderMemo,
    diags: &mut Diagnostics,
) -> Values {
    let cards = Cards::find(t, diags);
    let base = hash_one(&(
        &t.info.site_config,
        &site.options.today,
        site.options.drafts,
        cards.hash,
    ));
    let embed_refs = |embeds: &[Embed]| {
        if embeds.is_empty() {
            return 0;
        }
        let mut h = std::hash::DefaultHasher::new();
        t.info.components.hash(&mut h);
        for e in embeds {
            match e {
                Embed::Cite { resolution, .. } => {
                    let d = &site.resolutions[*resolution].doc;
                    (d.file.version, &d.id).hash(&mut h);
                }
                Embed::Partner { partner } => {
                    let d = &site.partners[*partner].doc;
                    (d.file.version, &d.id).hash(&mut h);
                }
                _ => {}
            }
        }
        h.finish()
    };
    let own = |c: Collection, doc_version: u64, id: &str, embeds: &[Embed]| {
        hash_one(&(base, c, doc_version, id, embed_refs(embeds)))
    };
    let old = &memo.values;
    let errors = std::sync::Mutex::new(Vec::new());
    // (hash, value, whether it was built now)
    let reuse = |c: Collection,
                 id: &str,
                 ingredients: u64,
                 build: &dyn Fn() -> Result<Value, Diagnostic>|
     -> (u64, Value, bool) {
        if let Some((h, v)) = old[c as usize].get(id)
            && *h == ingredients
        {
            return (*h, v.clone(), false);
        }
        match build() {
            Ok(v) => (ingredients, v, true),
            Err(d) => {
                if let Ok(mut e) = errors.lock() {
                    e.push(d);
                }
                (ingredients, Value::none(), true)
            }
        }
    };

    // The fast path of an edit that keeps the shape: when no cited resolution or partner
    // and nothing else a story value reads changed, story `i` is reused if its own file is
    // the one it was made from, without hashing its ingredients.
    let versions = |v: &mut dyn Iterator<Item = u64>| v.collect::<Vec<u64>>();
    let res_versions = versions(&mut site.resolutions.iter().map(|e| e.doc.file.version));
    let partner_versions = versions(&mut site.partners.iter().map(|e| e.doc.file.version));
    let story_versions = versions(&mut site.stories.iter().map(|e| e.doc.file.version));
    let salt = hash_one(&(base, t.info.components));
    let last = &memo.last;
    let quick = last.shape == Some(site.shape)
        && last.salt == salt
        && last.resolution_versions == res_versions
        && last.partner_versions == partner_versions
        && last.stories.len() == site.stories.len();
    let shared = SharedRefs::new(site);
    let stories: Vec<(u64, Value, bool)> = site
        .stories
        .par_iter()
        .zip(owned.0[0].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            if quick && last.story_versions[i] == e.doc.file.version {
                let (h, v) = &last.stories[i];
                return (*h, v.clone(), false);
            }
            let mut h = std::hash::DefaultHasher::new();
            (
                e.image_size,
                own(
                    Collection::Stories,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                &e.image_url,
            )
                .hash(&mut h);
            for &r in site.story_resolutions[i].iter() {
                let d = &site.resolutions[r].doc;
                (d.file.version, &d.id).hash(&mut h);
            }
            0xffu8.hash(&mut h);
            for &p in site.story_partners[i].iter() {
                let d = &site.partners[p].doc;
                (d.file.version, &d.id).hash(&mut h);
            }
            let h = h.finish();
            reuse(Collection::Stories, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = story_value(site, &shared, i, e, &html);
                cards.add(Collection::Stories, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let cited = |ids: &[usize]| -> (Value, u64) {
        (
            list(ids.iter().map(|&s| stories[s].1.clone())),
            hash_one(&ids.iter().map(|&s| stories[s].0).collect::<Vec<_>>()),
        )
    };
    let resolutions: Vec<(u64, Value, bool)> = site
        .resolutions
        .par_iter()
        .zip(owned.0[1].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            let (cited_by, cited_hash) = cited(&site.resolution_cited_by[i]);
            let h = hash_one(&(
                own(
                    Collection::Resolutions,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                cited_hash,
            ));
            reuse(Collection::Resolutions, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = resolution_value(site, e, &html, cited_by.clone());
                cards.add(Collection::Resolutions, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let partners: Vec<(u64, Value, bool)> = site
        .partners
        .par_iter()
        .zip(owned.0[2].par_iter_mut())
        .enumerate()
        .map(|(i, (e, taken))| {
            let html = taken.take();
            let (cited_by, cited_hash) = cited(&site.partner_cited_by[i]);
            let h = hash_one(&(
                own(
                    Collection::Partners,
                    e.doc.file.version,
                    &e.doc.id,
                    &e.embeds,
                ),
                cited_hash,
                &e.image_url,
            ));
            reuse(Collection::Partners, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                let value = partner_value(site, e, &html, cited_by.clone());
                cards.add(Collection::Partners, value, tera, t, &e.doc.file.path)
            })
        })
        .collect();
    let pages: Vec<(u64, Value, bool)> = site
        .pages
        .par_iter()
        .zip(owned.0[3].par_iter_mut())
        .map(|(e, taken)| {
            let html = taken.take();
            let h = own(Collection::Pages, e.doc.file.version, &e.doc.id, &e.embeds);
            reuse(Collection::Pages, &e.doc.id, h, &|| {
                let html = expand(site, tera, e, html.as_deref(), t)?;
                Ok(page_value(site, e, &html))
            })
        })
        .collect();
    let tags: Vec<Memoized> = site
        .tags
        .iter()
        .map(|tag| {
            let h = hash_one(&(&tag.name, &tag.slug, tag.stories.len()));
            let v = Obj::new()
                .set("name", tag.name.as_str())
                .set("slug", tag.slug.as_str())
                .set("url", site.url(&format!("tags/{}/", tag.slug)))
                .set("permalink", site.permalink(&format!("tags/{}/", tag.slug)))
                .set("count", tag.stories.len())
                .build();
            (h, v)
        })
        .collect();

    let mut keep = |c: Collection, ids: Vec<&str>, vals: Vec<(u64, Value, bool)>| {
        let kept = &mut memo.values[c as usize];
        let count = ids.len();
        let mut hashes = Vec::with_capacity(count);
        let mut values = Vec::with_capacity(count);
        for (id, (h, v, fresh)) in ids.iter().zip(vals) {
            if fresh {
                kept.insert(id.to_string(), (h, v.clone()));
            }
            hashes.push(h);
            values.push(v);
        }
        if kept.len() > count {
            let current: HashSet<&str> = ids.into_iter().collect();
            kept.retain(|id, _| current.contains(id.as_str()));
        }
        (hashes, values)
    };
    let (story_h, stories) = keep(
        Collection::Stories,
        site.stories.iter().map(|e| e.doc.id.as_str()).collect(),
        stories,
    );
    memo.last = Positions {
        shape: Some(site.shape),
        salt,
        resolution_versions: res_versions,
        partner_versions,
        story_versions,
        stories: story_h
            .iter()
            .copied()
            .zip(stories.iter().cloned())
            .collect(),
        jobs: std::mem::take(&mut memo.last.jobs),
        prints: std::mem::take(&mut memo.last.prints),
        pages_shape: memo.last.pages_shape,
    };
    let (res_h, resolutions) = keep(
        Collection::Resolutions,
        site.resolutions.iter().map(|e| e.doc.id.as_str()).collect(),
        resolutions,
    );
    let (partner_h, partners) = keep(
        Collection::Partners,
        site.partners.iter().map(|e| e.doc.id.as_str()).collect(),
        partners,
    );
    let (page_h, pages) = keep(
        Collection::Pages,
        site.pages.iter().map(|e| e.doc.id.as_str()).collect(),
        pages,
    );
    diags.extend(errors.into_inner().unwrap_or_default());
    let (tag_h, tags): (Vec<u64>, Vec<Value>) = tags.into_iter().unzip();
    Values {
        hashes: ValueHashes {
            stories: story_h,
            resolutions: res_h,
            partners: partner_h,
            pages: page_h,
            tags: tag_h,
        },
        menu: site
            .menu
            .iter()
            .map(|m| {
                ["", "page", "section"].map(|current| {
                    Obj::new()
                        .set("name", m.name.as_str())
                        .set("url", m.url.as_str())
                        .set("highlight", m.highlight)
                        .set("current", current)
                        .build()
                })
            })
            .collect(),
        stories,
        resolutions,
        partners,
        pages,
        tags,
    }
}

/// A full address for a URL of the site (`/img/a.png` → `https://example.org/img/a.png`).
fn absolute(site: &Site, url: &str) -> String {
    if url.starts_with('/') {
        format!("{}{url}", site.config.origin())
    } else {
        url.to_string()
    }
}

/// A resolution as stories and the cite embed show it.
fn res_ref(site: &Site, i: usize) -> Value {
    let r = &site.resolutions[i];
    let m = &r.doc.meta;
    Obj::new()
        .set("id", r.doc.id.as_str())
        .set("title", m.title.as_str())
        .opt("symbol", m.symbol.as_deref())
        .set("body", m.body.as_str())
        .set("adopted", m.adopted.to_string())
        .set("adopted_display", m.adopted.display())
        .set("kind_label", m.kind.label())
        .opt("official_url", m.url.as_deref())
        .set("url", site.url(&r.path))
        .build()
}

/// The fields a partner shows on its page, in the directory and in the partner embed.
fn partner_fields(e: &Entry<Partner>, o: Obj) -> Obj {
    let m = &e.doc.meta;
    o.set("name", m.name.as_str())
        .opt("acronym", m.acronym.as_deref())
        .set("type", m.kind.key())
        .set("type_label", m.kind.label())
        .set("type_singular", m.kind.singular())
        .set("region", m.region.key())
        .set("region_label", m.region.label())
        .opt("country", m.country.as_deref())
        .opt("website", m.website.as_deref())
        .opt("logo", e.image_url.as_deref())
        .set("monogram", monogram(&m.name, m.acronym.as_deref()))
        .opt("description", m.description.as_deref())
}

fn partner_ref(site: &Site, i: usize) -> Value {
    let p = &site.partners[i];
    Obj::new()
        .set("id", p.doc.id.as_str())
        .set("name", p.doc.meta.name.as_str())
        .opt("acronym", p.doc.meta.acronym.as_deref())
        .set("url", site.url(&p.path))
        .build()
}

/// Small values that many stories hold (their tags and the entries they cite), each made
/// once per build when first needed and shared by reference.
struct SharedRefs<'a> {
    site: &'a Site,
    tags: OnceLock<HashMap<&'a str, Value>>,
    resolutions: Vec<OnceLock<Value>>,
    partners: Vec<OnceLock<Value>>,
}

impl<'a> SharedRefs<'a> {
    fn new(site: &'a Site) -> Self {
        SharedRefs {
            site,
            tags: OnceLock::new(),
            resolutions: (0..site.resolutions.len())
                .map(|_| OnceLock::new())
                .collect(),
            partners: (0..site.partners.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// A tag as a story spells it.
    fn tag(&self, name: &str) -> Value {
        let tags = self.tags.get_or_init(|| {
            let mut m = HashMap::default();
            for s in &self.site.stories {
                for t in &s.doc.meta.tags {
                    m.entry(t.as_str()).or_insert_with(|| tag_ref(self.site, t));
                }
            }
            m
        });
        tags.get(name)
            .cloned()
            .unwrap_or_else(|| tag_ref(self.site, name))
    }

    fn resolution(&self, i: usize) -> Value {
        self.resolutions[i]
            .get_or_init(|| res_ref(self.site, i))
            .clone()
    }

    fn partner(&self, i: usize) -> Value {
        self.partners[i]
            .get_or_init(|| partner_ref(self.site, i))
            .clone()
    }
}

fn story_value(site: &Site, shared: &SharedRefs, i: usize, e: &Entry<Story>, html: &str) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .set("date", m.date.to_string())
        .set("date_display", m.date.display())
        .set("year", m.date.0.year() as i64)
        .set("summary", m.summary.as_str())
        .opt("author", m.author.as_deref())
        .opt(
            "image",
            m.image.as_ref().map(|img| {
                Obj::new()
                    .set(
                        "src",
                        e.image_url.clone().unwrap_or_else(|| img.src.clone()),
                    )
                    .set("alt", img.alt.as_str())
                    .set(
                        "permalink",
                        absolute(site, e.image_url.as_deref().unwrap_or(&img.src)),
                    )
                    .opt("width", e.image_size.map(|(w, _)| w as i64))
                    .opt("height", e.image_size.map(|(_, h)| h as i64))
                    .build()
            }),
        )
        .set("tags", list(m.tags.iter().map(|t| shared.tag(t))))
        .set(
            "resolutions",
            list(
                site.story_resolutions[i]
                    .iter()
                    .map(|&r| shared.resolution(r)),
            ),
        )
        .set(
            "partners",
            list(site.story_partners[i].iter().map(|&p| shared.partner(p))),
        )
        .set("featured", m.featured)
        .set("draft", m.draft || m.date > site.options.today)
        .build()
}

fn resolution_value(site: &Site, e: &Entry<Resolution>, html: &str, cited_by: Value) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .opt("symbol", m.symbol.as_deref())
        .set("body", m.body.as_str())
        .set("body_key", slug::slugify(&m.body))
        .set("adopted", m.adopted.to_string())
        .set("adopted_display", m.adopted.display())
        .set("year", m.adopted.year as i64)
        .set("kind", m.kind.key())
        .set("kind_label", m.kind.label())
        .opt("official_url", m.url.as_deref())
        .set("paragraphs", Value::from_serializable(&m.paragraphs))
        .set("cited_by", cited_by)
        .set("draft", m.draft)
        .build()
}

fn partner_value(site: &Site, e: &Entry<Partner>, html: &str, cited_by: Value) -> Value {
    let m = &e.doc.meta;
    partner_fields(e, common(site, e, &m.name, html))
        .opt("joined", m.joined.map(|y| y as i64))
        .set(
            "roles",
            list(m.roles.iter().map(|r| {
                Obj::new()
                    .set("key", r.as_str())
                    .set("label", role_label(r))
                    .build()
            })),
        )
        .set("cited_by", cited_by)
        .set("draft", m.draft)
        .build()
}

fn page_value(site: &Site, e: &Entry<Page>, html: &str) -> Value {
    let m = &e.doc.meta;
    common(site, e, &m.title, html)
        .opt("description", m.description.as_deref())
        .opt("menu_weight", m.menu_weight.map(|w| w as i64))
        .set("draft", m.draft)
        .build()
}

fn globals(site: &Site, v: &Values) -> Context {
    let mut g = Context::new();
    let countries: BTreeSet<&str> = site
        .partners
        .iter()
        .filter_map(|p| p.doc.meta.country.as_deref())
        .collect();
    let regions: BTreeSet<Region> = site
        .partners
        .iter()
        .map(|p| p.doc.meta.region)
        .filter(|r| *r != Region::Global)
        .collect();
    let site_value = Obj::new()
        .set("title", site.config.title.as_str())
        .set("description", site.config.description.as_str())
        .set("base_url", site.config.base_url.as_str())
        .set("base_path", site.base_path.as_str())
        .set("language", site.config.language.as_str())
        // For `og:locale`: a `replace` filter on every page cost 1 % of a build.
        .set("locale", site.config.language.replace('-', "_"))
        .set(
            "menu",
            list(site.menu.iter().map(|m| {
                Obj::new()
                    .set("name", m.name.as_str())
                    .set("url", m.url.as_str())
                    .set("highlight", m.highlight)
                    .build()
            })),
        )
        .set("extra", Value::from_serializable(&site.config.extra))
        .set("drafts", site.options.drafts)
        .set("home_stories", site.config.home_stories)
        .set("stories_per_page", site.config.stories_per_page)
        .set(
            "counts",
            Obj::new()
                .set("stories", site.stories.len())
                .set("resolutions", site.resolutions.len())
                .set("partners", site.partners.len())
                .set("countries", countries.len())
                .set("regions", regions.len())
                .set("tags", site.tags.len())
                .build(),
        )
        .set("story_pages", site.story_pages)
        .set("generator", concat!("rally ", env!("CARGO_PKG_VERSION")))
        .build();
    g.insert_value("site", site_value);
    g.insert_value("stories", list(v.stories.iter().cloned()));
    g.insert_value("resolutions", list(v.resolutions.iter().cloned()));
    g.insert_value("partners", list(v.partners.iter().cloned()));
    g.insert_value("pages", list(v.pages.iter().cloned()));
    // Without their stories: lists of tags (on every story list page) then change only when
    // tags come, go or change counts, not on every story edit.
    let tag_list = site.tags.iter().map(|t| {
        Obj::new()
            .set("name", t.name.as_str())
            .set("slug", t.slug.as_str())
            .set("url", site.url(&format!("tags/{}/", t.slug)))
            .set("permalink", site.permalink(&format!("tags/{}/", t.slug)))
            .set("count", t.stories.len())
            .build()
    });
    g.insert_value("tags", list(tag_list));
    g
}

/// Every page a search engine should know, as `(path, last change)`, in the order of the
/// sitemap: home, story lists, stories, resolutions, partners, pages, tags. Drafts are left
/// out.
fn sitemap_entries(site: &Site) -> Vec<(Cow<'_, str>, Option<Date>)> {
    let mut out: Vec<(Cow<str>, Option<Date>)> = Vec::with_capacity(
        site.stories.len() + site.resolutions.len() + site.partners.len() + site.pages.len(),
    );
    let newest = site.stories.first().map(|s| s.doc.meta.date);
    out.push(("".into(), newest));
    out.push(("stories/".into(), newest));
    for n in 2..=site.story_pages {
        out.push((format!("stories/page/{n}/").into(), None));
    }
    for s in &site.stories {
        let m = &s.doc.meta;
        if !(m.draft || m.date > site.options.today) {
            out.push((Cow::Borrowed(&*s.path), Some(m.date)));
        }
    }
    out.push(("resolutions/".into(), None));
    for r in site.resolutions.iter().filter(|r| !r.doc.meta.draft) {
        out.push((Cow::Borrowed(&*r.path), None));
    }
    out.push(("partners/".into(), None));
    for p in site.partners.iter().filter(|p| !p.doc.meta.draft) {
        out.push((Cow::Borrowed(&*p.path), None));
    }
    for p in site.pages.iter().filter(|p| !p.doc.meta.draft) {
        out.push((Cow::Borrowed(&*p.path), None));
    }
    out.push(("tags/".into(), None));
    for t in site.tags.iter() {
        out.push((format!("tags/{}/", t.slug).into(), None));
    }
    out
}

/// The `sitemap` global, `[{loc, lastmod}]`, rebuilt only when a listed address or date
/// changed (so editing a story's text does not re-render the sitemap). One entry per page:
/// made in parallel.
fn sitemap(site: &Site, memo: &mut Option<(u64, Value)>) -> (u64, Value) {
    let entries = sitemap_entries(site);
    let hash = hash_one(&(&site.config.base_url, &entries));
    if let Some((old, v)) = memo
        && *old == hash
    {
        return (hash, v.clone());
    }
    let urls: Vec<Value> = entries
        .par_iter()
        .map(|(path, date)| {
            Obj::new()
                .set("loc", site.permalink(path))
                .opt("lastmod", date.map(|d| d.to_string()))
                .build()
        })
        .collect();
    let v = list(urls);
    *memo = Some((hash, v.clone()));
    (hash, v)
}

/// The `feed_stories` global: the newest published stories, for feeds.
fn feed_stories(site: &Site, v: &Values) -> (u64, Value) {
    let picked: Vec<usize> = site
        .stories
        .iter()
        .enumerate()
        .filter(|(_, s)| !(s.doc.meta.draft || s.doc.meta.date > site.options.today))
        .map(|(i, _)| i)
        .take(FEED_STORIES)
        .collect();
    (
        hash_one(
            &picked
                .iter()
                .map(|&i| v.hashes.stories[i])
                .collect::<Vec<_>>(),
        ),
        list(picked.iter().map(|&i| v.stories[i].clone())),
    )
}

/// The templates and their hashes, as the value builders need them.
struct TemplateInfoRef<'a> {
    info: &'a TemplateInfo,
    templates: &'a [SourceText],
    theme_label: &'a str,
}

/// What the per-page `menu` is made of, besides the page's address.
fn menu_hash_input(site: &Site) -> (Vec<(&str, &str, bool)>, &str) {
    let items = site
        .menu
        .iter()
        .map(|m| (m.name.as_str(), m.url.as_str(), m.highlight))
        .collect();
    (items, &site.base_path)
}

/// Hashes of the globals, in the order of [`GLOBAL_NAMES`].
fn global_hashes(site: &Site, v: &Values) -> Vec<u64> {
    let site_hash = hash_one(&(
        serde_json::to_string(&site.config).unwrap_or_default(),
        menu_hash_input(site),
        site.options.drafts,
        (
            site.stories.len(),
            site.resolutions.len(),
            site.partners.len(),
            site.tags.len(),
        ),
        v.hashes.partners.len(),
        site.partners
            .iter()
            .map(|p| (p.doc.meta.country.as_deref(), p.doc.meta.region))
            .collect::<Vec<_>>(),
    ));
    vec![
        site_hash,
        hash_one(&v.hashes.stories),
        hash_one(&v.hashes.resolutions),
        hash_one(&v.hashes.partners),
        hash_one(&v.hashes.pages),
        hash_one(
            &site
                .tags
                .iter()
                .map(|t| (&t.name, &t.slug, t.stories.len()))
                .collect::<Vec<_>>(),
        ),
    ]
}

/// For each template name: a hash of its text and of everything it extends or includes.
fn template_info(templates: &[SourceText], site: &Site) -> TemplateInfo {
    let by_name: HashMap<&str, &SourceText> =
        templates.iter().map(|t| (t.path.as_str(), t)).collect();
    let resolve = |name: &str| -> Option<&SourceText> {
        by_name
            .get(name)
            .or_else(|| by_name.get(format!("theme/{name}").as_str()))
            .copied()
    };
    let is_components =
        |t: &SourceText| t.text.contains("{% component") || t.text.contains("{%- component");
    let mut chains = HashMap::default();
    let mut partials_used = HashMap::default();
    for t in templates {
        let public = t.path.strip_prefix("theme/").unwrap_or(&t.path).to_string();
        let Some(start) = resolve(&public) else {
            continue;
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut stack = vec![start];
        let mut h = std::hash::DefaultHasher::new();
        let mut get_entry = false;
        let mut partials = Vec::new();
        while let Some(cur) = stack.pop() {
            if seen.contains(&cur.path.as_str()) {
                continue;
            }
            seen.push(&cur.path);
            cur.path.hash(&mut h);
            cur.text.hash(&mut h);
            get_entry |= cur.text.contains("get_entry");
            partials_named(&cur.text, &mut partials);
            for name in referenced_templates(&cur.text) {
                // `theme/x` names the theme's file directly; `x` prefers the site's override.
                if let Some(next) = by_name.get(name).copied().or_else(|| resolve(name)) {
                    stack.push(next);
                }
            }
        }
        partials.sort_unstable();
        partials.dedup();
        partials_used.insert(public.clone(), partials);
        chains.insert(public, (h.finish(), get_entry));
    }
    let components = hash_one(
        &templates
            .iter()
            .filter(|t| is_components(t))
            .map(|t| (&t.path, &t.text))
            .collect::<Vec<_>>(),
    );
    TemplateInfo {
        chains,
        components,
        partials_used,
        site_config: serde_json::to_string(&site.config).unwrap_or_default(),
    }
}

/// Template names in `{% extends "x" %}`, `{% include "x" %}` and `{% import "x" %}` tags.
fn referenced_templates(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for kw in ["extends", "include"] {
        let mut rest = text;
        while let Some(i) = rest.find(kw) {
            rest = &rest[i + kw.len()..];
            let t = rest.trim_start();
            if let Some(q) = t.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = t[1..].find(q)
            {
                out.push(&t[1..1 + end]);
            }
        }
    }
    out
}

/// Adds the names of the partials `text` prints (`partials.footer`, `partials["a/b"]`) to
/// `out`, or `*` where it uses `partials` in any other way.
fn partials_named(text: &str, out: &mut Vec<String>) {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find("partials") {
        let at = from + i;
        from = at + "partials".len();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| ident(c) || c == '.' || c == '/') {
            continue;
        }
        let rest = &text[from..];
        // A longer name, or a file name (`partials/footer.html`).
        if rest.starts_with(|c: char| ident(c) || c == '/') {
            continue;
        }
        let named = if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(|c: char| !ident(c)).unwrap_or(r.len());
            (end > 0).then(|| r[..end].to_string())
        } else if let Some(r) = rest.strip_prefix('[') {
            r.chars()
                .next()
                .filter(|q| *q == '"' || *q == '\'')
                .and_then(|q| r[1..].find(q).map(|end| r[1..1 + end].to_string()))
        } else {
            None
        };
        out.push(named.unwrap_or_else(|| "*".into()));
    }
}

/// Compiles the templates alone, to report their syntax errors when the content has errors
/// too (so that one build shows every problem).
pub fn check_templates(templates: &[SourceText], theme_label: &str) -> Vec<Diagnostic> {
    let mut tera = Tera::new();
    if tera.set_fallback_prefixes(["theme/"]).is_err() {
        return vec![];
    }
    register_helpers(&mut tera);
    tera.register_function("get_entry", |_: Kwargs, _: &State| Value::none());
    tera.register_function("url_for", |_: Kwargs, _: &State| String::new());
    let named: Vec<(String, &str)> = templates
        .iter()
        .map(|t| (t.path.clone(), t.text.as_ref()))
        .collect();
    match tera.add_raw_templates(named) {
        Ok(()) => vec![],
        Err(e) => vec![template_error(&e, templates, theme_label, "")],
    }
}

fn register_helpers(tera: &mut Tera) {
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("date", date_filter);
    tera.register_filter("markdown", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&markdown::render_inline(s))
    });
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| urlencode(s));
}

/// Tera's own escaping, written in runs: its default makes one `write_all` call per byte,
/// which was a fifth of the time spent rendering pages. Eight bytes at a time are checked
/// for the five special characters at once, since most text has none.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `x` equal to `b` (no false positives when none is).
    let has = |x: u64, b: u8| {
        let y = x ^ (ONES * u64::from(b));
        y.wrapping_sub(ONES) & !y & HIGH
    };
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i + 8 <= bytes.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&bytes[i..i + 8]);
        let x = u64::from_le_bytes(chunk);
        if has(x, b'&') | has(x, b'<') | has(x, b'>') | has(x, b'"') | has(x, b'\'') == 0 {
            i += 8;
            continue;
        }
        break;
    }
    for (i, b) in bytes.iter().enumerate().skip(i) {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for URL query values.
fn urlencode(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const QUERY: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, QUERY).to_string()
}

/// Entries by (collection, id), for `get_entry`; filled once the values exist.
type EntryIndex = Arc<RwLock<HashMap<(String, String), Value>>>;

fn build_tera(
    site: &Site,
    index: EntryIndex,
    templates: &[SourceText],
    theme_label: &str,
) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    let internal = |e: tera::Error| {
        Diagnostics::from(Diagnostic::error(format!(
            "internal template setup error: {e}"
        )))
    };
    tera.set_fallback_prefixes(["theme/"]).map_err(internal)?;
    register_helpers(&mut tera);

    tera.register_function("get_entry", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let collection: &str = kwargs.must_get("collection")?;
        let id: &str = kwargs.must_get("id")?;
        index
            .read()
            .ok()
            .and_then(|i| i.get(&(collection.to_string(), id.to_string())).cloned())
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "get_entry: there is no entry `{id}` in `{collection}` (collections: stories, resolutions, partners, pages)"
                ))
            })
    });
    let base = site.base_path.clone();
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            Ok(format!("{base}{path}"))
        },
    );

    let named: Vec<(String, &str)> = templates
        .iter()
        .map(|t| (t.path.clone(), t.text.as_ref()))
        .collect();
    tera.add_raw_templates(named)
        .map_err(|e| Diagnostics::from(template_error(&e, templates, theme_label, "")))?;
    Ok(tera)
}

fn entry_index(site: &Site, values: &Values) -> HashMap<(String, String), Value> {
    let mut index = HashMap::default();
    let ids = |name: &str,
               ids: Vec<&str>,
               vals: &[Value],
               index: &mut HashMap<(String, String), Value>| {
        for (id, v) in ids.into_iter().zip(vals) {
            index.insert((name.to_string(), id.to_string()), v.clone());
        }
    };
    ids(
        "stories",
        site.stories.iter().map(|e| e.doc.id.as_str()).collect(),
        &values.stories,
        &mut index,
    );
    ids(
        "resolutions",
        site.resolutions.iter().map(|e| e.doc.id.as_str()).collect(),
        &values.resolutions,
        &mut index,
    );
    ids(
        "partners",
        site.partners.iter().map(|e| e.doc.id.as_str()).collect(),
        &values.partners,
        &mut index,
    );
    ids(
        "pages",
        site.pages.iter().map(|e| e.doc.id.as_str()).collect(),
        &values.pages,
        &mut index,
    );
    index
}

/// Replaces the embed markers of one entry's HTML with the rendered components.
fn expand<'a, M>(
    site: &Site,
    tera: &Tera,
    e: &'a Entry<M>,
    owned: Option<&'a str>,
    t: &TemplateInfoRef,
) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    let (templates, theme_label) = (t.templates, t.theme_label);
    let source = owned.unwrap_or(&e.body.html);
    if e.embeds.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(source));
    }
    // Each marker is searched for after the previous one, in the entry's own HTML (never in
    // an embed's output), so the work grows with the text, not with embeds times text.
    let mut html = String::with_capacity(source.len() + 256 * e.embeds.len());
    let mut copied = 0;
    for (i, embed) in e.embeds.iter().enumerate() {
        let mut ctx = Context::new();
        let mut body = None;
        match embed {
            Embed::Cite {
                resolution,
                paragraph,
            } => {
                let r = &site.resolutions[*resolution];
                let m = &r.doc.meta;
                ctx.insert_value("resolution", res_ref(site, *resolution));
                ctx.insert_value(
                    "paragraph",
                    paragraph
                        .map(|p| Value::from_serializable(&m.paragraphs[p]))
                        .into(),
                );
            }
            Embed::Partner { partner } => {
                let p = &site.partners[*partner];
                ctx.insert_value(
                    "partner",
                    partner_fields(
                        p,
                        Obj::new()
                            .set("id", p.doc.id.as_str())
                            .set("url", site.url(&p.path)),
                    )
                    .build(),
                );
            }
            Embed::Cta {
                title,
                url,
                label,
                body: b,
            } => {
                ctx.insert_value("title", title.as_deref().into());
                ctx.insert("url", url);
                ctx.insert("label", label);
                body = Some(b.as_str());
            }
            Embed::Figure {
                src,
                alt,
                caption,
                credit,
            } => {
                ctx.insert("src", src);
                ctx.insert("alt", alt);
                ctx.insert_value("caption", caption.as_deref().into());
                ctx.insert_value("credit", credit.as_deref().into());
            }
            Embed::Quote { by, role, body: b } => {
                ctx.insert_value("by", by.as_deref().into());
                ctx.insert_value("role", role.as_deref().into());
                body = Some(b.as_str());
            }
            Embed::Video {
                url,
                embed_url,
                title,
                poster,
            } => {
                ctx.insert("url", url);
                ctx.insert("embed_url", embed_url);
                ctx.insert("title", title);
                ctx.insert_value("poster", poster.as_deref().into());
            }
        }
        let name = embed.name();
        let span = e.body.embeds.get(i).map_or(0..0, |c| {
            e.doc.body.start + c.span.start..e.doc.body.start + c.span.end
        });
        if !tera.contains_component(name) {
            return Err(Diagnostic::error(format!("the theme has no `{name}` embed component"))
                .at(&e.doc.file.path, &e.doc.file.text, span)
                .help(format!("themes define embeds as components in templates/embeds.html: {{% component {name}(...) %}}...{{% endcomponent {name} %}}; see docs/templates.md")));
        }
        let rendered = tera
            .render_component(name, &ctx, body, true)
            .map_err(|err| {
                let d = template_error(&err, templates, theme_label, &e.doc.file.path);
                if d.file.is_some() {
                    d
                } else {
                    d.at(&e.doc.file.path, &e.doc.file.text, span.clone())
                }
            })?;
        let marker = embed_marker(i);
        if let Some(at) = source[copied..].find(&marker) {
            html.push_str(&source[copied..copied + at]);
            html.push_str(rendered.trim());
            copied += at + marker.len();
        }
    }
    html.push_str(&source[copied..]);
    Ok(std::borrow::Cow::Owned(html))
}

/// `{{ page.date | date }}` → `19 September 2016`; `date(format="%Y")` uses strftime.
fn date_filter(v: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let d = PartialDate::parse(v).map_err(tera::Error::message)?;
    let format: Option<&str> = kwargs.get("format")?;
    match (format, d.month, d.day) {
        (Some(f), Some(m), Some(day)) => {
            let date = jiff::civil::Date::new(d.year, m, day)
                .map_err(|e| tera::Error::message(e.to_string()))?;
            Ok(date.strftime(f).to_string())
        }
        _ => Ok(d.display()),
    }
}

/// The display path of a Tera template name.
fn template_path(name: &str, theme_label: &str) -> String {
    match name.strip_prefix("theme/") {
        Some(n) => format!("{theme_label}/templates/{n}"),
        None => format!("templates/{name}"),
    }
}

/// How a template error names the page (or card, or embed) it broke: `template error (while
/// rendering content/stories/a.md): …`.
const WHILE_RENDERING: &str = "(while rendering ";

/// One mistake in a template breaks every page that uses it: 10,000 story pages would give
/// 10,000 copies of one message, burying any other. Errors at the same place of the same
/// template with the same message become one, naming the first page and how many more.
fn merge_repeated(diags: &mut Diagnostics) {
    // Where in which template, and the message without the page → (kept at, how many more).
    type Place = (Option<String>, Range<usize>, String);
    let mut first: HashMap<Place, (usize, usize)> = HashMap::default();
    let mut kept = Vec::with_capacity(diags.0.len());
    for d in std::mem::take(&mut diags.0) {
        let rest = d
            .message
            .split_once(WHILE_RENDERING)
            .and_then(|(head, rest)| Some((head, rest.split_once("): ")?.1)));
        if let Some((head, rest)) = rest {
            let key = (d.file.clone(), d.span.clone(), format!("{head}|{rest}"));
            if let Some((_, more)) = first.get_mut(&key) {
                *more += 1;
                continue;
            }
            first.insert(key, (kept.len(), 0));
        }
        kept.push(d);
    }
    for &(i, more) in first.values() {
        if more > 0
            && let Some(d) = kept.get_mut(i)
            && let Some(start) = d.message.find(WHILE_RENDERING)
            && let Some(at) = d.message[start..].find("): ")
        {
            let at = start + at;
            d.message.insert_str(at, &format!(" and {more} more"));
        }
    }
    diags.0 = kept;
}

fn template_error(
    e: &tera::Error,
    templates: &[SourceText],
    theme_label: &str,
    page: &str,
) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => e.to_string(),
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    // Errors about the template set as a whole: name the files involved.
    let names = |chain: &[String]| {
        chain
            .iter()
            .map(|n| template_path(n, theme_label))
            .collect::<Vec<_>>()
            .join(" → ")
    };
    match e.kind() {
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            return Diagnostic::error(format!(
                "the template {} includes itself",
                template_path(tpl, theme_label)
            ))
            .in_file(template_path(tpl, theme_label))
            .help(format!(
                "the includes go round in a circle: {}; remove one of them",
                names(include_chain)
            ));
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            return Diagnostic::error(format!(
                "the template {} extends itself",
                template_path(tpl, theme_label)
            ))
            .in_file(template_path(tpl, theme_label))
            .help(format!(
                "the extends go round in a circle: {}",
                names(inheritance_chain)
            ));
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            return Diagnostic::error(format!("{} extends `{parent}`, which does not exist", template_path(current, theme_label)))
                .in_file(template_path(current, theme_label))
                .help("check the name in {% extends \"...\" %}; theme templates can be named as \"theme/name.html\"");
        }
        _ => {}
    }
    let during = if page.is_empty() {
        String::new()
    } else {
        format!(" {WHILE_RENDERING}{page})")
    };
    let help = if message.contains("not found") && message.contains("emplate") {
        "check the template's name; a site's templates/ folder may override the theme's templates by using the same file name"
    } else if message.contains("is not defined") || message.contains("undefined") {
        "the template uses a value that does not exist here; check the spelling, or guard it with `{% if x is defined %}` / `x or \"default\"`"
    } else {
        "see docs/templates.md for the template syntax and the values each page gets"
    };
    let d = Diagnostic::error(format!("template error{during}: {message}")).help(help);
    if let Some(r) = report
        && let Some(t) = templates.iter().find(|t| t.path == r.filename())
    {
        let span = r.span();
        let start = offset_of(&t.text, span.start_line, span.start_col + 1);
        let end = if span.end_line == span.start_line {
            offset_of(&t.text, span.end_line, span.end_col + 1).max(start)
        } else {
            start + 1
        };
        return d.at(&template_path(&t.path, theme_label), &t.text, start..end);
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_html_writes_what_teras_default_writes() {
        for input in [r#"a&b<c>d"e'f — g"#, "<<", "", "plain", "&", "tail>"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "{input}");
        }
        let mut out = Vec::new();
        super::escape_html("x<y", &mut out).unwrap();
        assert_eq!(out, b"x&lt;y");
        // Special characters at every position of texts longer than the 8-byte chunks.
        for len in 0..40 {
            for at in 0..len {
                for special in ['&', '<', '>', '"', '\''] {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'é' })
                        .collect();
                    let (mut ours, mut teras) = (Vec::new(), Vec::new());
                    super::escape_html(&text, &mut ours).unwrap();
                    tera::escape_html(&text, &mut teras).unwrap();
                    assert_eq!(ours, teras, "{text}");
                }
            }
        }
    }

    use super::*;

    #[test]
    fn urlencode_keeps_only_unreserved() {
        assert_eq!(urlencode("a b&c/é?"), "a%20b%26c%2F%C3%A9%3F");
        assert_eq!(urlencode("x-y_z.~"), "x-y_z.~");
    }

    #[test]
    fn the_partials_a_template_prints_are_found() {
        let mut found = Vec::new();
        partials_named(
            r#"{{ partials.footer }} {{ partials["nav/main"] }} {{partials.head}} my_partials.x page.partials"#,
            &mut found,
        );
        assert_eq!(found, ["footer", "nav/main", "head"]);
        for dynamic in [
            "{% for k, v in partials %}",
            "{{ partials[name] }}",
            "{{ partials | length }}",
        ] {
            let mut found = Vec::new();
            partials_named(dynamic, &mut found);
            assert_eq!(found, ["*"], "{dynamic}");
        }
        let mut none = Vec::new();
        partials_named("{% include \"partials/footer.html\" %}", &mut none);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn template_references_are_found() {
        let t = r#"{% extends "base.html" %}{% include 'parts/card.html' %}{{ x }}"#;
        assert_eq!(referenced_templates(t), ["base.html", "parts/card.html"]);
    }

    #[test]
    fn pagination_shows_a_window_of_pages() {
        assert_eq!(page_window(1, 1), [(1, false)]);
        assert_eq!(page_window(1, 3), [(1, false), (2, false), (3, false)]);
        let w = page_window(50, 100);
        let numbers: Vec<usize> = w.iter().map(|p| p.0).collect();
        assert_eq!(numbers, [1, 47, 48, 49, 50, 51, 52, 53, 100]);
        assert!(w[1].1 && !w[2].1 && w[8].1);
        // Every window against the rule it implements, near both ends and in the middle.
        for total in 1..30usize {
            for n in 1..=total {
                let rule: Vec<(usize, bool)> = (1..=total)
                    .filter(|&k| k == 1 || k == total || k.abs_diff(n) <= 3)
                    .scan(0, |last, k| {
                        let gap = *last != 0 && k != *last + 1;
                        *last = k;
                        Some((k, gap))
                    })
                    .collect();
                assert_eq!(page_window(n, total), rule, "page {n} of {total}");
            }
        }
    }

    #[test]
    fn monograms() {
        assert_eq!(
            monogram("International Detention Coalition", Some("IDC")),
            "IDC"
        );
        assert_eq!(monogram("Save the Children", None), "SC");
    }
}
