//! rally turns a folder of Markdown (`content/`), a theme and `site.yaml` into a static website.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. [`load`]: read the site folder into memory ([`load::Sources`]); with [`images`], the
//!    only stages that read the disk. [`images`] then swaps each photo for its resized copies
//!    (cached in `.rally-cache/`), so later stages see them as ordinary files.
//! 2. [`content`]: parse each file's front matter ([`frontmatter`]) into typed entries of the
//!    four collections (stories, resolutions, partners, pages), in parallel.
//! 3. [`link`]: give entries their URLs, render Markdown ([`markdown`]) with content links
//!    resolved, check every reference, compute tags and backlinks: a [`link::Site`].
//!    [`share`] then draws each page's share card ([`cards`]), cached like photos, and
//!    [`search`] indexes each language's entries for the browser (cached too).
//! 4. [`render`]: run the Tera templates over the site, in parallel, into an
//!    [`render::Output`] map (path → bytes), or straight into a [`render::PageSink`].
//! 5. [`output`]: write the map to disk, replacing the previous site in one step;
//!    `rally build` renders into its [`output::Staging`] folder ([`build_streaming`]).
//!
//! Stages 2–4 are pure ([`build`]): the CLI, tests and the dev server ([`serve`]) all call
//! them; [`build_with`] reuses a [`Memo`] of earlier builds so that rebuilds after an edit
//! redo only the work that depends on it.
//! Problems are values ([`diagnostics::Diagnostic`]) collected across the whole build.
//! Around the pipeline: the CLI ([`cli`]), `rally new` ([`scaffold`]), `rally check`
//! ([`lint`]), the dev server ([`serve`]) and its browser editor ([`edit`]: what a save
//! writes, forms from the content types).

// Diagnostics are rich values on the cold path; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod cards;
pub mod chars;
pub mod cli;
pub mod collection;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod edit;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod link;
pub mod lint;
pub mod load;
pub mod markdown;
mod memory;
pub mod output;
mod profile;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod share;
pub mod site_root;
pub mod source;
pub mod strings;

use diagnostics::Diagnostics;
use link::BuildOptions;
use load::Sources;
use render::Output;

/// What earlier builds computed, reused by later ones when their inputs are unchanged. A
/// fresh `Memo` gives a full build; `rally serve` keeps one across rebuilds, so an edit costs
/// only the work that depends on it, through the very same code.
#[derive(Default)]
pub struct Memo {
    pub parse: content::ParseMemo,
    /// The default language's link and render memos.
    pub link: link::LinkMemo,
    pub render: render::RenderMemo,
    /// The other languages', in the order of `languages:` in site.yaml.
    pub translated: Vec<(link::LinkMemo, render::RenderMemo)>,
    /// What the editor's pickers offer (topics, resolutions, partners) as of the last build
    /// that linked; made only when `keep_choices` is set (by the editor's own engine), so
    /// that other rebuilds do not pay for it.
    pub choices: std::sync::Arc<edit::schema::Choices>,
    pub keep_choices: bool,
    /// The share cards `rally serve` left to be drawn in the background.
    pub cards: share::CardMemo,
    /// The search indexes it left to be made in the background, and the last ones.
    pub search: search::SearchMemo,
}

/// Stages 2–4: sources in, output map out. Returns the problems found, errors and warnings;
/// the output exists only when there is no error.
pub fn build(sources: &Sources, options: &BuildOptions) -> (Option<Output>, Diagnostics) {
    build_with(sources, options, &mut Memo::one_shot())
}

impl Memo {
    /// For a build that no other build follows (`rally build`): nothing is kept for later,
    /// which lets render move each body's HTML into its page instead of copying it.
    pub fn one_shot() -> Memo {
        Memo {
            parse: content::ParseMemo::one_shot(),
            link: link::LinkMemo::one_shot(),
            render: render::RenderMemo::default(),
            translated: Vec::new(),
            choices: Default::default(),
            keep_choices: false,
            cards: Default::default(),
            search: Default::default(),
        }
    }
}

/// [`build`], reusing and updating `memo`.
pub fn build_with(
    sources: &Sources,
    options: &BuildOptions,
    memo: &mut Memo,
) -> (Option<Output>, Diagnostics) {
    run(sources, options, memo, None)
}

