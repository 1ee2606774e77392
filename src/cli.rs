//! The command line: parses arguments with clap and runs one command. Exit codes: 0 success,
//! 1 content or template errors, 2 usage errors.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};

use crate::content::Collection;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::BuildOptions;
use crate::site_root::SiteRoot;
use crate::{load, output, scaffold};

mod check;
use check::check;

#[derive(Parser, Debug)]
#[command(
    name = "rally",
    version,
    about = "Builds the campaign website from Markdown stories, resolutions and partner listings",
    long_about = "rally turns the Markdown files in content/ (stories, resolutions, partners and \
pages), a theme and site.yaml into a static website in public/, ready for any static host.\n\n\
Quick start:\n  rally build          build the site into its public/ folder\n  \
rally check          look for problems without writing anything\n  \
rally serve          preview the site at http://127.0.0.1:1111/ while you edit\n  \
rally new story \"Title\"   start a new story\n\n\
Run rally in the site folder or in any folder inside it (such as content/stories/): it works on \
the nearest folder with site.yaml, unless --root DIR names one.\n\n\
Documentation: docs/content.md (writing content), docs/writing.md (embeds), docs/serve.md (the \
preview), docs/configuration.md (site.yaml), docs/templates.md (themes).",
    after_help = "Exit codes: 0 success, 1 problems in the content or templates, 2 wrong command-line usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour messages.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// The new site is written next to the old one and swapped in only when complete: if the
    /// build fails, the previous site stays as it was.
    Build {
        /// The site folder (with site.yaml and content/). Without it: the current folder, or
        /// the nearest folder above it with site.yaml.
        #[arg(long, short, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Where to write the site; relative paths are inside the site folder (even when
        /// rally runs in one of its folders).
        #[arg(long, short, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Publish address, overriding `base_url` in site.yaml (e.g. for a preview host).
        #[arg(long, short, value_name = "URL")]
        base_url: Option<String>,
        /// Include drafts and stories dated in the future.
        #[arg(long, short = 'D')]
        drafts: bool,
        /// Minify the pages (also `minify: true` in site.yaml): smaller files, the same
        /// page; `<pre>` blocks and structured data are kept as they are.
        #[arg(long)]
        minify: bool,
    },
    /// Check the whole site for problems, as a build would, without writing anything.
    ///
    /// Besides the errors that stop a build, check gives advice as warnings: images without
    /// alt text, links that say "click here", headings that skip a level, summaries too long
    /// for social cards, stories without tags, duplicate titles and heavy images. It exits
    /// with 1 only when there are errors.
    Check {
        /// The site folder (with site.yaml and content/). Without it: the current folder, or
        /// the nearest folder above it with site.yaml.
        #[arg(long, short, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Also check drafts and stories dated in the future.
        #[arg(long, short = 'D')]
        drafts: bool,
        /// Also check that links to other websites still work (needs the internet; a site
        /// that does not answer is reported as a warning, never as an error).
        #[arg(long)]
        external: bool,
        /// How to print the problems: for people, or as JSON for tools.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Create a new content file with every field in place.
    ///
    /// The file name comes from the title ("Geneva launch" becomes geneva-launch.md, id
    /// geneva-launch). rally refuses when an entry already has that id (a file, a bundle
    /// folder or a row of partners.yaml or partners.csv) and shows where it is. A new story
    /// is a draft (`draft: true`): it is left out of the published site until you change
    /// that line to `draft: false`; `rally serve` shows it meanwhile.
    ///
    /// With `--lang es`, it starts the Spanish translation of an existing entry instead,
    /// beside it (about.es.md beside about.md): TITLE is then the entry's file name, such as
    /// geneva-launch. See docs/writing.md, "Translating".
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// The title (or the organisation's name, for a partner); with --lang, the file name
        /// (or title) of the entry to translate.
        title: String,
        /// Start a translation into this language (a code from `languages:` in site.yaml,
        /// e.g. es) of the entry named by TITLE. It starts as a draft, with the original's
        /// words to translate in place.
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// The site folder (with site.yaml and content/). Without it: the current folder, or
        /// the nearest folder above it with site.yaml.
        #[arg(long, short, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Write a Sveltia CMS (Decap-compatible) configuration for the site, made from rally's
    /// content types, so the team can also edit through its Git host.
    ///
    /// Writes static/admin/config.yml (published at /admin/config.yml); with --admin-page,
    /// also the CMS's page (static/admin/index.html) and its script, vendored into rally from
    /// npm (no CDN). Files there that rally did not make are never replaced. What the CMS
    /// cannot express (spreadsheet partner lists, a resolution's `body:`) is listed at the
    /// top of config.yml. See docs/editing.md.
    CmsConfig {
        /// The site folder (with site.yaml and content/). Without it: the current folder, or
        /// the nearest folder above it with site.yaml.
        #[arg(long, short, value_name = "DIR")]
        root: Option<PathBuf>,
        /// The repository on the Git host, as OWNER/NAME.
        #[arg(long, value_name = "OWNER/NAME", default_value = "OWNER/NAME")]
        repo: String,
        /// The Git host: github, gitlab, gitea or bitbucket (the CMS's backend name).
        #[arg(long, default_value = "github")]
        backend: String,
        /// The branch the site is built from.
        #[arg(long, default_value = "main")]
        branch: String,
        /// Also write the CMS's page and script into static/admin/.
        #[arg(long)]
        admin_page: bool,
    },
    /// Build the site, serve it locally and rebuild it as you edit.
    ///
    /// Pages reload in the browser by themselves when their file changes; a CSS change
    /// restyles the page without reloading. When a change breaks the build, the browser shows
    /// the problem over the last good page until it is fixed. Drafts and stories dated in the
    /// future are shown (unlike in `rally build`); `--no-drafts` hides them.
    Serve {
        /// The site folder (with site.yaml and content/). Without it: the current folder, or
        /// the nearest folder above it with site.yaml.
        #[arg(long, short, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default only accepts connections from this computer.
        /// `--bind 0.0.0.0` shares the preview with your network and prints its addresses.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Also answer requests addressed to NAME (a tunnel, or a name your network gives
        /// this computer); may be repeated. Other names get "403 Forbidden".
        #[arg(
            long = "allow-host",
            value_name = "NAME",
            value_parser = crate::serve::access::parse_allowed_host
        )]
        allow_host: Vec<String>,
        /// Open the site in the web browser.
        #[arg(long, short = 'O')]
        open: bool,
        /// Hide drafts and future stories, to see the site exactly as `rally build` publishes
        /// it. Without it, serve shows them.
        #[arg(long)]
        no_drafts: bool,
        // Not listed in --help: serve shows drafts anyway, so `--drafts` (the habit from
        // build and check) is accepted and changes nothing; with `--no-drafts` it is a
        // contradiction, reported in `run` (clap's own message would show a confusing usage).
        #[arg(long, short = 'D', hide = true)]
        drafts: bool,
    },
    /// Create a new site skeleton in DIR: site.yaml, content folders and one example of each.
    Init {
        /// A new or empty folder (with --force, any folder).
        dir: PathBuf,
        /// Also into a folder that already has files: only the missing files are written;
        /// every file already there is kept as it is, never overwritten, and listed.
        #[arg(long, short)]
        force: bool,
    },
    /// Print a script that lets your shell complete rally's commands and options with Tab
    ///
    /// Save it where your shell looks for completions, once; new terminal windows have it:
    ///
    ///   bash:        rally completions bash > ~/.local/share/bash-completion/completions/rally
    ///   zsh:         rally completions zsh > ~/.zfunc/_rally
    ///                (and in ~/.zshrc, before compinit: fpath+=~/.zfunc)
    ///   fish:        rally completions fish > ~/.config/fish/completions/rally.fish
    ///   PowerShell:  rally completions powershell >> $PROFILE
    ///   elvish:      rally completions elvish >> ~/.config/elvish/rc.elv
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum NewKind {
    Story,
    Resolution,
    Partner,
    Page,
}

