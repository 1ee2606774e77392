//! Stage 1, load: reads a site folder into memory ([`Sources`]). The only stage that reads disk.
//!
//! Everything after this is a pure function of `Sources`, so tests, `build` and `serve` share
//! one path. Files that are copied unchanged (images, PDFs, CSS) are listed, not read.

mod read_files;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::source::{LARGE_FILE, SourceText};

/// The campaign theme, compiled in so that a folder with only `site.yaml` and `content/` builds.
pub static BUILTIN_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/campaign");
/// The name under which [`BUILTIN_THEME`] is selected.
pub const BUILTIN_THEME_NAME: &str = "campaign";

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it came from, relative to the root (or `(theme)/…` for built-in files).
    pub source: String,
    /// Where it goes, relative to the output folder.
    pub out: String,
    pub data: AssetData,
    /// Width and height, for images whose size can be read (so pages can reserve the space).
    pub size: Option<(u32, u32)>,
    /// For a photo, its resized copies (set by [`crate::images`]); the asset itself is then
    /// the largest copy in the original's format.
    pub variants: Option<Arc<Variants>>,
}

/// The resized copies of a photo, as output paths and widths, smallest first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variants {
    pub webp: Vec<(String, u32)>,
    /// In the original's format (JPEG or PNG); empty for a WebP original.
    pub fallback: Vec<(String, u32)>,
}

#[derive(Debug, Clone, Hash)]
pub enum AssetData {
    /// A file on disk, with its size and modification time when it was listed, so that a
    /// changed file makes a different output even though its path is the same.
    File(PathBuf, Stamp),
    Embedded(&'static [u8]),
}

/// Size and modification time of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp(pub u64, pub u128);

impl Stamp {
    pub fn of(path: &Path) -> Stamp {
        std::fs::metadata(path)
            .map(|m| Stamp::from_metadata(&m))
            .unwrap_or_default()
    }

    /// The stamp of a file whose metadata was read already.
    pub fn from_metadata(m: &std::fs::Metadata) -> Stamp {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Stamp(m.len(), t)
    }
}

/// Everything a build reads, in memory.
#[derive(Debug, Clone)]
pub struct Sources {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub config_file: SourceText,
    /// Markdown files and partner list files under `content/`, sorted by path.
    pub content: Vec<SourceText>,
    /// Non-Markdown files under `content/` (bundle images, PDFs) and `static/`, sorted by output path.
    pub assets: Vec<Asset>,
    /// Templates by Tera name: site overrides as `name`, theme files as `theme/name`.
    pub templates: Vec<SourceText>,
    /// Interface strings (`.ftl`): the theme's as `themes/<name>/strings/<lang>.ftl` (or
    /// `(built-in theme)/strings/…`), the site's overrides as `strings/<lang>.ftl`. Sorted.
    pub strings: Vec<SourceText>,
    /// The theme's static files (overridden by site `static/` files with the same path).
    pub theme_assets: Vec<Asset>,
    /// Where the theme's files are, for messages: `themes/campaign` or `(built-in theme)`.
    pub theme_label: String,
    /// The fonts share cards are drawn with: the theme's `cards/*.ttf` and `*.otf`, in name
    /// order (none: no cards).
    pub card_fonts: Vec<Arc<[u8]>>,
    /// The rules the files were listed by (`.rallyignore` included), for `rally serve` to
    /// apply to files saved later.
    pub walker: Walker,
    /// Files under `content/` left out because they are not web files (a Word document, a
    /// backup of a story), for `rally check` to list. Sorted.
    pub unpublished: Vec<String>,
    /// Content files that could not be read (not UTF-8, no permission), with where the
    /// error is: links to them name it.
    pub unreadable: Vec<(String, String)>,
    /// The site's own host files (`static/_redirects`, `static/_headers`), read: rally's
    /// rules are written after the site's own lines.
    pub host_files: std::collections::BTreeMap<String, Arc<str>>,
    /// The theme's stylesheets and scripts, by output path, each with the name it gets when
    /// published fingerprinted (`css/site.css` → `css/site.1f2e3d4c5b6a.css`), from their bytes.
    pub fingerprints: Arc<std::collections::BTreeMap<String, String>>,
}

impl Sources {
    /// Replaces a content file's text, or adds the file: for incremental rebuilds.
    pub fn put_content(&mut self, path: &str, text: Arc<str>) {
        let file = SourceText::new(path, text);
        match self.content.binary_search_by(|f| f.path.as_str().cmp(path)) {
            Ok(i) => self.content[i] = file,
            Err(i) => self.content.insert(i, file),
        }
    }

