//! Writing a content file for the editor: never over a version the editor did not see, and
//! never half-written (a temporary file beside it, then one rename).

use std::io::Write;
use std::path::Path;

use super::{Change, apply, paths, version};

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// The path is not one the editor may write.
    Refused(String),
    /// The file changed on disk since the editor opened it (or appeared, for a new one):
    /// both versions go back to the editor, nothing is written.
    Conflict {
        disk: Option<String>,
    },
    /// The change cannot be written into the text.
    Problem(super::Problem),
    Io(String),
}

/// Applies `changes` to the file `rel` (inside `root`'s `content/`) if its text is still
/// the one whose [`version`] is `base` (`None`: a file that must not exist yet, whose
/// whole text is `new_text`). Returns the new text.
pub fn save(
    root: &Path,
    rel: &str,
    base: Option<&str>,
    changes: &[Change],
    new_text: Option<&str>,
) -> Result<String, SaveError> {
    let path = paths::content_path(root, rel).map_err(|r| SaveError::Refused(r.0))?;
    let disk = match std::fs::read(&path) {
        Ok(b) => Some(String::from_utf8(b).map_err(|_| {
            SaveError::Refused(format!(
                "`{rel}` is not UTF-8 text: open it in a text editor"
            ))
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(SaveError::Io(format!("cannot read `{rel}`: {e}"))),
    };
    let text = match (base, &disk, new_text) {
        (Some(b), Some(d), _) if version(d) == b => {
            apply(rel, d, changes).map_err(SaveError::Problem)?
        }
        (None, None, Some(t)) => t.to_string(),
        _ => return Err(SaveError::Conflict { disk }),
    };
    write_atomic(&path, &text).map_err(|e| SaveError::Io(format!("cannot write `{rel}`: {e}")))?;
    Ok(text)
}

/// Writes `data` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed over the old file: a reader (the watcher, a build) sees the old or the new text,
/// never a part; a crash leaves the old file. The temporary file's name starts with `.`, so
/// rally ignores it.
pub fn write_atomic(path: &Path, data: impl AsRef<[u8]>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no folder"))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".rally-save-")
        .tempfile_in(dir)?;
    tmp.write_all(data.as_ref())?;
    tmp.as_file().sync_all()?;
    if let Ok(m) = std::fs::metadata(path) {
        // Keep the file's permissions (a shared folder's group write bit).
        let _ = std::fs::set_permissions(tmp.path(), m.permissions());
    } else {
        // A temporary file is private (0600); a new content file or picture is readable
        // like any other, so that a web server running as another user can publish it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
        }
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/stories")).unwrap();
        std::fs::write(
            dir.path().join("content/stories/a.md"),
            "---\ntitle: A\n---\n\nBody.\n",
        )
        .unwrap();
        dir
    }

    fn title(t: &str) -> Vec<Change> {
        vec![Change::Set {
            key: "title".into(),
            value: json!(t),
        }]
    }

    #[test]
    fn a_save_over_the_opened_version_writes_and_leaves_no_temporary_file() {
        let dir = site();
        let base = version("---\ntitle: A\n---\n\nBody.\n");
        let out = save(
            dir.path(),
            "content/stories/a.md",
            Some(&base),
            &title("B"),
            None,
        )
        .unwrap();
        assert_eq!(out, "---\ntitle: B\n---\n\nBody.\n");
        let on_disk = std::fs::read_to_string(dir.path().join("content/stories/a.md")).unwrap();
        assert_eq!(on_disk, out);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("content/stories"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_file_changed_since_it_was_opened_is_not_overwritten() {
        let dir = site();
        let base = version("---\ntitle: A\n---\n\nBody.\n");
        let path = dir.path().join("content/stories/a.md");
        std::fs::write(&path, "---\ntitle: Changed elsewhere\n---\n").unwrap();
        match save(
            dir.path(),
            "content/stories/a.md",
            Some(&base),
            &title("B"),
            None,
        ) {
            Err(SaveError::Conflict { disk }) => {
                assert_eq!(
                    disk.as_deref(),
                    Some("---\ntitle: Changed elsewhere\n---\n")
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "---\ntitle: Changed elsewhere\n---\n"
        );
        // A new file where one appeared meanwhile.
        let r = save(
            dir.path(),
            "content/stories/a.md",
            None,
            &[],
            Some("---\n---\n"),
        );
        assert!(matches!(r, Err(SaveError::Conflict { .. })));
    }

    #[test]
    fn paths_outside_content_are_refused_before_reading() {
        let dir = site();
        std::fs::write(dir.path().join("site.yaml"), "title: x\n").unwrap();
        let base = version("title: x\n");
        let r = save(dir.path(), "content/../site.yaml", Some(&base), &[], None);
        assert!(matches!(r, Err(SaveError::Refused(_))), "{r:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
            "title: x\n"
        );
    }
}
