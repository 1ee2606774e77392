//! Processed pictures kept between builds in a folder (`.rally-cache/images/` of the site):
//! one folder per picture, named by the hash of its bytes, the settings and
//! [`CODE_VERSION`], holding its variants and an `index` of them.

use std::path::{Path, PathBuf};

use super::encode::{Format, Processed, Settings, Unreadable, Variant, process};

/// Changes whenever rally writes different bytes for the same picture: cached variants of
/// another version are never used (Zola #2066 kept stale images after upgrades).
pub const CODE_VERSION: u32 = 1;

/// A picture's variants as files in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The picture's size once upright.
    pub width: u32,
    pub height: u32,
    /// For each width, smallest first: the WebP, then the fallback.
    pub files: Vec<StoredVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVariant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub path: PathBuf,
}

pub struct Cache {
    dir: PathBuf,
}

/// The modification time every cached file is given when written: published copies may be
/// hard links to cached files, and a tool that then changes a published file in place
/// changes its time too, so the cached file no longer counts and is made again.
const SEALED: std::time::Duration = std::time::Duration::from_secs(946_684_800);

/// Marks a just-written cache file as whole and untouched (see [`is_sealed`]).
pub fn seal(file: &Path) -> std::io::Result<()> {
    std::fs::File::options()
        .write(true)
        .open(file)?
        .set_modified(std::time::UNIX_EPOCH + SEALED)
}

/// Writes a file into a cache, sealed: beside its name first, then renamed, so that it is
/// whole or absent (share cards, the search's entry file).
pub fn store_sealed(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension(format!(
        "{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)?;
    seal(&tmp)?;
    std::fs::rename(&tmp, file)
}

/// Whether a cache file is as rally wrote it: a plain file whose time is the seal's.
pub fn is_sealed(m: &std::fs::Metadata) -> bool {
    m.is_file() && m.modified().ok() == Some(std::time::UNIX_EPOCH + SEALED)
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The hash that names a picture's folder.
    pub fn key(bytes: &[u8], settings: &Settings) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&CODE_VERSION.to_le_bytes());
        h.update(format!("{settings:?}").as_bytes());
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
        format!("{:032x}", h.digest128())
    }

    /// The picture's variants if the cache has them, or why it could not be processed when
    /// an earlier run found that out.
    pub fn get(&self, key: &str) -> Option<Result<Stored, Unreadable>> {
        if let Ok(why) = std::fs::read_to_string(self.dir.join(format!("{key}.unreadable"))) {
            return Some(Err(Unreadable(why)));
        }
        read_folder(&self.dir.join(key)).map(Ok)
    }

    /// The picture's variants from the cache, or made now and stored; the bool says whether
    /// they were made. A cache that cannot be written is an error: the variants are
    /// published from it.
    pub fn get_or_make(
        &self,
        bytes: &[u8],
        settings: &Settings,
    ) -> Result<(Stored, bool), Unreadable> {
        let key = Cache::key(bytes, settings);
        if let Some(r) = self.get(&key) {
            return r.map(|s| (s, false));
        }
        let p = match process(bytes, settings) {
            Ok(p) => p,
            Err(e) => {
                // Remembered, so that `rally serve` reports it instead of trying again.
                let _ = std::fs::create_dir_all(&self.dir);
                let _ = std::fs::write(self.dir.join(format!("{key}.unreadable")), &e.0);
                return Err(e);
            }
        };
        let folder = self.dir.join(&key);
        // An incomplete folder (a variant deleted by hand) is made again.
        let _ = std::fs::remove_dir_all(&folder);
        write_folder(&folder, &p).map_err(|e| {
            Unreadable(format!(
                "its resized copies cannot be saved in {}: {e}",
                self.dir.display()
            ))
        })?;
        read_folder(&folder).map(|s| (s, true)).ok_or_else(|| {
            Unreadable(format!(
                "the cache folder {} is unreadable",
                folder.display()
            ))
        })
    }
}