    /// Removes a content file; returns whether it was there.
    pub fn remove_content(&mut self, path: &str) -> bool {
        match self.content.binary_search_by(|f| f.path.as_str().cmp(path)) {
            Ok(i) => {
                self.content.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Replaces a template's text (`name` as Tera knows it: `story.html` for the site's own
    /// templates, `theme/story.html` for the theme's), or adds it.
    pub fn put_template(&mut self, name: &str, text: Arc<str>) {
        let file = SourceText::new(name, text);
        match self
            .templates
            .binary_search_by(|f| f.path.as_str().cmp(name))
        {
            Ok(i) => self.templates[i] = file,
            Err(i) => self.templates.insert(i, file),
        }
    }

    /// The text of a content file.
    pub fn content_text(&self, path: &str) -> Option<&Arc<str>> {
        self.content
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.content[i].text)
    }
}

/// Reads the site at `root`. Problems with single files are returned beside the sources; an
/// unusable root or `site.yaml` returns no sources. One function, read top to bottom, because
/// it is the list of the site's folders in the order they are read (config, content, static,
/// templates, theme), each a few lines over the shared [`Walker`].
pub fn load(root: &Path) -> (Option<Sources>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let config_path = root.join(CONFIG_FILE);
    let config_text = match read_text(&config_path, CONFIG_FILE) {
        Ok(t) => t,
        Err(d) => {
            let d = if !config_path.exists() {
                crate::site_root::no_site(&root.display().to_string())
            } else {
                d
            };
            diags.push(d);
            return (None, diags);
        }
    };
    let config = match SiteConfig::parse(&config_text) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };

    let walker = Walker::new(root, &mut diags);
    let mut content_paths = Vec::new();
    let mut assets = Vec::new();
    let mut unpublished = Vec::new();
    let content_dir = root.join("content");
    if content_dir.is_dir() {
        for (rel, abs) in walker.walk(&content_dir, &mut diags) {
            let inner = rel.strip_prefix("content/").unwrap_or(&rel).to_string();
            if is_content_file(&inner) {
                content_paths.push((rel, abs));
            } else if !is_published_type(&inner) {
                unpublished.push(rel);
            } else {
                assets.push(Asset {
                    source: rel,
                    out: inner,
                    data: AssetData::File(abs.clone(), Stamp::of(&abs)),
                    size: image_size(&abs),
                    variants: None,
                });
            }
        }
    } else {
        diags.push(
            Diagnostic::warning("there is no content/ folder: the site has no stories or pages")
                .in_file("content/")
                .help("create content/stories/ and add a story with `rally new story \"Title\"`"),
        );
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        for (rel, abs) in walker.walk(&static_dir, &mut diags) {
            let out = rel.strip_prefix("static/").unwrap_or(&rel).to_string();
            assets.push(Asset {
                source: rel,
                out,
                data: AssetData::File(abs.clone(), Stamp::of(&abs)),
                size: image_size(&abs),
                variants: None,
            });
        }
    }

    let read: Vec<Result<SourceText, Diagnostic>> = content_paths
        .par_iter()
        .map(|(rel, abs)| read_text(abs, rel).map(|text| SourceText::new(rel.clone(), text)))
        .collect();
    let mut content = Vec::with_capacity(read.len());
    let mut unreadable = Vec::new();
    for (r, (rel, _)) in read.into_iter().zip(&content_paths) {
        match r {
            Ok(s) => content.push(s),
            Err(d) => {
                unreadable.push((rel.clone(), d.place()));
                diags.push(d);
            }
        }
    }

    let mut templates = Vec::new();
    let site_templates = root.join("templates");
    if site_templates.is_dir() {
        for (rel, abs) in walker.walk(&site_templates, &mut diags) {
            let name = rel.strip_prefix("templates/").unwrap_or(&rel).to_string();
            match read_text(&abs, &rel) {
                Ok(text) => templates.push(SourceText::new(name, text)),
                Err(d) => diags.push(d),
            }
        }
    }

    let mut strings = Vec::new();
    let site_strings = root.join(crate::strings::SITE_DIR);
    if site_strings.is_dir() {
        for (rel, abs) in walker.walk(&site_strings, &mut diags) {
            if rel.ends_with(".ftl") {
                match read_text(&abs, &rel) {
                    Ok(text) => strings.push(SourceText::new(rel, text)),
                    Err(d) => diags.push(d),
                }
            }
        }
    }

    let mut theme_assets = Vec::new();
    let mut card_fonts: Vec<(String, Arc<[u8]>)> = Vec::new();
    let mut theme_label = format!("themes/{}", config.theme);
    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        for (rel, abs) in walker.walk(&theme_dir, &mut diags) {
            let inner = rel
                .strip_prefix(&format!("themes/{}/", config.theme))
                .unwrap_or(&rel)
                .to_string();
            if let Some(name) = inner.strip_prefix("templates/") {
                match read_text(&abs, &rel) {
                    Ok(text) => templates.push(SourceText::new(format!("theme/{name}"), text)),
                    Err(d) => diags.push(d),
                }
            } else if let Some(out) = inner.strip_prefix("static/") {
                theme_assets.push(Asset {
                    source: rel.clone(),
                    out: out.to_string(),
                    data: AssetData::File(abs.clone(), Stamp::of(&abs)),
                    size: image_size(&abs),
                    variants: None,
                });
            } else if inner.starts_with("strings/") && inner.ends_with(".ftl") {
                match read_text(&abs, &rel) {
                    Ok(text) => strings.push(SourceText::new(rel, text)),
                    Err(d) => diags.push(d),
                }
            } else if inner.starts_with("cards/") && is_font(&inner) {
                match std::fs::read(&abs) {
                    Ok(bytes) => card_fonts.push((inner, Arc::from(bytes))),
                    Err(e) => diags.push(
                        Diagnostic::warning(format!("the font {rel} cannot be read: {e}"))
                            .in_file(&rel)
                            .help("pages get no share card until it can be read"),
                    ),
                }
            }
        }
    } else if config.theme == BUILTIN_THEME_NAME {
        builtin_theme(&mut templates, &mut theme_assets, &mut strings);
        for file in BUILTIN_THEME
            .get_dir("cards")
            .map(|d| d.files())
            .into_iter()
            .flatten()
        {
            let name = file.path().to_string_lossy().into_owned();
            if is_font(&name) {
                card_fonts.push((name, Arc::from(file.contents())));
            }
        }
        theme_label = "(built-in theme)".into();
    } else {
        let start = config_text.find("theme:").unwrap_or(0);
        diags.push(
            Diagnostic::error(format!("theme `{}` not found", config.theme))
                .at(CONFIG_FILE, &config_text, start..start + 5)
                .help(format!(
                    "themes live in themes/<name>/ next to site.yaml; there is no themes/{}/. \
                     Remove the `theme` line to use the built-in `{BUILTIN_THEME_NAME}` theme",
                    config.theme
                )),
        );
    }

