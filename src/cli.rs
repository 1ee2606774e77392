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
use crate::{load, output, scaffold};

#[derive(Parser, Debug)]
#[command(
    name = "rally",
    version,
    about = "Builds the campaign website from Markdown stories, resolutions and partner listings",
    long_about = "rally turns the Markdown files in content/ (stories, resolutions, partners and \
pages), a theme and site.yaml into a static website in public/, ready for any static host.\n\n\
Quick start:\n  rally build          build the site in the current folder into public/\n  \
rally check          look for problems without writing anything\n  \
rally serve          preview the site at http://127.0.0.1:1111/ while you edit\n  \
rally new story \"Title\"   start a new story\n\n\
Documentation: docs/content.md (writing content), docs/templates.md (themes).",
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
        /// The site folder (with site.yaml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site; relative paths are inside the site folder.
        #[arg(long, short, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Publish address, overriding `base_url` in site.yaml (e.g. for a preview host).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include drafts and stories dated in the future.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the whole site for problems, as a build would, without writing anything.
    Check {
        /// The site folder (with site.yaml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Also check drafts and stories dated in the future.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new content file with every field in place.
    ///
    /// The file name comes from the title ("Geneva launch" becomes geneva-launch.md); an
    /// existing file is never overwritten.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// The title (or the organisation's name, for a partner).
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Build the site, serve it locally and rebuild it as you edit.
    ///
    /// Pages reload in the browser by themselves when their file changes; a CSS change
    /// restyles the page without reloading. When a change breaks the build, the browser shows
    /// the problem over the last good page until it is fixed. Drafts are shown.
    Serve {
        /// The site folder (with site.yaml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default only accepts connections from this computer.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Open the site in the web browser.
        #[arg(long)]
        open: bool,
        /// Show drafts and future stories (the default in serve).
        #[arg(long, overrides_with = "no_drafts")]
        drafts: bool,
        /// Hide drafts and future stories, as a published build would.
        #[arg(long)]
        no_drafts: bool,
    },
    /// Create a new site skeleton in DIR: site.yaml, content folders and one example of each.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
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
        } => build(&root, &output, base_url.as_deref(), drafts, &mut err),
        Command::Check { root, drafts } => check(&root, drafts, &mut err),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts: _,
            no_drafts,
        } => {
            let opts = crate::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts: !no_drafts,
            };
            match crate::serve::run(opts, &mut err) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => fail(&mut err, Diagnostic::error(msg).into()),
            }
        }
        Command::New { kind, title, root } => {
            match scaffold::new_entry(&root, kind.into(), &title, Date::today()) {
                Ok(path) => {
                    println!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&mut err, d.into()),
            }
        }
        Command::Init { dir } => match scaffold::init(&dir, Date::today()) {
            Ok(files) => {
                for f in files {
                    println!("created {}", f.display());
                }
                println!("\nnext: cd {} && rally build", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&mut err, d.into()),
        },
    }
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
fn load_and_build(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> (Option<crate::render::Output>, Diagnostics, usize) {
    let (sources, mut diags) = load::load(root);
    let Some(mut sources) = sources else {
        return (None, diags, 0);
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
                return (None, diags, 0);
            }
        }
    }
    let files = sources.content.len();
    let options = BuildOptions {
        drafts,
        today: Date::today(),
    };
    let (out, more) = crate::build(&sources, &options);
    diags.extend(more);
    diags.sort();
    if diags.has_errors() {
        return (None, diags, files);
    }
    (out, diags, files)
}

fn build(
    root: &Path,
    output: &Path,
    base_url: Option<&str>,
    drafts: bool,
    err: &mut dyn WriteColor,
) -> ExitCode {
    let start = Instant::now();
    let (out, diags, files) = load_and_build(root, base_url, drafts);
    let Some(out) = out else {
        report(err, &diags);
        let _ = writeln!(
            err,
            "error: {}; the previous site was left unchanged",
            diags.summary()
        );
        return ExitCode::from(1);
    };
    report(err, &diags);
    let target = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    if let Err(d) = output::write(&out, &target, root) {
        return fail(err, d.into());
    }
    let pages = out.keys().filter(|k| k.ends_with(".html")).count();
    let warnings = if diags.is_empty() {
        String::new()
    } else {
        format!(", {}", diags.summary())
    };
    let _ = writeln!(
        err,
        "built {pages} pages from {files} content files in {} ms into {}{warnings}",
        start.elapsed().as_millis(),
        target.display()
    );
    ExitCode::SUCCESS
}

fn check(root: &Path, drafts: bool, err: &mut dyn WriteColor) -> ExitCode {
    let (out, diags, files) = load_and_build(root, None, drafts);
    report(err, &diags);
    if out.is_none() {
        let _ = writeln!(err, "error: {}", diags.summary());
        return ExitCode::from(1);
    }
    let _ = writeln!(err, "checked {files} content files: {}", diags.summary());
    ExitCode::SUCCESS
}
