//! The rebuild engine of `rally serve`: the site's sources and memo in memory, updated from
//! changed paths, rebuilt incrementally through the same pipeline as `rally build`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostics::Diagnostics;
use crate::link::BuildOptions;
use crate::load::{self, Sources};
use crate::render::{Output, OutputFile};
use crate::{Memo, build_with};

/// What one rebuild changed.
#[derive(Debug, Default, Clone)]
pub struct Change {
    /// Output paths whose bytes changed, appeared or disappeared.
    pub paths: Vec<String>,
    /// The build's problems appeared, changed or went away.
    pub error_changed: bool,
    /// Milliseconds from the start of the rebuild to the new output.
    pub millis: f64,
}

impl Change {
    /// Stylesheets changed, and besides them only share cards (drawn in the background,
    /// shown by no page): the browser can swap the stylesheets without reloading.
    pub fn css_only(&self) -> bool {
        !self.error_changed
            && self.paths.iter().any(|p| p.ends_with(".css"))
            && self
                .paths
                .iter()
                .all(|p| p.ends_with(".css") || p.ends_with(crate::routes::SHARE_CARD))
    }
}

pub struct Engine {
    root: PathBuf,
    /// `root` with symbolic links resolved: the one folder files are read from.
    real_root: PathBuf,
    options: BuildOptions,
    /// Replaces `base_url` so that permalinks point at the dev server.
    base_url: String,
    sources: Option<Sources>,
    memo: Memo,
    output: Arc<Output>,
    problems: Option<Diagnostics>,
    warnings: Diagnostics,
    /// Photos published as they are because their copies are not made yet (see
    /// [`Engine::take_missing_photos`]).
    missing_photos: Vec<PathBuf>,
}

impl Engine {
    /// Loads and builds the site once.
    pub fn new(root: &Path, options: BuildOptions, base_url: String) -> Engine {
        Engine::with_choices(root, options, base_url, false)
    }

    /// [`Engine::new`], keeping what the editor's pickers offer after each build when
    /// `choices` is set (the editor's preview engine).
    pub fn with_choices(
        root: &Path,
        options: BuildOptions,
        base_url: String,
        choices: bool,
    ) -> Engine {
        let mut e = Engine {
            root: root.to_path_buf(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            options,
            base_url,
            sources: None,
            memo: Memo {
                keep_choices: choices,
                ..Memo::default()
            },
            output: Arc::new(Output::new()),
            problems: None,
            warnings: Diagnostics::new(),
            missing_photos: Vec::new(),
        };
        e.rebuild(&[]);
        e
    }

    /// The last output that built without errors.
    pub fn output(&self) -> Arc<Output> {
        self.output.clone()
    }

    /// Which content file each page shows, per language, as of the last good build: for
    /// the editor's "Edit this page".
    pub fn sources(&self) -> Vec<Arc<crate::render::Sources>> {
        std::iter::once(self.memo.render.sources())
            .chain(self.memo.translated.iter().map(|(_, r)| r.sources()))
            .collect()
    }

    /// What the editor's pickers offer, as of the last build that linked.
    pub fn choices(&self) -> Arc<crate::edit::schema::Choices> {
        self.memo.choices.clone()
    }

    /// The current problems, if the last rebuild failed.
    pub fn problems(&self) -> Option<&Diagnostics> {
        self.problems.as_ref()
    }

    /// Warnings of the last successful build.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Applies changed paths (all reloaded when empty) and rebuilds.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Change {
        let start = Instant::now();
        let diags = self.prepare(changed);
        self.build_now(diags, start)
    }

    /// Rebuilds with `text` in place of the content file `rel` (an unsaved draft of the
    /// editor), after reading the `changed` paths. The draft stays in the sources until `rel`
    /// is read again (name it in `changed`).
    pub fn rebuild_draft(&mut self, changed: &[PathBuf], rel: &str, text: Arc<str>) -> Change {
        let start = Instant::now();
        let diags = self.prepare(changed);
        if let Some(s) = self.sources.as_mut()
            && s.content_text(rel).is_none_or(|old| **old != *text)
        {
            s.put_content(rel, text);
        }
        self.build_now(diags, start)
    }