    content.sort_by(|a, b| a.path.cmp(&b.path));
    assets.sort_by(|a, b| a.out.cmp(&b.out));
    templates.sort_by(|a, b| a.path.cmp(&b.path));
    theme_assets.sort_by(|a, b| a.out.cmp(&b.out));
    strings.sort_by(|a, b| a.path.cmp(&b.path));
    card_fonts.sort_by(|a, b| a.0.cmp(&b.0));
    unpublished.sort();
    let host_files = read_files::host_files(&assets, &mut diags);
    let fingerprints = Arc::new(read_files::fingerprints(&theme_assets, &assets));
    let sources = Sources {
        root: root.to_path_buf(),
        config,
        config_file: SourceText::new(CONFIG_FILE, config_text),
        content,
        assets,
        templates,
        strings,
        theme_assets,
        theme_label,
        card_fonts: card_fonts.into_iter().map(|(_, f)| f).collect(),
        unpublished,
        walker,
        unreadable,
        host_files,
        fingerprints,
    };
    (Some(sources), diags)
}

fn builtin_theme(
    templates: &mut Vec<SourceText>,
    assets: &mut Vec<Asset>,
    strings: &mut Vec<SourceText>,
) {
    fn visit(
        dir: &'static Dir<'static>,
        templates: &mut Vec<SourceText>,
        assets: &mut Vec<Asset>,
        strings: &mut Vec<SourceText>,
    ) {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                if let Some(text) = file.contents_utf8() {
                    templates.push(SourceText::new(format!("theme/{name}"), Arc::from(text)));
                }
            } else if path.starts_with("strings/") && path.ends_with(".ftl") {
                if let Some(text) = file.contents_utf8() {
                    strings.push(SourceText::new(
                        format!("(built-in theme)/{path}"),
                        Arc::from(text),
                    ));
                }
            } else if let Some(out) = path.strip_prefix("static/") {
                assets.push(Asset {
                    source: format!("(built-in theme)/{path}"),
                    out: out.to_string(),
                    data: AssetData::Embedded(file.contents()),
                    size: image_size_of(&path, file.contents()),
                    variants: None,
                });
            }
        }
        for sub in dir.dirs() {
            visit(sub, templates, assets, strings);
        }
    }
    visit(&BUILTIN_THEME, templates, assets, strings);
}