/// [`build`], handing each page to `sink` as soon as it is rendered instead of keeping it:
/// the output map lists those pages as [`render::OutputFile::Written`]. Pages may reach the
/// sink before a later page fails, so the sink must be a staging area. Takes the sources so
/// that, with a one-shot memo, the content's text is freed once it is no longer needed.
pub fn build_streaming(
    mut sources: Sources,
    options: &BuildOptions,
    memo: &mut Memo,
    sink: &dyn render::PageSink,
) -> (Option<Output>, Diagnostics) {
    let timer = profile::Timer::start();
    let files = std::mem::take(&mut sources.content);
    memo.parse.set_languages(sources.config.language_codes());
    memory::note_largest(files.iter().map(|f| f.text.len()).max().unwrap_or(0));
    memory::release_if_large();
    let (content, diags) = content::parse_all(&files, &mut memo.parse);
    drop(files);
    timer.mark("parse");
    finish(&sources, content, diags, options, memo, Some(sink))
}

fn run(
    sources: &Sources,
    options: &BuildOptions,
    memo: &mut Memo,
    sink: Option<&dyn render::PageSink>,
) -> (Option<Output>, Diagnostics) {
    let timer = profile::Timer::start();
    memo.parse.set_languages(sources.config.language_codes());
    let (content, diags) = content::parse_all(&sources.content, &mut memo.parse);
    timer.mark("parse");
    finish(sources, content, diags, options, memo, sink)
}

/// Stages 3 and 4 after parsing (`sources.content` is not read): the site is linked in
/// each of its languages (see [`link::languages`]), then each language is rendered.
fn finish(
    sources: &Sources,
    content: content::Content,
    mut diags: Diagnostics,
    options: &BuildOptions,
    memo: &mut Memo,
    sink: Option<&dyn render::PageSink>,
) -> (Option<Output>, Diagnostics) {
    let timer = profile::Timer::start();
    // Parsed on every build: a few small files, and their errors belong in every report.
    let (strings, strings_diags) =
        strings::Strings::parse(&sources.strings, &sources.config.language_codes());
    diags.extend(strings_diags);
    let strings = std::sync::Arc::new(strings);
    let languages = sources.config.languages().len();
    let one_shot = memo.link.is_one_shot();
    memo.translated.resize_with(languages - 1, || {
        let link = if one_shot {
            link::LinkMemo::one_shot()
        } else {
            link::LinkMemo::default()
        };
        (link, render::RenderMemo::default())
    });
    let (link_memos, render_memos): (Vec<&mut link::LinkMemo>, Vec<&mut render::RenderMemo>) =
        std::iter::once((&mut memo.link, &mut memo.render))
            .chain(memo.translated.iter_mut().map(|(l, r)| (l, r)))
            .unzip();
    let fail = |mut diags: Diagnostics| {
        diags.extend(render::check_templates(
            &sources.templates,
            &sources.theme_label,
        ));
        diags.sort();
        (None, diags)
    };
    let sites = match link::link_all(sources, content, options, link_memos) {
        Ok((sites, warnings)) => {
            diags.extend(warnings);
            sites
        }
        Err(more) => {
            diags.extend(more);
            return fail(diags);
        }
    };
    if diags.has_errors() {
        return fail(diags);
    }
    timer.mark("link");
    if memo.keep_choices
        && let Some(site) = sites.first()
    {
        memo.choices = std::sync::Arc::new(edit::schema::Choices::of(site));
    }
    memo.cards.missing.clear();
    let mut sites = sites;
    diags.extend(search::attach(
        &mut sites,
        sources,
        &strings,
        options.search,
        &mut memo.search,
    ));
    timer.mark("search");
    let mut output: Option<Output> = None;
    for (mut site, render_memo) in sites.into_iter().zip(render_memos) {
        share::attach(&mut site, sources, &strings, options.cards, &mut memo.cards);
        timer.mark("cards");
        if one_shot {
            site.release_texts();
            memory::release_if_large();
        }
        timer.mark("release");
        let _render_timer = timer.on_drop("render");
        let r = render::render(
            &mut site,
            (&sources.templates, &sources.host_files),
            &strings,
            &sources.theme_label,
            render_memo,
            sink,
        );
        if one_shot {
            // Freeing the site's many small allocations takes a fiftieth of a second at 10,000
            // stories; a one-shot build's caller has no use for that time on its critical path.
            rayon::spawn(move || drop(site));
        }
        match r {
            Ok(out) => match &mut output {
                None => output = Some(out),
                Some(all) => all.extend(out),
            },
            Err(more) => {
                diags.extend(more);
                diags.sort();
                return (None, diags);
            }
        }
    }
    diags.sort();
    (output, diags)
}
