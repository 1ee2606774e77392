//! Rendering the pages, in parallel: each page whose fingerprint is unchanged is reused, the
//! others are rendered into a per-thread buffer and kept or handed to the sink.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use tera::Tera;

use super::context::{PageNames, menu_value};
use super::deps::TemplateInfoRef;
use super::errors::{RenderError, template_error};
use super::globals::Globals;
use super::jobs::Job;
use super::memo::RenderMemo;
use super::output_map::PageSink;
use super::values::Values;
use crate::diagnostics::Diagnostic;
use crate::link::{Site, hash_one};
use crate::profile::Timer;

/// What the pages are rendered with, shared by the threads.
pub(super) struct Pages<'a> {
    pub(super) site: &'a Site,
    pub(super) values: &'a Values,
    pub(super) tera: &'a Tera,
    pub(super) globals: &'a Globals<'a>,
    /// Per template: the hash of what it reads besides the page's own values, and which of
    /// the page's own names it reads (see [`template_uses`](super::deps::template_uses)).
    pub(super) uses: &'a HashMap<&'a str, (u64, PageNames)>,
    pub(super) t: &'a TemplateInfoRef<'a>,
    pub(super) sink: Option<&'a dyn PageSink>,
    pub(super) timer: &'a Timer,
}

/// What became of one page.
pub(super) enum Page {
    /// Unchanged since the last build.
    Reused,
    /// Rendered now, kept in the output map.
    Kept(Arc<[u8]>),
    /// Rendered now and handed to the sink.
    Written,
}

/// (path, fingerprint, positional fingerprint, page)
pub(super) type PageOut = (String, u64, u64, Page);

impl Pages<'_> {
    /// Renders the pages `jobs` whose fingerprint is not in `memo`. The memo and the output
    /// map are updated in place afterwards (see [`update`](super::output_map::update)): an
    /// edit costs a lookup per page.
    pub(super) fn render(
        &self,
        jobs: &[Job],
        memo: &RenderMemo,
    ) -> Vec<Result<PageOut, RenderError>> {
        let Pages {
            site,
            values,
            uses,
            sink,
            timer,
            ..
        } = *self;
        // While the shape and the list of pages are the last build's, page `j` is the same
        // page as then, and a hash of its template's and its own inputs decides without a
        // lookup.
        let positional = memo.last.pages_shape == Some(site.shape) && memo.last.jobs == jobs;
        let last_prints = &memo.last.prints;
        jobs.par_iter()
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
                    buf.clear();
                    match job {
                        Job::Data(file) => file.write(site, buf),
                        _ => self.render_template(job, template, buf)?,
                    }
                    timer.note(&out, started);
                    timer.template(template, started);
                    if site.options.minify && out.ends_with(".html") {
                        super::minify::page(buf);
                    }
                    let page = match sink {
                        Some(sink) => {
                            sink.put(&out, buf).map_err(|e| write_error(&out, e))?;
                            Page::Written
                        }
                        None => Page::Kept(Arc::from(&buf[..])),
                    };
                    if buf.capacity() > LARGE_PAGE {
                        // A giant page's buffer would otherwise stay with its thread to the end.
                        *buf = Vec::with_capacity(64 * 1024);
                    }
                    Ok((out, print, quick, page))
                },
            )
            .collect()
    }
}

impl Pages<'_> {
    /// Renders `job`'s page with its template into `buf`.
    fn render_template(
        &self,
        job: &Job,
        template: &str,
        buf: &mut Vec<u8>,
    ) -> Result<(), RenderError> {
        let Pages {
            site,
            values,
            tera,
            globals,
            uses,
            t,
            ..
        } = *self;
        let names = uses.get(template).map_or(PageNames::ALL, |u| u.1);
        let (mut ctx, menu_states) = job.context(site, values, names);
        super::sitemap::part_values(job, site, &globals.sitemap, &mut ctx);
        let own_partials = globals.partials.for_menu(
            &menu_states,
            || menu_value(values, &menu_states),
            tera,
            &globals.site,
            t,
        )?;
        if let Some(p) = own_partials {
            ctx.insert_value("partials", p);
        }
        ctx.insert_value("site", globals.site.clone());
        tera.render_to(template, &ctx, PageBuf(buf))
            .map_err(|e| template_error(&e, t.templates, t.theme_label, &job.describe(site)))?;
        Ok(())
    }
}

/// A page the sink could not take.
fn write_error(out: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("could not write {out}: {e}")).help(
        "check that the disk is not full and the output folder is writable; the previous site was left as it was",
    )
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