    /// The photos whose copies the last full reload did not find in the cache: they are
    /// served as they are until someone makes the copies ([`crate::images::process_missing`])
    /// and calls [`Engine::rebuild`] with no paths. A reload never waits for photos.
    pub fn take_missing_photos(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.missing_photos)
    }

    /// The share cards the last rebuild did not find in the cache, with the fonts to draw
    /// them: drawn off the rebuild loop ([`crate::share::draw_missing`]), after which a
    /// rebuild with no path publishes them (pages already name them).
    pub fn take_missing_cards(&mut self) -> (Vec<std::sync::Arc<[u8]>>, crate::share::Missing) {
        let fonts = self
            .sources
            .as_ref()
            .map(|s| s.card_fonts.clone())
            .unwrap_or_default();
        (fonts, std::mem::take(&mut self.memo.cards.missing))
    }

    /// The search indexes the last rebuild did not find in the cache: made off the rebuild
    /// loop ([`crate::search::make_missing`]), after which a rebuild with no path publishes
    /// them.
    pub fn take_missing_search(&mut self) -> Vec<crate::search::Pending> {
        std::mem::take(&mut self.memo.search.missing)
    }

    /// `images:` of the site's configuration, once it has loaded.
    pub fn image_config(&self) -> Option<crate::config::ImageConfig> {
        self.sources.as_ref().map(|s| s.config.images.clone())
    }

    /// Every problem of the last rebuild: its errors if it failed, else its warnings.
    pub fn diagnostics(&self) -> &Diagnostics {
        self.problems.as_ref().unwrap_or(&self.warnings)
    }

    /// The page made from the content file `rel` (`content/stories/x.md`) in the last good
    /// output: its output path and bytes.
    pub fn page_of(&self, rel: &str) -> Option<(String, Arc<[u8]>)> {
        let key = self.sources().iter().find_map(|m| {
            m.iter()
                .find(|(_, src)| *src == rel)
                .map(|(k, _)| k.clone())
        })?;
        match self.output.get(key.as_str())? {
            OutputFile::Bytes(b) => Some((key, b.clone())),
            _ => None,
        }
    }

    fn prepare(&mut self, changed: &[PathBuf]) -> Diagnostics {
        if changed.is_empty() || !self.apply(changed) {
            self.reload()
        } else {
            Diagnostics::new()
        }
    }

    fn build_now(&mut self, mut diags: Diagnostics, start: Instant) -> Change {
        let result = match &self.sources {
            Some(s) => {
                let (out, more) = build_with(s, &self.options, &mut self.memo);
                diags.extend(more);
                out
            }
            None => None,
        };
        let millis = start.elapsed().as_secs_f64() * 1000.0;
        diags.sort();
        match result {
            Some(out) if !diags.has_errors() => {
                let mut paths = diff(&self.output, &out);
                // The search index is no page: a new one reloads none.
                paths.retain(|p| !p.starts_with(crate::search::BUNDLE));
                let error_changed = self.problems.take().is_some();
                self.output = Arc::new(out);
                self.warnings = diags;
                Change {
                    paths,
                    error_changed,
                    millis,
                }
            }
            _ => {
                let text = diags.render_plain();
                let error_changed = self
                    .problems
                    .as_ref()
                    .is_none_or(|p| p.render_plain() != text);
                self.problems = Some(diags);
                Change {
                    paths: Vec::new(),
                    error_changed,
                    millis,
                }
            }
        }
    }

    /// Updates the sources in place for simple edits of content files; false when the
    /// change needs a full reload (config, templates, assets, folders).
    fn apply(&mut self, changed: &[PathBuf]) -> bool {
        let Some(sources) = self.sources.as_mut() else {
            return false;
        };
        for abs in changed {
            let Ok(rel) = abs.strip_prefix(&self.root) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let Some(inner) = rel.strip_prefix("content/") else {
                if is_watched(&rel) {
                    return false;
                }
                continue;
            };
            let name = inner.rsplit('/').next().unwrap_or(inner);
            if load::is_ignored(name)
                || inner.split('/').any(load::is_ignored)
                || sources.walker.ignores(abs, false)
            {
                continue;
            }
            if !(inner.ends_with(".md")
                || matches!(inner, "partners.yaml" | "partners.yml" | "partners.csv"))
            {
                return false;
            }
            if std::fs::symlink_metadata(abs).is_err() {
                sources.remove_content(&rel);
                continue;
            }
            // Only a file that is really where it seems is read here. A link, or a path
            // through a linked folder, goes to a full reload, whose walker applies the build's
            // rules: links that leave the site (or reach hidden files) are skipped with a
            // warning.
            let mut expected = self.real_root.clone();
            expected.extend(rel.split('/'));
            let real = match load::real_path_inside(&self.real_root, abs) {
                Some(real) if real == expected => real,
                _ => return false,
            };
            match std::fs::metadata(&real) {
                Ok(m) if m.is_file() => {
                    match read_settled(&real, &rel, sources.content_text(&rel)) {
                        Ok(text) => {
                            if sources.content_text(&rel).is_none_or(|old| **old != *text) {
                                sources.put_content(&rel, text);
                            }
                        }
                        Err(_) => return false,
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Reads everything again, keeping the versions of unchanged files so the memo still
    /// applies to them.
    fn reload(&mut self) -> Diagnostics {
        let (new, mut diags) = load::load(&self.root);
        self.sources = new.map(|mut s| {
            s.config.base_url = self.base_url.clone();
            let photos = crate::images::prepare(&mut s, crate::images::Mode::CachedOnly);
            diags.extend(photos.diagnostics);
            self.missing_photos = photos.missing;
            if let Some(old) = &self.sources {
                keep_versions(&mut s.content, &old.content);
                keep_versions(&mut s.templates, &old.templates);
                keep_versions(&mut s.strings, &old.strings);
            }
            s
        });
        diags
    }
}

/// How long a changed file that suddenly reads empty gets to be written (see `read_settled`).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(50);

/// Reads a changed content file. Editors that save in place empty the file and then write
/// it; read in between, a file that had text reads empty, and the preview would flash "this
/// file is empty". Such a read is repeated once, a moment later, before it is believed.
fn read_settled(
    abs: &Path,
    rel: &str,
    before: Option<&Arc<str>>,
) -> Result<Arc<str>, crate::diagnostics::Diagnostic> {
    let text = load::read_text(abs, rel)?;
    if text.is_empty() && before.is_some_and(|b| !b.is_empty()) {
        std::thread::sleep(SETTLE);
        return load::read_text(abs, rel);
    }
    Ok(text)
}

/// Whether a path (relative to the root) is one serve reacts to.
pub fn is_watched(rel: &str) -> bool {
    rel == crate::config::CONFIG_FILE
        || rel == load::IGNORE_FILE
        || ["content/", "themes/", "templates/", "static/", "strings/"]
            .iter()
            .any(|d| rel.starts_with(d))
}

fn keep_versions(new: &mut [load::SourceText], old: &[load::SourceText]) {
    for f in new {
        if let Ok(i) = old.binary_search_by(|o| o.path.cmp(&f.path))
            && old[i].text == f.text
        {
            *f = old[i].clone();
        }
    }
}

/// Output paths that differ between two builds: both maps are walked in order once, and
/// pages the memo reused are the same allocation, so most comparisons are a pointer check.
fn diff(old: &Output, new: &Output) -> Vec<String> {
    use std::cmp::Ordering;
    let same = |a: &OutputFile, b: &OutputFile| match (a, b) {
        (OutputFile::Bytes(x), OutputFile::Bytes(y)) => Arc::ptr_eq(x, y) || x == y,
        _ => a == b,
    };
    let mut out = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((k, _)), None) => {
                out.push(k.to_string());
                a.next();
            }
            (None, Some((k, _))) => {
                out.push(k.to_string());
                b.next();
            }
            (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                Ordering::Less => {
                    out.push(ka.to_string());
                    a.next();
                }
                Ordering::Greater => {
                    out.push(kb.to_string());
                    b.next();
                }
                Ordering::Equal => {
                    if !same(va, vb) {
                        out.push(ka.to_string());
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(b: &[u8]) -> OutputFile {
        OutputFile::Bytes(Arc::from(b))
    }

    #[test]
    fn diff_names_changed_added_and_removed_files_in_order() {
        let shared = page(b"same");
        let mut old = Output::new();
        old.insert("a.html".into(), shared.clone());
        old.insert("b.html".into(), page(b"old"));
        old.insert("c.html".into(), page(b"gone"));
        old.insert("e.html".into(), page(b"equal bytes"));
        let mut new = Output::new();
        new.insert("a.html".into(), shared);
        new.insert("b.html".into(), page(b"new"));
        new.insert("d.html".into(), page(b"added"));
        new.insert("e.html".into(), page(b"equal bytes"));
        assert_eq!(diff(&old, &new), ["b.html", "c.html", "d.html"]);
        assert!(diff(&new, &new).is_empty());
        assert_eq!(diff(&Output::new(), &new).len(), 4);
    }

    #[test]
    fn a_file_caught_between_emptying_and_writing_is_read_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.md");
        let before: Arc<str> = Arc::from("---\ntitle: A\n---\n");
        std::fs::write(&path, "").expect("empty it");
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(SETTLE / 5);
                std::fs::write(&path, "---\ntitle: B\n---\n").expect("write");
            })
        };
        let text = read_settled(&path, "content/a.md", Some(&before)).expect("read");
        writer.join().expect("writer");
        assert_eq!(&*text, "---\ntitle: B\n---\n");
        // An empty file that was empty before, or is new, is read once.
        std::fs::write(&path, "").expect("empty it");
        let start = Instant::now();
        assert_eq!(
            &*read_settled(&path, "content/a.md", None).expect("read"),
            ""
        );
        assert!(start.elapsed() < SETTLE);
    }
}
