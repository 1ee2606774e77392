//! `rally serve`: build, serve from memory, watch the sources, rebuild incrementally and tell
//! the browser what changed.
//!
//! Parts: [`engine`] (sources + memo → output, the same pipeline as `build`), [`http`]
//! (axum, serving the in-memory output with live reload), [`access`] (which Host and Origin
//! are answered: this machine only), [`conn`] (the accept loop: header timeout, connection
//! limit) and the watcher here (notify, with the debouncer that follows editors'
//! rename-and-replace saves).

pub mod access;
pub mod conn;
pub mod editor;
pub mod engine;
pub mod http;
pub mod preview;

pub use conn::{HEADER_TIMEOUT, MAX_CONNECTIONS};

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::broadcast;

use crate::date::Date;
use crate::diagnostics::Diagnostics;
use crate::link::BuildOptions;
use engine::Engine;
use http::{Shared, Snapshot};

/// How `rally serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// More host names to answer (`--allow-host`), besides this machine's.
    pub allow_hosts: Vec<String>,
}

/// Quiet time before a burst of file events is handled: long enough to see an editor's
/// write-to-temp-and-rename as one change, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(8);

/// Runs the dev server until the process is stopped. Errors starting it are returned as text.
/// One function because it is the server's life in order: listen, build, watch, then the
/// rebuild loop on its thread and the HTTP loop on this one, sharing what it set up.
pub fn run(
    opts: ServeOptions,
    err: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<(), String> {
    let mut allow = Vec::new();
    for name in &opts.allow_hosts {
        match access::normalize_name(name) {
            Some(n) => allow.push(n),
            None => {
                return Err(format!(
                    "--allow-host {name}: not a host name (give a name such as \
                     preview.example.org, without http:// or a port)"
                ));
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((opts.bind.as_str(), opts.port)))
        .map_err(|e| {
            format!(
                "cannot listen on {}:{}: {e} (is another server using that port? try --port 0 for a free one)",
                opts.bind, opts.port
            )
        })?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    // Bound to every address, the first one to show is this machine's own loopback address;
    // the network addresses follow.
    let here = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let url = format!("http://{}/", SocketAddr::new(here, addr.port()));
    let root = opts.root.canonicalize().unwrap_or(opts.root.clone());

    let options = BuildOptions {
        drafts: opts.drafts,
        today: Date::today(),
        // Cards in the cache are shown; the others are drawn in the background.
        cards: crate::share::CardMode::CachedOnly,
        // Likewise search indexes: the last one stands in while the new one is made.
        search: crate::search::SearchMode::CachedOnly,
        // Stylesheets keep their names, so that a saved one is swapped in place.
        fingerprint: false,
        minify: false,
    };
    let mut engine = Engine::new(&root, options.clone(), url.clone());
    let mut shown = ShownWarnings::default();
    report_start(&engine, err, &mut shown);

    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Snapshot {
            output: engine.output(),
            problems: problems_text(engine.problems()),
            sources: engine.sources(),
        }),
        events,
        access: access::Access::new(addr, allow),
        real_root: root.clone(),
        editor_token: editor::new_token(),
        preview: Arc::new(preview::Preview::new(
            root.clone(),
            // A draft's preview shows one page: it needs no search index.
            BuildOptions {
                search: crate::search::SearchMode::Off,
                ..options.clone()
            },
            url.clone(),
        )),
    });

    let (tx, rx) = mpsc::channel::<Wake>();
    let files = tx.clone();
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        Some(Duration::from_millis(2)),
        move |r: DebounceEventResult| {
            let _ = files.send(Wake::Files(r));
        },
    )
    .map_err(|e| format!("cannot watch the site's files: {e}"))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in ["content", "themes", "templates", "static", "strings"] {
        let d = root.join(dir);
        if d.is_dir() {
            let _ = debouncer.watch(&d, RecursiveMode::Recursive);
        }
    }

    // One write, so that a reader of the first line never makes a later line fail.
    let mut text = format!(
        "serving {url} (drafts {}); press Ctrl+C to stop\nediting: {}{}\n",
        if opts.drafts { "shown" } else { "hidden" },
        url.trim_end_matches('/'),
        editor::PREFIX,
    );
    if addr.ip().is_unspecified() {
        text.push_str(&network_lines(addr, err));
    }
    {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
    if opts.open {
        let _ = open::that_detached(&url);
    }

    let state = shared.clone();
    let watch_root = root.clone();
    std::thread::spawn(move || {
        use std::io::IsTerminal;
        let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            codespan_reporting::term::termcolor::ColorChoice::Auto
        } else {
            codespan_reporting::term::termcolor::ColorChoice::Never
        };
        let mut out = codespan_reporting::term::termcolor::StandardStream::stderr(color);
        let mut background = Background::default();
        background.start(&mut engine, &watch_root, &tx);
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            batch.extend(rx.try_iter());
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut new_dirs = Vec::new();
            let mut background_done = false;
            for wake in batch {
                let result = match wake {
                    Wake::Files(r) => r,
                    Wake::BackgroundDone => {
                        background_done = true;
                        background.busy = false;
                        continue;
                    }
                };
                match result {
                    Ok(events) => {
                        for e in events {
                            // Reading files (as a rebuild does) reports access events.
                            if matches!(e.kind, notify::EventKind::Access(_)) {
                                continue;
                            }
                            for p in &e.paths {
                                let rel = relative(&watch_root, p);
                                if engine::is_watched(&rel) {
                                    paths.push(p.clone());
                                } else if ["content", "themes", "templates", "static", "strings"]
                                    .contains(&rel.as_str())
                                {
                                    new_dirs.push(p.clone());
                                    paths.push(p.clone());
                                }
                            }
                        }
                    }
                    Err(errors) => {
                        for e in errors {
                            let _ = writeln!(out, "warning: file watching: {e}");
                        }
                    }
                }
            }
            for d in new_dirs {
                let _ = debouncer.watch(&d, RecursiveMode::Recursive);
            }
            paths.sort();
            paths.dedup();
            // Edited files first, then (separately, so a stylesheet edit stays a stylesheet
            // swap) whatever the background made: read again, its files are then found.
            let rounds = [
                (!paths.is_empty()).then_some(paths.as_slice()),
                background_done.then_some(&[][..]),
            ];
            for round in rounds.into_iter().flatten() {
                let change = engine.rebuild(round);
                background.start(&mut engine, &watch_root, &tx);
                state.preview.changed(round);
                if let Ok(mut s) = state.snapshot.write() {
                    s.output = engine.output();
                    s.problems = problems_text(engine.problems());
                    s.sources = engine.sources();
                }
                if !change.paths.is_empty() || change.error_changed {
                    let _ = state.events.send(http::reload_message(
                        &change.paths,
                        change.css_only(),
                        change.error_changed,
                    ));
                }
                if round.is_empty() {
                    let _ = writeln!(
                        out,
                        "photos, share cards and search index made: the preview now has them"
                    );
                } else {
                    report_change(&watch_root, round, &change, &engine, &mut out);
                }
                if engine.problems().is_none() {
                    shown.emit_new(engine.warnings(), &mut out);
                }
            }
        }
    });

    let limits = conn::Limits::from_env();
    runtime.block_on(conn::serve(listener, http::router(shared), limits));
    Ok(())
}

