//! Which files the editor may read and write: content files inside `content/`, named by a
//! plain relative path, reached without following a symbolic link.

use std::path::{Component, Path, PathBuf};

/// The kinds of file the editor opens: Markdown entries and the partner lists.
const EDITABLE: [&str; 4] = [".md", ".yaml", ".yml", ".csv"];

/// Why a path was refused, in words for the editor's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// `rel` (`content/stories/x.md`, `/` separated) as a path under `root`, if the editor may
/// write it: inside `content/`, no `..`, no absolute or drive path, no backslash, no hidden
/// or editor-leftover name, an editable extension, and no symbolic link anywhere on the way
/// (checked on disk for the parts that exist). The file itself need not exist (a new entry).
pub fn content_path(root: &Path, rel: &str) -> Result<PathBuf, Refused> {
    let refuse = |why: &str| Err(Refused(format!("`{rel}` {why}")));
    if rel.is_empty() || rel.len() > 1024 {
        return refuse("is not a file of the site");
    }
    if rel.contains(['\\', '\0', ':']) || rel.starts_with('/') {
        return refuse("is not a relative path with `/` (no drive, backslash or leading `/`)");
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.first() != Some(&"content") || parts.len() < 2 {
        return refuse("is outside `content/`: the editor writes only there");
    }
    for p in &parts {
        if p.is_empty() || *p == "." || *p == ".." {
            return refuse("has an empty, `.` or `..` part");
        }
        if crate::load::is_ignored(p) {
            return refuse("names a hidden file or an editor's leftover");
        }
    }
    if !EDITABLE.iter().any(|e| rel.ends_with(e)) {
        return refuse("is not a content file (.md, .yaml or .csv)");
    }
    let relative = Path::new(rel);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return refuse("is not a plain relative path");
    }
    // No link on the way: each existing part is a real folder (or, last, a real file).
    let mut at = root.to_path_buf();
    for (i, p) in parts.iter().enumerate() {
        at.push(p);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return refuse("goes through a symbolic link, which the editor does not follow");
            }
            Ok(m) if i + 1 < parts.len() && !m.is_dir() => {
                return refuse("goes through something that is not a folder");
            }
            Ok(m) if i + 1 == parts.len() && !m.is_file() => {
                return refuse("is not a file");
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(root.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/stories")).unwrap();
        std::fs::write(root.join("content/stories/a.md"), "---\n---\n").unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        for bad in [
            "",
            "site.yaml",
            "/etc/passwd",
            "content/../site.yaml",
            "content/stories/../../site.yaml",
            "content\\stories\\a.md",
            "C:/content/a.md",
            "content//a.md",
            "content/./a.md",
            "content/.git/config.md",
            "content/stories/a.md~",
            "content/stories/a.html",
            "content/stories/a.md\0",
            "content",
            "themes/x/templates/base.html",
        ] {
            assert!(content_path(root, bad).is_err(), "{bad:?}");
        }
        assert!(content_path(root, "content/stories/a.md").is_ok());
        assert!(content_path(root, "content/stories/new.md").is_ok());
        assert!(content_path(root, "content/partners.yaml").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_refused_anywhere_on_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(outside.path().join("x.md"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/linked")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.md"), root.join("content/l.md")).unwrap();
        for bad in [
            "content/linked/x.md",
            "content/linked/new.md",
            "content/l.md",
        ] {
            let e = content_path(root, bad).unwrap_err();
            assert!(e.0.contains("symbolic link"), "{bad}: {e:?}");
        }
    }
}
