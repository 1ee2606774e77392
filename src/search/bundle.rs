//! A language's search bundle: Pagefind run over its documents, and the files it writes
//! kept in `.rally-cache/search/<language>-<hash>/`, named by a hash of every document, so
//! that a build whose documents did not change runs no indexing at all.

use std::path::{Path, PathBuf};

use super::documents::Document;

/// Changes whenever rally feeds Pagefind differently for the same documents.
const CODE_VERSION: u32 = 1;

/// The list of a bundle's files, written last: a folder without it is incomplete.
const MANIFEST: &str = "files.txt";

/// Pagefind's files no rally page loads: its ready-made interfaces (the theme has its own)
/// and its playground.
fn unused(name: &str) -> bool {
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name == "pagefind-highlight.js"
        || name.starts_with("playground/")
}

/// The folder name of a language's bundle: its code and the fingerprint of its documents
/// ([`super::documents::fingerprint`]), with what else decides the bundle's bytes.
pub fn key(lang: &str, fingerprint: u128) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&CODE_VERSION.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(lang.as_bytes());
    h.update(&fingerprint.to_le_bytes());
    format!("{}-{:032x}", safe(lang), h.digest128())
}

/// A language code as a folder name (codes are checked in site.yaml; this keeps a path a
/// path whatever they hold).
fn safe(lang: &str) -> String {
    lang.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A bundle in the cache: its folder and its files (paths relative to it, `/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub folder: PathBuf,
    pub files: Vec<String>,
}

/// The bundle in `folder`, if it is whole.
pub fn read(folder: &Path) -> Option<Stored> {
    let list = std::fs::read_to_string(folder.join(MANIFEST)).ok()?;
    let files: Vec<String> = list.lines().map(str::to_string).collect();
    Some(Stored {
        folder: folder.to_path_buf(),
        files,
    })
}

/// Whether the bundle in `folder` is whole and every file of it as rally wrote it.
fn intact(folder: &Path) -> bool {
    read(folder).is_some_and(|s| {
        s.files.iter().all(|f| {
            std::fs::metadata(folder.join(f)).is_ok_and(|m| crate::images::cache::is_sealed(&m))
        })
    })
}

/// Indexes `docs` with Pagefind as language `lang` and stores the bundle in `folder`; the
/// language's other bundles are removed, but for `keep` (the one `rally serve` publishes
/// meanwhile).
pub fn make(
    lang: &str,
    docs: &[Document],
    folder: &Path,
    keep: Option<&Path>,
) -> Result<Stored, String> {
    let mut files = index(lang, docs)?;
    files.push((super::names::file(lang), super::names::json(docs)));
    store(folder, &files).map_err(|e| {
        format!(
            "the search index cannot be saved in {}: {e}",
            folder.display()
        )
    })?;
    prune(lang, folder, keep);
    read(folder).ok_or_else(|| format!("the search index in {} is unreadable", folder.display()))
}

/// How long a bundle unused is kept: another build of the same site, or another site
/// sharing the cache, may be publishing it (hard links are made after the bundle is found).
const UNUSED_FOR: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Notes that a bundle is in use (its manifest's time), so that [`prune`] leaves it.
pub fn touch(folder: &Path) {
    if let Ok(f) = std::fs::File::options()
        .write(true)
        .open(folder.join(MANIFEST))
    {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// Removes the language's bundles other than `folder` and `keep` that no build has used for
/// an hour: each edit makes a new bundle, and only the last is ever used again.
fn prune(lang: &str, folder: &Path, keep: Option<&Path>) {
    let Some(parent) = folder.parent() else {
        return;
    };
    let prefix = format!("{}-", safe(lang));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let path = e.path();
        let ours = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if !ours || path == folder || Some(path.as_path()) == keep || !path.is_dir() {
            continue;
        }
        let unused = std::fs::metadata(path.join(MANIFEST))
            .and_then(|m| m.modified())
            .map_or(true, |t| {
                now.duration_since(t).is_ok_and(|d| d > UNUSED_FOR)
            });
        if unused {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Runs Pagefind over the documents, in memory: the bundle's files as (path, bytes).
pub fn index(lang: &str, docs: &[Document]) -> Result<Vec<(String, Vec<u8>)>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the indexer: {e}"))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(lang.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for d in docs {
            index
                .add_html_file(None, Some(d.url.clone()), d.html.clone())
                .await
                .map_err(|e| format!("{}: {e}", d.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (!unused(&name)).then_some((name, f.contents))
            })
            .collect())
    })
}

/// Writes a bundle beside its final place and renames it in, sealed like every cached file
/// ([`crate::images::cache::seal`]): a bundle is whole or absent.
fn store(folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let parent = folder.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let tmp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempdir_in(parent)?;
    let mut names = String::new();
    for (name, bytes) in files {
        if name.split('/').any(|part| part.is_empty() || part == "..") {
            continue;
        }
        let file = tmp.path().join(name);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&file, bytes)?;
        crate::images::cache::seal(&file)?;
        names.push_str(name);
        names.push('\n');
    }
    std::fs::write(tmp.path().join(MANIFEST), names)?;
    // Another build may have made the same bundle meanwhile, and may be publishing it: an
    // intact one is kept (the temporary folder goes); one incomplete or changed since it was
    // written (a published link to it edited in place) is replaced.
    if intact(folder) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(folder);
    let kept = tmp.keep();
    std::fs::rename(&kept, folder).or_else(|e| {
        let _ = std::fs::remove_dir_all(&kept);
        if intact(folder) { Ok(()) } else { Err(e) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(dir: &Path, name: &str, age_hours: u64) -> PathBuf {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        let manifest = folder.join(MANIFEST);
        std::fs::write(&manifest, "pagefind.js\n").unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_hours * 3600);
        std::fs::File::options()
            .write(true)
            .open(&manifest)
            .unwrap()
            .set_modified(when)
            .unwrap();
        folder
    }

    #[test]
    fn only_the_languages_long_unused_bundles_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let new = bundle(dir.path(), "es-new", 0);
        let old = bundle(dir.path(), "es-old", 2);
        let recent = bundle(dir.path(), "es-recent", 0);
        let kept = bundle(dir.path(), "es-kept", 5);
        let english = bundle(dir.path(), "en-old", 5);
        let other = bundle(dir.path(), "es_mx-old", 5);
        prune("es", &new, Some(&kept));
        assert!(new.is_dir() && kept.is_dir() && recent.is_dir());
        assert!(!old.exists(), "an unused Spanish bundle stays");
        assert!(
            english.is_dir() && other.is_dir(),
            "another language's bundle went"
        );
        // Using a bundle keeps it.
        let used = bundle(dir.path(), "es-used", 3);
        touch(&used);
        prune("es", &new, None);
        assert!(used.is_dir());
        assert!(!kept.exists());
    }

    #[test]
    fn a_bundle_made_twice_is_kept_whole() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("en-x");
        let files = vec![("pagefind.js".to_string(), b"one".to_vec())];
        store(&folder, &files).unwrap();
        let again = vec![("pagefind.js".to_string(), b"two".to_vec())];
        store(&folder, &again).unwrap();
        // The first stays: a build may be publishing it.
        assert_eq!(std::fs::read(folder.join("pagefind.js")).unwrap(), b"one");
        assert_eq!(read(&folder).unwrap().files, ["pagefind.js"]);
        // No temporary folder is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