/// What wakes the rebuild loop: changed files, or photos whose copies are made.
enum Wake {
    Files(DebounceEventResult),
    BackgroundDone,
}

/// Photos being resized, share cards drawn and search indexes made off the rebuild loop: one batch at a time, so
/// a reload never waits for them; when a batch is done, the loop rebuilds and the preview
/// shows them.
#[derive(Default)]
struct Background {
    busy: bool,
}

impl Background {
    fn start(&mut self, engine: &mut Engine, root: &Path, tx: &mpsc::Sender<Wake>) {
        if self.busy {
            return;
        }
        let photos = engine.take_missing_photos();
        let (fonts, cards) = engine.take_missing_cards();
        let search = engine.take_missing_search();
        let Some(config) = engine.image_config() else {
            return;
        };
        if photos.is_empty() && cards.is_empty() && search.is_empty() {
            return;
        }
        self.busy = true;
        let (root, tx) = (root.to_path_buf(), tx.clone());
        std::thread::spawn(move || {
            // Photos first: their copies change pages; cards only the pages' previews.
            crate::images::process_missing(&root, &config, &photos);
            crate::share::draw_missing(&fonts, &cards);
            crate::search::make_missing(&search);
            let _ = tx.send(Wake::BackgroundDone);
        });
    }
}

