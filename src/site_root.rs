//! Which site a command works on when `--root` is not given: the nearest folder with
//! `site.yaml`, the current one or one above it, as git finds `.git`. A writer who opens a
//! terminal in `content/stories/` and types `rally new story "X"` then adds a story to the
//! site, instead of starting a `content/` folder inside `content/`.

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;

/// The site folder a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRoot {
    /// As given with `--root`, or relative to the current folder (`.`, `..`, `../..`), so
    /// that the paths rally prints from it (`../public`) work where the writer is.
    pub dir: PathBuf,
    /// When found from the current folder: the site folder's full path, and where the
    /// current folder is inside the site (empty at the root, `content/stories` deeper), to
    /// print paths relative to it.
    found: Option<(PathBuf, PathBuf)>,
}

impl SiteRoot {
    /// The folder given with `--root`, taken as it is (loading it says if it is no site).
    pub fn given(dir: PathBuf) -> SiteRoot {
        SiteRoot { dir, found: None }
    }

    /// The nearest folder with `site.yaml`, starting at `cwd` (absolute) and going up.
    pub fn find(cwd: &Path) -> Result<SiteRoot, Diagnostic> {
        for (up, found) in cwd.ancestors().enumerate() {
            if found.join(CONFIG_FILE).is_file() {
                let here = cwd
                    .strip_prefix(found)
                    .unwrap_or(Path::new(""))
                    .to_path_buf();
                let dir = if up == 0 {
                    PathBuf::from(".")
                } else {
                    std::iter::repeat_n(Component::ParentDir, up).collect()
                };
                return Ok(SiteRoot {
                    dir,
                    found: Some((found.to_path_buf(), here)),
                });
            }
        }
        Err(no_site(&format!(
            "{} or any folder above it",
            cwd.display()
        )))
    }

    /// With `--root DIR`, that folder; without, the nearest site folder from the current one.
    pub fn from_option(given: Option<PathBuf>) -> Result<SiteRoot, Diagnostic> {
        match given {
            Some(dir) => Ok(SiteRoot::given(dir)),
            None => {
                let cwd = std::env::current_dir().map_err(|e| {
                    Diagnostic::error(format!("cannot tell which folder this is: {e}")).help(
                        "the current folder may have been deleted or moved: change to the site \
                         folder again, or pass --root DIR",
                    )
                })?;
                SiteRoot::find(&cwd)
            }
        }
    }

    /// The site folder's full path when it was found above the current folder: then saying
    /// which site is used is worth a line (it is not in the site folder, nor with --root).
    pub fn above(&self) -> Option<&Path> {
        self.found
            .as_ref()
            .filter(|(_, here)| here.components().next().is_some())
            .map(|(found, _)| found.as_path())
    }

    /// `rel` (a path inside the site, e.g. `content/stories/x.md`) as the writer can open it
    /// from the current folder: `stories/x.md` from `content/`, `../public` from `themes/`.
    pub fn show(&self, rel: &Path) -> PathBuf {
        match &self.found {
            Some((_, here)) => {
                let mut here = here.components().peekable();
                let mut rel = rel.components().peekable();
                while let (Some(a), Some(b)) = (here.peek(), rel.peek())
                    && a == b
                {
                    here.next();
                    rel.next();
                }
                let up = here.map(|_| Component::ParentDir);
                let shown: PathBuf = up.chain(rel).collect();
                if shown.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    shown
                }
            }
            None if self.dir == Path::new(".") => rel.to_path_buf(),
            None => self.dir.join(rel),
        }
    }
}

/// No `site.yaml` where rally looked (`place`, e.g. "/home/anna/Documents or any folder above
/// it"), with what to do instead.
pub fn no_site(place: &str) -> Diagnostic {
    Diagnostic::error(format!("no {CONFIG_FILE} in {place}")).help(
        "run rally inside a site folder (one with site.yaml and content/) or one of its \
         folders, pass --root DIR, or create a new site with `rally init DIR`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().expect("temp dir");
        let root = t.path().canonicalize().expect("real path");
        std::fs::write(root.join(CONFIG_FILE), "title: T\n").expect("site.yaml");
        std::fs::create_dir_all(root.join("content/stories")).expect("folders");
        (t, root)
    }

    #[test]
    fn found_here_or_above() {
        let (_t, root) = site();
        let at_root = SiteRoot::find(&root).expect("site");
        assert_eq!(at_root.dir, Path::new("."));
        assert_eq!(at_root.above(), None);
        let s = SiteRoot::find(&root.join("content/stories")).expect("site");
        assert_eq!(s.dir, Path::new("../.."));
        assert_eq!(s.above(), Some(root.as_path()));
    }

    #[test]
    fn paths_are_shown_from_the_current_folder() {
        let (_t, root) = site();
        let rel = Path::new("content/stories/x.md");
        let show = |from: &str| SiteRoot::find(&root.join(from)).expect("site").show(rel);
        assert_eq!(show(""), Path::new("content/stories/x.md"));
        assert_eq!(show("content"), Path::new("stories/x.md"));
        assert_eq!(show("content/stories"), Path::new("x.md"));
        std::fs::create_dir_all(root.join("themes/t")).expect("folder");
        assert_eq!(show("themes/t"), Path::new("../../content/stories/x.md"));
        assert_eq!(
            SiteRoot::given(PathBuf::from(".")).show(rel),
            Path::new("content/stories/x.md")
        );
        assert_eq!(
            SiteRoot::given(PathBuf::from("site")).show(rel),
            Path::new("site/content/stories/x.md")
        );
    }

    #[test]
    fn no_site_anywhere_says_what_to_do() {
        let t = tempfile::tempdir().expect("temp dir");
        let e = SiteRoot::find(t.path()).expect_err("no site");
        assert!(
            e.message.contains("or any folder above it"),
            "{}",
            e.message
        );
    }
}