impl From<NewKind> for Collection {
    fn from(k: NewKind) -> Collection {
        match k {
            NewKind::Story => Collection::Stories,
            NewKind::Resolution => Collection::Resolutions,
            NewKind::Partner => Collection::Partners,
            NewKind::Page => Collection::Pages,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto
            if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() =>
        {
            ColorChoice::Auto
        }
        Color::Auto => ColorChoice::Never,
    };
    let mut err = StandardStream::stderr(choice);
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            minify,
        } => match site_root(root, &mut err) {
            Ok(site) => build(
                &site.dir,
                &output,
                base_url.as_deref(),
                (drafts, minify),
                &mut err,
            ),
            Err(code) => code,
        },
        Command::Check {
            root,
            drafts,
            external,
            format,
        } => match site_root(root, &mut err) {
            Ok(site) => check(&site.dir, drafts, external, format, &mut err),
            Err(code) => code,
        },
        Command::Serve {
            root,
            port,
            bind,
            allow_host,
            open,
            drafts,
            no_drafts,
        } => {
            if drafts && no_drafts {
                return usage_error(
                    "serve",
                    "`--drafts` and `--no-drafts` contradict each other: serve shows drafts \
                     unless you give `--no-drafts`, so give only that one to hide them",
                );
            }
            let root = match site_root(root, &mut err) {
                Ok(site) => site.dir,
                Err(code) => return code,
            };
            let opts = crate::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts: !no_drafts,
                allow_hosts: allow_host,
            };
            match crate::serve::run(opts, &mut err) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => fail(&mut err, Diagnostic::error(msg).into()),
            }
        }
        Command::New {
            kind,
            title,
            lang,
            root,
        } => {
            let site = match site_root(root, &mut err) {
                Ok(site) => site,
                Err(code) => return code,
            };
            if let Some(code) = lang {
                return new_translation(&site, kind.into(), &title, &code, &mut err);
            }
            match scaffold::new_entry(&site.dir, kind.into(), &title, Date::today()) {
                Ok(created) => {
                    println!("created {}", site.show(&created.path).display());
                    if created.draft {
                        println!(
                            "It is a draft: it stays out of the published site until you change \
                             `draft: true` to `draft: false` in it. `rally serve` shows drafts, \
                             so you can preview it there."
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&mut err, d.into()),
            }
        }
        Command::Init { dir, force } => match scaffold::init(&dir, Date::today(), force) {
            Ok(files) => {
                for f in files {
                    match f {
                        scaffold::Written::Created(f) => println!("created {}", f.display()),
                        scaffold::Written::Kept(f) => {
                            println!("kept (already there): {}", f.display())
                        }
                    }
                }
                println!("\nnext: cd {} && rally build", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&mut err, d.into()),
        },
        Command::Completions { shell } => completions(shell, &mut err),
        Command::CmsConfig {
            root,
            repo,
            backend,
            branch,
            admin_page,
        } => {
            let site = match site_root(root, &mut err) {
                Ok(site) => site,
                Err(code) => return code,
            };
            let backend = crate::edit::cms::Backend {
                name: backend,
                repo,
                branch,
            };
            match crate::edit::cms::write(&site.dir, &backend, admin_page) {
                Ok(files) => {
                    for f in files {
                        match f {
                            crate::edit::cms::Wrote::Written(p) => {
                                println!("wrote {}", site.show(&p).display())
                            }
                            crate::edit::cms::Wrote::Unchanged(p) => {
                                println!("unchanged {}", site.show(&p).display())
                            }
                        }
                    }
                    if backend.repo == "OWNER/NAME" {
                        println!(
                            "next: give your repository with --repo OWNER/NAME (or set `backend.repo` in config.yml)"
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&mut err, d.into()),
            }
        }
    }
}

/// `rally new <kind> <name> --lang <code>`: starts the translation and says what to do next.
fn new_translation(
    site: &SiteRoot,
    collection: Collection,
    name: &str,
    code: &str,
    err: &mut dyn WriteColor,
) -> ExitCode {
    match scaffold::new_translation(&site.dir, collection, name, code) {
        Ok(t) => {
            let keys: Vec<String> = t
                .copied
                .iter()
                .map(|k| match k.as_str() {
                    "image" => "image's alt text".to_string(),
                    k => k.replace('_', " "),
                })
                .chain(["text".to_string()])
                .collect();
            let keys = match keys.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            println!(
                "created {}, a translation into {} ({code}) of {}",
                site.show(&t.path).display(),
                t.language,
                site.show(&t.original).display()
            );
            println!(
                "Next: translate its {keys}. It is a draft: it stays out of the published site until \
                 you remove the line `draft: true` from it, once the translation is done. \
                 `rally serve` shows drafts, so you can preview it there."
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(err, d.into()),
    }
}

/// Prints the completion script for `shell`. Generated into memory first: clap_complete
/// panics when it cannot write, and `rally completions bash | head` closes the pipe early.
fn completions(shell: clap_complete::Shell, err: &mut dyn WriteColor) -> ExitCode {
    use clap::CommandFactory;
    use std::io::Write;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rally", &mut script);
    match std::io::stdout().write_all(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(
            err,
            Diagnostic::error(format!("could not print the completion script: {e}")).into(),
        ),
    }
}

/// The site folder: `--root`, or the nearest one from the current folder, named on stderr
/// when it is above the current folder (so that a writer in `content/` sees which site the
/// command changes). Without a site, the problem is reported and the exit code returned.
fn site_root(given: Option<PathBuf>, err: &mut dyn WriteColor) -> Result<SiteRoot, ExitCode> {
    let site = SiteRoot::from_option(given).map_err(|d| fail(err, d.into()))?;
    if let Some(dir) = site.above() {
        let _ = writeln!(err, "using the site in {}", dir.display());
    }
    Ok(site)
}

/// A wrong command line found after parsing, printed the way clap prints its own (with
/// the command's usage) and with the same exit code, 2.
fn usage_error(subcommand: &str, message: &str) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let kind = clap::error::ErrorKind::ArgumentConflict;
    let e = match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(kind, message),
        None => cmd.error(kind, message),
    };
    let _ = e.print();
    ExitCode::from(2)
}

fn report(err: &mut dyn WriteColor, diags: &Diagnostics) {
    for d in diags.iter() {
        d.emit(err);
    }
}

fn fail(err: &mut dyn WriteColor, diags: Diagnostics) -> ExitCode {
    report(err, &diags);
    let _ = writeln!(err, "error: {}", diags.summary());
    ExitCode::from(1)
}

/// Loads and builds; returns the output map or the problems.
/// What `build` and `check` get from one load and build: the sources (for the linter), the
/// output when there is no error, every problem, and how many content files there were.
struct Built {
    sources: Option<load::Sources>,
    out: Option<crate::render::Output>,
    diags: Diagnostics,
    files: usize,
    /// Drafts and scheduled stories the build left out.
    left_out: crate::link::LeftOut,
}

fn load_and_build(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    sink: Option<&dyn crate::render::PageSink>,
) -> Built {
    let (mut sources, mut diags) = load_sources(root, base_url);
    if let Some(s) = sources.as_mut() {
        // `rally check` writes nothing: photos are decoded, not resized.
        let prepared = crate::images::prepare(s, crate::images::Mode::Check);
        diags.extend(prepared.diagnostics);
    }
    build_sources(sources, diags, (drafts, false), sink, true)
}

/// Reads the site, with `--base-url` applied.
fn load_sources(root: &Path, base_url: Option<&str>) -> (Option<load::Sources>, Diagnostics) {
    let timer = crate::profile::Timer::start();
    let (sources, mut diags) = load::load(root);
    timer.mark("load");
    let Some(mut sources) = sources else {
        return (None, diags);
    };
    if let Some(url) = base_url {
        match crate::config::base_path(url) {
            Some(_) => {
                sources.config.base_url = if url.ends_with('/') {
                    url.to_string()
                } else {
                    format!("{url}/")
                };
            }
            None => {
                diags.push(
                    Diagnostic::error(format!("--base-url {url:?} is not a web address"))
                        .help("give a full address such as https://preview.example.org/, or a path such as /"),
                );
                return (None, diags);
            }
        }
    }
    (Some(sources), diags)
}

/// Resizes the site's photos (or finds them in the cache) before the build, so that it sees
/// their copies as files; returns how many were made now and how many were cached.
fn process_photos(sources: &mut load::Sources, diags: &mut Diagnostics) -> (usize, usize) {
    let timer = crate::profile::Timer::start();
    let prepared = crate::images::prepare(sources, crate::images::Mode::Make);
    diags.extend(prepared.diagnostics);
    timer.mark("images");
    (prepared.made, prepared.cached)
}

/// Builds loaded sources (pages go to `sink` when given); `keep_sources` returns them too.
fn build_sources(
    sources: Option<load::Sources>,
    mut diags: Diagnostics,
    (drafts, minify): (bool, bool),
    sink: Option<&dyn crate::render::PageSink>,
    keep_sources: bool,
) -> Built {
    let Some(sources) = sources else {
        return Built {
            sources: None,
            out: None,
            diags,
            files: 0,
            left_out: Default::default(),
        };
    };
    let files = sources.content.len();
    let options = BuildOptions {
        drafts,
        today: Date::today(),
        // `rally check` writes nothing, so it draws no card and makes no index.
        cards: if keep_sources {
            crate::share::CardMode::Off
        } else {
            crate::share::CardMode::Make
        },
        search: if keep_sources {
            crate::search::SearchMode::Off
        } else {
            crate::search::SearchMode::Make
        },
        fingerprint: true,
        minify: minify || sources.config.minify,
    };
    let mut memo = crate::Memo::one_shot();
    let (out, more, sources) = match sink {
        // Only `check` reads the sources afterwards (for the linter): `build` hands them
        // over, so the content's text is freed as soon as it has been rendered.
        Some(sink) if keep_sources => {
            let (out, more) = crate::build_streaming(sources.clone(), &options, &mut memo, sink);
            (out, more, Some(sources))
        }
        Some(sink) => {
            let (out, more) = crate::build_streaming(sources, &options, &mut memo, sink);
            (out, more, None)
        }
        None => {
            let (out, more) = crate::build_with(&sources, &options, &mut memo);
            (out, more, Some(sources))
        }
    };
    // The process ends soon after: freeing the memo's many small allocations one by one
    // would take a tenth of a second at 10,000 stories, for nothing.
    let left_out = memo.link.left_out();
    std::mem::forget(memo);
    diags.extend(more);
    diags.sort();
    let out = if diags.has_errors() { None } else { out };
    Built {
        sources,
        out,
        diags,
        files,
        left_out,
    }
}

fn build(
    root: &Path,
    output: &Path,
    base_url: Option<&str>,
    (drafts, minify): (bool, bool),
    err: &mut dyn WriteColor,
) -> ExitCode {
    let start = Instant::now();
    let (mut sources, mut diags) = load_sources(root, base_url);
    let target = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    // Pages are written into a staging folder while they are rendered, so the whole site is
    // never held in memory; the staging folder replaces the output folder only at the end.
    let staging = match sources {
        Some(_) => match output::Staging::begin(&target, root) {
            Ok(s) => Some(s),
            Err(d) => return fail(err, d.into()),
        },
        None => None,
    };
    // After the output folder is known to be a safe place: a refused command changes nothing.
    let (made, cached) = match sources.as_mut() {
        Some(s) => process_photos(s, &mut diags),
        None => (0, 0),
    };
    let Built {
        out,
        diags,
        files,
        sources,
        left_out,
    } = build_sources(
        sources,
        diags,
        (drafts, minify),
        staging.as_ref().map(|s| s as &dyn crate::render::PageSink),
        false,
    );
    // As for the memo: the process ends right after, so the sources are not freed piecemeal.
    std::mem::forget(sources);
    let (Some(out), Some(staging)) = (out, staging) else {
        report(err, &diags);
        let _ = writeln!(
            err,
            "error: {}; the previous site was left unchanged",
            diags.summary()
        );
        return ExitCode::from(1);
    };
    report(err, &diags);
    let timer = crate::profile::Timer::start();
    if let Err(d) = staging.finish(&out) {
        return fail(err, d.into());
    }
    timer.mark("write");
    crate::profile::print_peak_memory();
    let pages = out.keys().filter(|k| k.ends_with(".html")).count();
    std::mem::forget(out);
    // One line: what was built, and what was not (drafts, scheduled stories, warnings).
    let mut account = String::new();
    if made + cached > 0 {
        account.push_str(&format!(
            "; {} photo{} ({made} resized now, {cached} from .rally-cache/)",
            made + cached,
            if made + cached == 1 { "" } else { "s" }
        ));
    }
    if let Some(left_out) = left_out.sentence() {
        account.push_str("; ");
        account.push_str(&left_out);
    }
    match diags.warning_count() {
        0 => {}
        n => account.push_str(&format!(
            "; {n} warning{} above: `rally check` lists {} with more advice",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        )),
    }
    let _ = writeln!(
        err,
        "built {pages} pages from {files} content files in {} ms into {}{account}",
        start.elapsed().as_millis(),
        target.display()
    );
    ExitCode::SUCCESS
}