const IMAGE_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp"];

fn is_image(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The pixel size of an image file, read from its header (or an SVG's viewBox).
fn image_size(path: &Path) -> Option<(u32, u32)> {
    let name = path.to_string_lossy();
    if !is_image(&name) {
        return None;
    }
    if name.to_ascii_lowercase().ends_with(".svg") {
        let text = std::fs::read_to_string(path).ok()?;
        return svg_size(&text);
    }
    let s = imagesize::size(path).ok()?;
    Some((s.width as u32, s.height as u32))
}

fn image_size_of(name: &str, bytes: &[u8]) -> Option<(u32, u32)> {
    if !is_image(name) {
        return None;
    }
    if name.to_ascii_lowercase().ends_with(".svg") {
        return svg_size(std::str::from_utf8(bytes).ok()?);
    }
    let s = imagesize::blob_size(bytes).ok()?;
    Some((s.width as u32, s.height as u32))
}

/// The size an SVG declares: its `viewBox` width and height.
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let tag_start = text.find("<svg")?;
    let tag = &text[tag_start..tag_start + text[tag_start..].find('>')?];
    let i = tag.find("viewBox=")? + "viewBox=".len();
    let quote = tag[i..].chars().next()?;
    let rest = &tag[i + 1..];
    let value = &rest[..rest.find(quote)?];
    let nums: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

fn is_font(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".ttf") || n.ends_with(".otf")
}

/// Markdown files, and the partner list files at the top of `content/`.
fn is_content_file(inner: &str) -> bool {
    inner.ends_with(".md") || matches!(inner, "partners.yaml" | "partners.yml" | "partners.csv")
}

/// The file a site may name in `.rallyignore` (gitignore syntax, paths relative to the site
/// folder) to leave more files out of the build.
pub const IGNORE_FILE: &str = ".rallyignore";

/// Lists the files of a site folder that rally may read: not hidden, not an editor's
/// leftover, not matched by `.rallyignore`, and whose real path lies inside the site (see
/// [`real_path_inside`]).
#[derive(Debug, Clone)]
pub struct Walker {
    root: PathBuf,
    real_root: PathBuf,
    ignore: Option<ignore::gitignore::Gitignore>,
}

impl Walker {
    /// Reads the site's `.rallyignore`, if it has one; unreadable lines become warnings.
    pub fn new(root: &Path, diags: &mut Diagnostics) -> Walker {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let file = root.join(IGNORE_FILE);
        let ignore = file.is_file().then(|| {
            let mut b = ignore::gitignore::GitignoreBuilder::new(root);
            if let Some(e) = b.add(&file) {
                let text: Arc<str> = Arc::from(
                    String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).as_ref(),
                );
                let mut problems = Vec::new();
                ignore_problems(&e, None, &mut problems);
                for (line, why) in problems {
                    let d = Diagnostic::warning(format!(
                        "this line of {IGNORE_FILE} was not understood: {why}"
                    ))
                    .help("each line is a file or folder pattern as in .gitignore, e.g. `drafts/` or `*.docx`; this line is left out");
                    diags.push(match line {
                        Some(n) => {
                            let start = crate::diagnostics::offset_of(&text, n, 1);
                            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                            d.at(IGNORE_FILE, &text, start..end)
                        }
                        None => d.in_file(IGNORE_FILE),
                    });
                }
            }
            b.build().unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
        });
        Walker {
            root: root.to_path_buf(),
            real_root,
            ignore,
        }
    }

    /// Whether `.rallyignore` leaves out `path` (absolute, under the root) or a folder it is in.
    pub fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        self.ignore.as_ref().is_some_and(|g| {
            path.strip_prefix(&self.root)
                .is_ok_and(|rel| g.matched_path_or_any_parents(rel, is_dir).is_ignore())
        })
    }

    /// Files below `dir`, as (path relative to the root with `/`, the path to read it from).
    /// A file reached through a symbolic link is read from its real path, and only if that
    /// lies inside the site; links that leave it are skipped with a warning. Walk errors
    /// (unreadable folders, link loops) become diagnostics.
    pub fn walk(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
        let root = self.root.as_path();
        let mut out = Vec::new();
        let mut walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_ignored(&e.file_name().to_string_lossy())
                        || self.ignores(e.path(), e.file_type().is_dir()))
            });
        // The depth of the linked folder the walk is inside, if any: its files are read
        // from their real paths.
        let mut in_link: Option<usize> = None;
        while let Some(entry) = walker.next() {
            match entry {
                Ok(e) => {
                    if in_link.is_some_and(|d| e.depth() <= d) {
                        in_link = None;
                    }
                    let linked = in_link.is_some() || e.path_is_symlink();
                    let path = if linked {
                        match real_path_inside(&self.real_root, e.path()) {
                            Some(real) => real,
                            None => {
                                diags.push(
                                    Diagnostic::warning(
                                        "skipped a link to something outside the site folder (or to a hidden file)",
                                    )
                                    .in_file(relative(root, e.path()))
                                    .help("copy the file into the site instead of linking to it"),
                                );
                                if e.file_type().is_dir() {
                                    walker.skip_current_dir();
                                }
                                continue;
                            }
                        }
                    } else {
                        e.path().to_path_buf()
                    };
                    if e.file_type().is_dir() {
                        if e.path_is_symlink() && in_link.is_none() {
                            in_link = Some(e.depth());
                        }
                    } else if e.file_type().is_file() {
                        out.push((relative(root, e.path()), path));
                    }
                }
                Err(err) => {
                    let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                    let missing = err
                        .io_error()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
                    let d = if missing {
                        Diagnostic::error(
                            "this link points to a file or folder that does not exist",
                        )
                        .in_file(path)
                        .help("remove the link, or put back the file it points to")
                    } else if err.loop_ancestor().is_some() {
                        Diagnostic::error("a folder link points back to one of its parent folders")
                            .in_file(path)
                            .help(
                                "remove the symbolic link: it would make the site infinitely deep",
                            )
                    } else {
                        Diagnostic::error(format!("cannot read this: {}", io_reason(&err)))
                            .in_file(path)
                            .help(
                                "check that the folder exists and that you have permission to read it",
                            )
                    };
                    diags.push(d);
                }
            }
        }
        out
    }
}