/// The addresses colleagues can open, for a server bound to every address: one line each,
/// then this machine's name. A warning goes to `err`: the preview, drafts included, is open
/// to the network.
fn network_lines(
    addr: SocketAddr,
    err: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> String {
    let mut text = String::new();
    let addrs = access::network_addresses(addr.ip());
    for ip in &addrs {
        text.push_str(&format!(
            "also on your network: http://{}/\n",
            SocketAddr::new(*ip, addr.port())
        ));
    }
    if let Some(name) = access::host_name() {
        text.push_str(&format!(
            "or by this computer's name, if your network knows it: http://{name}:{}/\n",
            addr.port()
        ));
    }
    if addrs.is_empty() {
        let _ = writeln!(
            err,
            "warning: this computer has no network address right now: only it can open the preview"
        );
    } else {
        let _ = writeln!(
            err,
            "note: anyone on your network can open the preview, drafts included; \
             stop it with Ctrl+C when you are done"
        );
    }
    text
}

fn problems_text(p: Option<&Diagnostics>) -> Option<Arc<str>> {
    p.map(|d| Arc::from(d.render_plain()))
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The warnings already printed: after a change, only new ones are, as they appear.
#[derive(Default)]
struct ShownWarnings(std::collections::HashSet<(Option<String>, usize, String)>);

impl ShownWarnings {
    fn emit_new(
        &mut self,
        warnings: &Diagnostics,
        out: &mut dyn codespan_reporting::term::termcolor::WriteColor,
    ) {
        let now: std::collections::HashSet<_> = warnings
            .iter()
            .map(|d| (d.file.clone(), d.span.start, d.message.clone()))
            .collect();
        for d in warnings.iter() {
            if !self
                .0
                .contains(&(d.file.clone(), d.span.start, d.message.clone()))
            {
                d.emit(out);
            }
        }
        // Forgotten once fixed, so the same mistake made again is shown again.
        self.0 = now;
    }
}

fn report_start(
    engine: &Engine,
    err: &mut dyn codespan_reporting::term::termcolor::WriteColor,
    shown: &mut ShownWarnings,
) {
    match engine.problems() {
        Some(p) => {
            for d in p.iter() {
                d.emit(err);
            }
            let _ = writeln!(
                err,
                "error: {}; the browser shows these problems until they are fixed",
                p.summary()
            );
        }
        None => {
            shown.emit_new(engine.warnings(), err);
            let pages = engine
                .output()
                .keys()
                .filter(|k| k.ends_with(".html"))
                .count();
            let _ = writeln!(err, "built {pages} pages");
        }
    }
}

fn report_change(
    root: &Path,
    paths: &[PathBuf],
    change: &engine::Change,
    engine: &Engine,
    out: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) {
    let what = match paths {
        [one] => relative(root, one),
        many => format!("{} files", many.len()),
    };
    match engine.problems() {
        Some(p) if change.error_changed => {
            for d in p.iter() {
                d.emit(out);
            }
            let _ = writeln!(
                out,
                "error: {} (after a change to {what}); still serving the last good site",
                p.summary()
            );
        }
        Some(_) => {}
        None if change.error_changed => {
            let _ = writeln!(
                out,
                "fixed: the site builds again ({} files updated in {:.1} ms)",
                change.paths.len(),
                change.millis
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{what} changed: {} files updated in {:.1} ms",
                change.paths.len(),
                change.millis
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn printed(shown: &mut ShownWarnings, warnings: &[&str]) -> String {
        let mut list = Diagnostics::new();
        for w in warnings {
            list.push(Diagnostic::warning(*w).in_file("content/a.md"));
        }
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        shown.emit_new(&list, &mut out);
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    #[test]
    fn warnings_are_printed_once_as_they_appear() {
        let mut shown = ShownWarnings::default();
        assert!(printed(&mut shown, &["one"]).contains("warning: one"));
        // Unchanged: nothing new to say.
        assert_eq!(printed(&mut shown, &["one"]), "");
        // A second appears: only it is printed.
        let text = printed(&mut shown, &["one", "two"]);
        assert!(
            text.contains("warning: two") && !text.contains("warning: one"),
            "{text}"
        );
        // Fixed, then made again: printed again.
        assert_eq!(printed(&mut shown, &["two"]), "");
        assert!(printed(&mut shown, &["one", "two"]).contains("warning: one"));
    }
}
