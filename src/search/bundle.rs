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

/// The folder name of a language's bundle: its code and the hash of its documents.
pub fn key(lang: &str, docs: &[Document]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&CODE_VERSION.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(lang.as_bytes());
    for d in docs {
        h.update(&(d.url.len() as u64).to_le_bytes());
        h.update(d.url.as_bytes());
        h.update(&(d.html.len() as u64).to_le_bytes());
        h.update(d.html.as_bytes());
        if let Some(n) = &d.name {
            for part in [&n.name, &n.title, &n.kind, &n.detail] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
        }
    }
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

/// Removes the language's bundles other than `folder` and `keep`: each edit makes a new
/// one, and only the last is ever used again.
fn prune(lang: &str, folder: &Path, keep: Option<&Path>) {
    let Some(parent) = folder.parent() else {
        return;
    };
    let prefix = format!("{}-", safe(lang));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let ours = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if ours && path != folder && Some(path.as_path()) != keep && path.is_dir() {
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
    let _ = std::fs::remove_dir_all(folder);
    let kept = tmp.keep();
    std::fs::rename(&kept, folder).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&kept);
    })
}