/// The problems in an ignore file's error, with their line numbers.
fn ignore_problems(e: &ignore::Error, line: Option<usize>, out: &mut Vec<(Option<usize>, String)>) {
    match e {
        ignore::Error::Partial(all) => all.iter().for_each(|e| ignore_problems(e, line, out)),
        ignore::Error::WithLineNumber { line, err } => {
            ignore_problems(err, Some(*line as usize), out)
        }
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            ignore_problems(err, line, out)
        }
        ignore::Error::Glob { err, .. } => out.push((line, err.clone())),
        ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            out.push((line, "it is not UTF-8 text".into()))
        }
        other => out.push((line, other.to_string())),
    }
}

/// File types under `content/` that are published beside the pages: what a web page can
/// show, play or offer for download. Anything else there (a Word document, a spreadsheet, a
/// story's backup copy) stays private; `rally check` lists it. Lower case.
pub const PUBLISHED_TYPES: &[&str] = &[
    // images
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", // documents
    "pdf", // audio
    "mp3", "m4a", "ogg", "oga", "opus", "wav", "flac", // video and its captions
    "mp4", "m4v", "webm", "ogv", "mov", "vtt",
];

/// Whether a file under `content/` is of a type that is published ([`PUBLISHED_TYPES`]).
pub fn is_published_type(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, e)| PUBLISHED_TYPES.contains(&e.to_ascii_lowercase().as_str()))
}

