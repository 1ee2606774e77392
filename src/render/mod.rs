//! Stage 4, render: turns a linked [`Site`] into the output map (path → bytes) with Tera 2.
//!
//! Every entry becomes a Tera value once; lists hold the same reference-counted values, so a
//! page's context costs a few pointer copies, not a copy of the site. Pages render in parallel.

mod cards;
mod context;
mod deps;
mod embeds;
mod engine;
mod errors;
mod filters;
mod globals;
mod jobs;
mod memo;
mod obj;
mod output_map;
mod pages;
mod pagination;
mod partials;
mod sitemap;
mod values;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::{Site, hash_one};
use crate::load::{AssetData, SourceText};

use context::{PageNames, menu_value};
use deps::{TemplateInfoRef, template_info};
use engine::{EntryIndex, build_tera, entry_index};
use errors::{merge_repeated, template_error};
use globals::{GLOBAL_NAMES, feed_stories, global_hashes, globals, menu_hash_input};
use jobs::Job;
use memo::Positions;
use pages::{LARGE_PAGE, PageBuf};
use partials::Partials;
use sitemap::sitemap;
use values::{OwnedHtml, values};

pub use engine::check_templates;
pub use memo::RenderMemo;
pub use output_map::{Output, OutputFile, PageSink, PathOrEmbedded};

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
