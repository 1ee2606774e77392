//! The editor's check and preview of an unsaved draft: a second [`Engine`] of its own,
//! started on the first check, rebuilds the site with the draft in place of its file,
//! through the same pipeline as `rally build` and with its own memo, so a keystroke costs an
//! incremental rebuild. The served site (the other engine) never sees a draft.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::engine::Engine;
use crate::diagnostics::Severity;
use crate::edit::{Place, place_of};
use crate::link::BuildOptions;

/// One problem of the draft, placed for the form.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub place: Place,
    pub error: bool,
    pub message: String,
    pub help: Option<String>,
}

/// What a check finds.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Problems in the draft's own file.
    pub problems: Vec<Problem>,
    /// Errors elsewhere that the draft causes or that the site already has, as text.
    pub elsewhere: Vec<String>,
    /// The draft's page, rendered with the real templates; None while the draft has errors
    /// (the editor keeps showing the last good preview).
    pub html: Option<String>,
    /// The page's address, for the preview's relative links and pictures.
    pub page: Option<String>,
    pub millis: f64,
}

struct State {
    engine: Option<Engine>,
    /// Paths changed on disk since the last check.
    dirty: Vec<PathBuf>,
    /// The file whose draft is in the engine's sources (read from disk again next time).
    last_draft: Option<PathBuf>,
}

pub struct Preview {
    root: PathBuf,
    options: BuildOptions,
    base_url: String,
    state: Mutex<State>,
}

impl Preview {
    pub fn new(root: PathBuf, options: BuildOptions, base_url: String) -> Preview {
        Preview {
            root,
            options,
            base_url,
            state: Mutex::new(State {
                engine: None,
                dirty: Vec::new(),
                last_draft: None,
            }),
        }
    }

    fn start(&self) -> Engine {
        Engine::with_choices(
            &self.root,
            self.options.clone(),
            self.base_url.clone(),
            true,
        )
    }

    /// The engine (started on first use) and the paths it must read again: those changed on
    /// disk, and the file of the last draft.
    fn pending<'a>(&self, s: &'a mut State) -> (&'a mut Engine, Vec<PathBuf>) {
        let State {
            engine,
            dirty,
            last_draft,
        } = s;
        let engine = engine.get_or_insert_with(|| self.start());
        let mut changed = std::mem::take(dirty);
        changed.extend(last_draft.take());
        (engine, changed)
    }

    /// What the editor's pickers offer, the files changed on disk (and the last draft's
    /// file) read first. Starts the engine on first use.
    pub fn choices(&self) -> Arc<crate::edit::schema::Choices> {
        let Ok(mut s) = self.state.lock() else {
            return Default::default();
        };
        let (engine, changed) = self.pending(&mut s);
        if !changed.is_empty() {
            engine.rebuild(&changed);
        }
        engine.choices()
    }

    /// Notes files changed on disk (from the watcher), for the next check.
    pub fn changed(&self, paths: &[PathBuf]) {
        if let Ok(mut s) = self.state.lock()
            && s.engine.is_some()
        {
            s.dirty.extend(paths.iter().cloned());
        }
    }

    /// Builds the site with `text` as the content file `rel` and reports on it.
    pub fn check(&self, rel: &str, text: &str) -> Option<Checked> {
        let mut s = self.state.lock().ok()?;
        // Engine paths are absolute; the draft's file is read from disk again next time.
        let abs = rel
            .split('/')
            .fold(self.root.clone(), |p, part| p.join(part));
        let mut changed = {
            let (_, changed) = self.pending(&mut s);
            changed
        };
        s.last_draft = Some(abs.clone());
        let engine = s.engine.as_mut()?;
        if changed.is_empty() {
            // Nothing to read: the draft alone is the change (an empty list reloads all).
            changed.push(abs);
        }
        let change = engine.rebuild_draft(&changed, rel, Arc::from(text));
        let mut problems = Vec::new();
        let mut elsewhere = Vec::new();
        for d in engine.diagnostics().iter() {
            let file = d.file.as_deref().unwrap_or("");
            let own = file == rel || file.strip_prefix(rel).is_some_and(|r| r.starts_with(':'));
            if own {
                problems.push(Problem {
                    place: place_of(rel, text, d.span.start),
                    error: d.severity == Severity::Error,
                    message: d.message.clone(),
                    help: d.help.clone(),
                });
            } else if d.severity == Severity::Error && !d.follows {
                // Consequences (`follows`) of the draft's own problems are left out: the
                // cause is shown at its field.
                let mut one = crate::diagnostics::Diagnostics::new();
                one.push(d.clone());
                elsewhere.push(one.render_plain());
            }
        }
        let failed = engine.problems().is_some();
        let (html, page) = match (failed, engine.page_of(rel)) {
            (false, Some((key, bytes))) => {
                let page = format!("/{}", key.trim_end_matches("index.html"));
                (
                    Some(String::from_utf8_lossy(&bytes).into_owned()),
                    Some(page),
                )
            }
            _ => (None, None),
        };
        Some(Checked {
            problems,
            elsewhere,
            html,
            page,
            millis: change.millis,
        })
    }
}