fn io_reason(err: &walkdir::Error) -> String {
    err.io_error()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string())
}

/// The real path of `path` (symbolic links resolved) when rally may read it: it lies inside
/// the site folder `real_root` (itself already resolved) and passes through no name rally
/// ignores (so a link can not reach `.git/` or an editor's backup). None otherwise, or when
/// the path does not exist. Every read of a site file, at load time and in `rally serve`,
/// goes through this rule.
pub fn real_path_inside(real_root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    let rel = real.strip_prefix(real_root).ok()?;
    let hidden = rel
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()));
    (!hidden).then_some(real)
}

/// Names rally never reads: hidden files and editor leftovers (Word's lock files `~$x.docx`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with("#")
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Text files above this size (100 MB) are not read at all: an accident (a pasted log, an
/// export), never writing, and building it would need several times its size in memory.
pub const MAX_FILE: u64 = 100 << 20;

/// Reads a UTF-8 text file, dropping a byte-order mark and normalising CRLF line endings.
/// Files above [`MAX_FILE`] are refused before they are read.
pub fn read_text(path: &Path, rel: &str) -> Result<Arc<str>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        let help = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            std::io::ErrorKind::NotFound => {
                "the file disappeared while the site was being read; build again"
            }
            _ => "check that the file exists and can be read",
        };
        Diagnostic::error(format!("cannot read this file: {e}"))
            .in_file(rel)
            .help(help)
    };
    // What `fs::read` does (open, size, read), with the size checked before the read.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    let too_large = |len: u64| {
        Diagnostic::error(format!(
            "this file is {} MB; rally reads text files of at most {} MB",
            len >> 20,
            MAX_FILE >> 20
        ))
        .in_file(rel)
        .help("a story or page this long is an accident (a pasted export or log?): remove what does not belong, split it into several files, or publish it as a PDF")
    };
    if len > MAX_FILE {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // A file that grows while it is read is cut off at the limit too.
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large(bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match simdutf8::compat::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
            return Err(Diagnostic::error(format!(
                "this file is not UTF-8 text (invalid byte at line {line}, column {col})"
            ))
            .in_file(format!("{rel}:{line}:{col}"))
            .help("save the file with UTF-8 encoding (most editors offer it under \"Save as\" or \"Encoding\")"));
        }
    };
    // memchr scans 16 or 32 bytes per step; `str::contains` went byte by byte here, a
    // full percent of a build.
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Arc::from(text.replace("\r\n", "\n"))
    } else {
        Arc::from(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_templates_and_strings() {
        let (mut t, mut a, mut s) = (Vec::new(), Vec::new(), Vec::new());
        builtin_theme(&mut t, &mut a, &mut s);
        assert!(t.iter().any(|t| t.path == "theme/base.html"));
        for lang in ["en", "es", "fr", "ar"] {
            let path = format!("(built-in theme)/strings/{lang}.ftl");
            assert!(s.iter().any(|f| f.path == path), "{path}");
        }
    }

    #[test]
    fn svg_sizes_come_from_the_view_box() {
        assert_eq!(
            svg_size(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630">"#),
            Some((1200, 630))
        );
        assert_eq!(svg_size("<svg viewBox='0,0,10.4,20'/>"), Some((10, 20)));
        assert_eq!(svg_size("<svg width=\"3\"/>"), None);
    }

    #[test]
    fn ignores_hidden_and_temporary_files() {
        assert!(is_ignored(".DS_Store"));
        assert!(is_ignored("story.md~"));
        assert!(is_ignored(".story.md.swp"));
        assert!(!is_ignored("story.md"));
    }
}