fn variant_name(v: &Variant) -> String {
    format!("{}x{}.{}", v.width, v.height, v.format.extension())
}

fn write_folder(folder: &Path, p: &Processed) -> std::io::Result<()> {
    let parent = folder.parent().unwrap_or(folder);
    std::fs::create_dir_all(parent)?;
    // Unique per process and thread, so two builds of one site never share it.
    let tmp = parent.join(format!(
        ".{}.{}.{:?}.tmp",
        folder.file_name().and_then(|n| n.to_str()).unwrap_or("x"),
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let mut index = format!("{} {}\n", p.width, p.height);
    for v in &p.variants {
        let name = variant_name(v);
        std::fs::write(tmp.join(&name), &v.bytes)?;
        seal(&tmp.join(&name))?;
        index.push_str(&name);
        index.push('\n');
    }
    std::fs::write(tmp.join("index"), index)?;
    // The folder appears whole or not at all; if another build made it meanwhile, theirs
    // is the same bytes.
    match std::fs::rename(&tmp, folder) {
        Ok(()) => Ok(()),
        Err(_) if folder.join("index").is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

fn read_folder(folder: &Path) -> Option<Stored> {
    let index = std::fs::read_to_string(folder.join("index")).ok()?;
    let mut lines = index.lines();
    let mut size = lines.next()?.split(' ');
    let (width, height) = (size.next()?.parse().ok()?, size.next()?.parse().ok()?);
    let mut files = Vec::new();
    for name in lines {
        let (dims, ext) = name.split_once('.')?;
        let (w, h) = dims.split_once('x')?;
        let format = match ext {
            "webp" => Format::Webp,
            "jpg" => Format::Jpeg,
            "png" => Format::Png,
            _ => return None,
        };
        let path = folder.join(name);
        if !std::fs::metadata(&path).is_ok_and(|m| is_sealed(&m)) {
            return None;
        }
        files.push(StoredVariant {
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            format,
            path,
        });
    }
    Some(Stored {
        width,
        height,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::samples::photo_with_gps as jpeg_with_exif;

    #[test]
    fn a_second_run_encodes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let photo = jpeg_with_exif(900, 500, 1);
        let (first, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(made);
        let bytes: Vec<Vec<u8>> = first
            .files
            .iter()
            .map(|f| std::fs::read(&f.path).unwrap())
            .collect();
        let (again, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(!made, "read from the cache");
        let key = Cache::key(&photo, &Settings::default());
        assert_eq!(cache.get(&key), Some(Ok(first.clone())));
        assert_eq!(first, again);
        for (f, b) in again.files.iter().zip(&bytes) {
            assert_eq!(&std::fs::read(&f.path).unwrap(), b);
        }
        // Other settings: made again.
        let other = Settings {
            webp_quality: 60.0,
            ..Settings::default()
        };
        assert!(cache.get_or_make(&photo, &other).unwrap().1);
        // A folder with a variant missing is not used.
        std::fs::remove_file(&first.files[0].path).unwrap();
        let (repaired, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(made, "made again");
        assert!(repaired.files.iter().all(|f| f.path.is_file()));
        // A file changed in place (through a published hard link): made again, whole.
        let target = &repaired.files[1].path;
        let good = std::fs::read(target).unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(target)
            .unwrap();
        std::io::Write::write_all(&mut f, b"tampered").unwrap();
        drop(f);
        let (again, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(made, "a changed file is not used");
        assert_eq!(std::fs::read(&again.files[1].path).unwrap(), good);
    }

    #[test]
    fn a_broken_picture_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let bad = b"\xFF\xD8\xFF\xE0 not really a JPEG".to_vec();
        let key = Cache::key(&bad, &Settings::default());
        assert_eq!(cache.get(&key), None);
        let e = cache.get_or_make(&bad, &Settings::default()).unwrap_err();
        assert_eq!(cache.get(&key), Some(Err(e)));
    }
}
