//! Pictures dropped into the editor: checked to be the picture they claim to be, named
//! cleanly, and put beside their entry, which becomes a bundle folder first if it is a single
//! file (its translations moving with it).

use std::path::{Path, PathBuf};

use super::paths;

/// Above this size a picture is kept, with a warning: phones on slow networks load it slowly.
pub const LARGE: usize = 2 << 20;

/// The kinds of picture the editor takes, by their bytes (never by their name).
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
    use imagesize::ImageType;
    match imagesize::image_type(bytes) {
        Ok(ImageType::Jpeg) => Some("jpg"),
        Ok(ImageType::Png) => Some("png"),
        Ok(ImageType::Gif) => Some("gif"),
        Ok(ImageType::Webp) => Some("webp"),
        Ok(ImageType::Heif(_)) => Some("avif"),
        _ if is_plain_svg(bytes) => Some("svg"),
        _ => None,
    }
}

/// An SVG drawing without scripts, event handlers or `javascript:` links: pictures only.
fn is_plain_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    let starts = lower.trim_start().starts_with("<svg")
        || lower.trim_start().starts_with("<?xml") && lower.contains("<svg");
    let handler = lower.match_indices(" on").any(|(i, _)| {
        lower[i + 3..].starts_with(|c: char| c.is_ascii_lowercase()) && {
            let rest = &lower[i + 3..];
            let name_end = rest
                .find(|c: char| !c.is_ascii_lowercase())
                .unwrap_or(rest.len());
            rest[name_end..].trim_start().starts_with('=')
        }
    });
    starts
        && !lower.contains("<script")
        && !lower.contains("javascript:")
        && !lower.contains("<foreignobject")
        && !handler
}

/// A file name made of the dropped one's letters and digits (`My photo (1).JPG` →
/// `my-photo-1.jpg`), with the extension of what the bytes are.
pub fn clean_name(name: &str, ext: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => base,
    };
    let stem = slug::slugify(stem);
    let stem = if stem.is_empty() {
        "picture".to_string()
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

/// Where an entry's pictures go, making a single-file entry (`content/stories/x.md`) a
/// bundle (`content/stories/x/index.md`) first, its translations (`x.es.md`) moved into it
/// as `index.es.md`. Returns the entry's path afterwards and its folder.
pub fn bundle_of(root: &Path, rel: &str) -> Result<(String, PathBuf), String> {
    let path = paths::content_path(root, rel).map_err(|r| r.0)?;
    if !path.is_file() {
        return Err(format!("`{rel}` does not exist"));
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "index.md" {
        let dir = path.parent().ok_or("no folder")?.to_path_buf();
        return Ok((rel.to_string(), dir));
    }
    let Some(stem) = name.strip_suffix(".md").filter(|s| !s.contains('.')) else {
        return Err("pictures go beside the original, not a translation: open the original".into());
    };
    let (dir_rel, _) = rel.rsplit_once('/').ok_or("no folder")?;
    if dir_rel == "content" {
        return Err(
            "a page directly in content/ cannot hold pictures of its own: put them in static/"
                .into(),
        );
    }
    let folder = path.with_file_name(stem);
    if folder.exists() {
        return Err(format!(
            "`{dir_rel}/{stem}/` already exists: move `{rel}` into it as index.md by hand"
        ));
    }
    std::fs::create_dir(&folder).map_err(|e| format!("cannot make `{dir_rel}/{stem}/`: {e}"))?;
    // The translations first, the original last: a build in between sees either the old
    // layout or a bundle with its translations.
    let parent = path.parent().ok_or("no folder")?;
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(parent)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(code) = file
            .strip_prefix(&format!("{stem}."))
            .and_then(|r| r.strip_suffix(".md"))
            .filter(|c| crate::content::translations::is_code(c))
        {
            moves.push((entry.path(), folder.join(format!("index.{code}.md"))));
        }
    }
    moves.push((path.clone(), folder.join("index.md")));
    for (from, to) in &moves {
        std::fs::rename(from, to).map_err(|e| format!("cannot move `{}`: {e}", from.display()))?;
    }
    Ok((format!("{dir_rel}/{stem}/index.md"), folder))
}

/// Writes `bytes` as a new file named like `name` in `dir` (`-2`, `-3`… when taken);
/// returns the name used.
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<String, String> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.to_string()
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let target = dir.join(&candidate);
        match std::fs::symlink_metadata(&target) {
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                super::save::write_atomic(&target, bytes).map_err(|e| e.to_string())?;
                return Ok(candidate);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("too many pictures with that name".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
    ];

    #[test]
    fn pictures_are_known_by_their_bytes() {
        assert_eq!(kind(PNG), Some("png"));
        assert_eq!(
            kind(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"),
            Some("svg")
        );
        for bad in [
            &b"MZ\x90\x00 an executable"[..],
            b"<html><script>alert(1)</script></html>",
            b"<svg><script>alert(1)</script></svg>",
            b"<svg onload=\"alert(1)\"></svg>",
            b"<svg><a href=\"javascript:alert(1)\">x</a></svg>",
            b"<svg><foreignObject><iframe/></foreignObject></svg>",
            b"",
        ] {
            assert_eq!(kind(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn names_are_cleaned_and_never_replace_a_file() {
        assert_eq!(clean_name("My Photo (1).JPG", "jpg"), "my-photo-1.jpg");
        assert_eq!(clean_name("../../etc/passwd", "png"), "passwd.png");
        assert_eq!(clean_name("ÉTÉ à Genève.jpeg", "jpg"), "ete-a-geneve.jpg");
        assert_eq!(clean_name(".hidden", "png"), "hidden.png");
        assert_eq!(clean_name("...", "png"), "picture.png");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_new(dir.path(), "a.png", PNG).unwrap(), "a.png");
        assert_eq!(write_new(dir.path(), "a.png", PNG).unwrap(), "a-2.png");
    }

    #[test]
    fn a_single_file_entry_becomes_a_bundle_with_its_translations() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let stories = root.join("content/stories");
        std::fs::create_dir_all(&stories).unwrap();
        std::fs::write(stories.join("a.md"), "---\ntitle: A\n---\n").unwrap();
        std::fs::write(stories.join("a.es.md"), "---\ntitle: A es\n---\n").unwrap();
        std::fs::write(stories.join("ab.md"), "---\ntitle: AB\n---\n").unwrap();
        let (rel, folder) = bundle_of(root, "content/stories/a.md").unwrap();
        assert_eq!(rel, "content/stories/a/index.md");
        assert_eq!(folder, stories.join("a"));
        assert!(stories.join("a/index.md").is_file());
        assert!(stories.join("a/index.es.md").is_file());
        assert!(!stories.join("a.md").exists() && !stories.join("a.es.md").exists());
        assert!(stories.join("ab.md").is_file(), "another entry stays");
        // Already a bundle: stays.
        assert_eq!(bundle_of(root, &rel).unwrap().0, rel);
        assert!(bundle_of(root, "content/stories/../../x.md").is_err());
    }
}
