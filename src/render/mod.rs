//! Stage 4, render: turns a linked [`Site`] into the output map (path → bytes) with Tera 2.
//!
//! Every entry becomes a Tera value once; lists hold the same reference-counted values, so a
//! page's context costs a few pointer copies, not a copy of the site. Pages render in parallel.
//!
//! [`render`] runs the steps in order, each in its own module: compile the templates
//! (`engine`), make the entries' values (`values`, with `cards` and `embeds`), set the globals
//! (`globals`, with `sitemap` and `partials`), list the pages (`jobs`) and what each template
//! reads (`deps`), render the pages (`pages`, with `context`) and update the output map
//! (`output_map`). Each step reuses what the last build made when its inputs are unchanged
//! (`memo`).

mod cards;
mod context;
mod data;
mod deps;
mod embeds;
mod engine;
mod errors;
mod feed;
mod filters;
pub(crate) use filters::urlencode;
mod globals;
mod host;
mod jobs;
mod json;
mod memo;
mod minify;
mod obj;
mod output_map;
mod pages;
mod pagination;
mod partials;
mod schema;
mod sitemap;
mod ui;
mod values;

use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::link::Site;
use crate::load::SourceText;
use crate::strings::Strings;

use deps::{TemplateInfoRef, template_info};
use engine::Compiled;
use errors::merge_repeated;
use globals::Globals;
use pages::Pages;
use values::{OwnedHtml, values};

pub use engine::check_templates;
pub use memo::{RenderMemo, Sources};
pub use output_map::{Output, OutputFile, PageSink, PathOrEmbedded};
pub(crate) use ui::{country_name, region_names};

/// What the site publishes, one output family a line: a new kind of output (open data,
/// redirects, a search index) is a file with its function, and a line here. The families of
/// few large files come first: pages render in parallel in this order, and a 10,000-entry
/// data file started last would finish alone while the other thread idles.
const FAMILIES: [jobs::Family; 6] = [
    data::family,
    feed::family,
    sitemap::family,
    jobs::list_pages,
    jobs::entry_pages,
    jobs::search_page,
];

/// Renders the site with the given templates (site overrides as `name`, theme as `theme/name`),
/// reusing pages of earlier builds from `memo` when nothing they depend on changed.
pub fn render(
    site: &mut Site,
    (templates, host_files): (&[SourceText], &std::collections::BTreeMap<String, Arc<str>>),
    strings: &std::sync::Arc<Strings>,
    theme_label: &str,
    memo: &mut RenderMemo,
    sink: Option<&dyn PageSink>,
) -> Result<Output, Diagnostics> {
    let timer = crate::profile::Timer::start();
    let mut owned = OwnedHtml::take(site);
    let site = &*site;
    let strings_used = ui::check(strings, templates, theme_label);
    if !strings_used.is_empty() {
        let mut d = Diagnostics::new();
        d.extend(strings_used);
        return Err(d);
    }
    // The language this render is in.
    let lang = site.lang.code.to_string();
    let mut compiled = Compiled::take(
        site,
        templates,
        theme_label,
        (strings, &lang),
        &mut memo.tera,
    )?;
    compiled.set_strings(strings, &lang);
    let info = template_info(templates, site, strings.hash);
    // What cards and embeds (rendered before the globals exist) and components see of the
    // language: `UI` and `lang`.
    let mut language = tera::Context::new();
    language.insert_value("UI", ui::ui_value(strings, &lang));
    language.insert_value("lang", globals::lang_value(site));
    let t = TemplateInfoRef {
        info: &info,
        templates,
        theme_label,
        language: &language,
    };
    timer.mark("  tera");

    let values = values(site, &mut owned, &compiled.tera, &t, memo, &lang, strings)
        .map_err(merge_repeated)?;
    timer.mark("  values");
    crate::memory::release_if_large();

    compiled.index(site, &values, templates);
    let globals = match Globals::set(site, &values, &mut compiled, &t, &mut memo.sitemap) {
        Ok(g) => g,
        Err(d) => {
            memo.tera = Some(compiled);
            return Err(d);
        }
    };
    timer.mark("  globals");

    let jobs = jobs::all(site, &compiled.tera);
    let uses = deps::template_uses(&jobs, site, &compiled.tera, &info, &globals);
    timer.mark("  uses");
    let pages = Pages {
        site,
        values: &values,
        tera: &compiled.tera,
        globals: &globals,
        uses: &uses,
        t: &t,
        sink,
        timer: &timer,
    };
    let rendered = pages.render(&jobs, memo);
    timer.mark("  pages");
    timer.print_templates();
    memo.tera = Some(compiled);

    if sink.is_none() && memo.sources.0 != Some(site.shape) {
        // Kept only where pages are kept (the dev server, tests), not by `rally build`, and
        // made again only when pages come or go.
        let map = (jobs.iter())
            .filter_map(|j| Some((j.out(site), j.source(site)?.to_string())))
            .collect();
        memo.sources = (Some(site.shape), Arc::new(map));
    }
    let host = host::files(site, strings, templates, host_files);
    output_map::update(memo, rendered, jobs, host, site)?;
    timer.mark("  output");
    Ok(memo.output.clone())
}
