//! Resolves the addresses writers give (`@/` content links, relative `.md` links, site paths,
//! files beside the content) into URLs, and says why one leads nowhere: the one place that
//! decides what a link means, for bodies, embeds and front matter alike.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::absent::{Absent, Gone};
use super::anchors::AnchorCheck;
use super::languages::View;
use super::routes::{Owner, Target};
use super::shape::Tables;
use crate::config::{RawHtml, SiteConfig};
use crate::content::Doc;
use crate::diagnostics::did_you_mean;
use crate::load::Asset;
use crate::markdown::LinkKind;

/// What resolving a link looks up: the tables of the site's shape, and its base path.
pub(super) struct LinkCtx<'a> {
    pub(super) raw_html: RawHtml,
    pub(super) resolutions: &'a HashMap<String, (usize, Vec<String>)>,
    pub(super) partners: &'a HashMap<String, usize>,
    pub(super) absent: &'a Absent,
    pub(super) targets: &'a HashMap<String, Target>,
    pub(super) routes: &'a HashMap<String, Owner>,
    pub(super) assets: &'a BTreeMap<String, Asset>,
    pub(super) base_path: &'a str,
    /// `forms:` of site.yaml, for the `form` embed.
    pub(super) forms: &'a crate::config::Forms,
    /// `images:` of site.yaml, for the `sizes` of photos in texts.
    pub(super) images: &'a crate::config::ImageConfig,
    /// `base_url` without its path (`https://example.org`), or empty when it is a path.
    pub(super) origin: &'a str,
    /// `base_url` as written (ending in `/`): the site's home.
    pub(super) site_url: &'a str,
    /// The language being linked.
    pub(super) view: &'a View,
    /// For a language other than the default: the default language's routes, which links
    /// to site paths may also name.
    pub(super) fallback_routes: Option<&'a HashMap<String, Owner>>,
    /// The default language's code, for `hreflang` on links to its pages.
    pub(super) default_code: &'a str,
}

impl<'a> LinkCtx<'a> {
    pub(super) fn new(
        tables: &'a Tables,
        config: &'a SiteConfig,
        base_path: &'a str,
        view: &'a View,
        fallback: Option<&'a Tables>,
    ) -> Self {
        LinkCtx {
            view,
            fallback_routes: fallback.map(|t| &t.routes),
            default_code: config.languages().first().map_or("", |l| &*l.code),
            raw_html: config.raw_html,
            forms: &config.forms,
            images: &config.images,
            origin: config.origin(),
            site_url: &config.base_url,
            resolutions: &tables.res_lookup,
            partners: &tables.partner_lookup,
            absent: &tables.absent,
            targets: &tables.targets,
            routes: &tables.routes,
            assets: &tables.assets,
            base_path,
        }
    }
}

impl LinkCtx<'_> {
    /// The folder of a content file's source, relative to `content/`, ending in `/` (or empty).
    fn source_dir<M>(doc: &Doc<M>) -> String {
        let inner = doc
            .file
            .path
            .strip_prefix("content/")
            .unwrap_or(&doc.file.path);
        match inner.rfind('/') {
            Some(i) => inner[..=i].to_string(),
            None => String::new(),
        }
    }

    /// What `dest`, a link or image address written in `doc`, leads to.
    pub(super) fn resolve<M>(&self, doc: &Doc<M>, kind: LinkKind, dest: &str) -> Resolved {
        if is_local_file(dest) {
            let help = if kind == LinkKind::Image {
                "copy the image into the story's folder (content/stories/<name>/, next to \
                 index.md) and write just its file name, e.g. ![...](photo.jpg)"
            } else {
                "copy the file into content/ (next to the page that links to it) and link to \
                 its file name, or link to where it is published on the web"
            };
            return Resolved::Missing(
                format!("`{dest}` is a file on your computer, which visitors cannot open"),
                help.into(),
            );
        }
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Resolved::Keep;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (dest, None),
        };
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        let suffix = query.map_or(String::new(), |q| format!("?{q}"));
        // Content links are most links: `@/` keys are looked up without a copy.
        let content_key: Option<std::borrow::Cow<str>> = if let Some(rest) = path.strip_prefix("@/")
        {
            Some(rest.into())
        } else if kind == LinkKind::Link && path.ends_with(".md") && !path.starts_with('/') {
            normalize(&format!("{}{path}", Self::source_dir(doc))).map(Into::into)
        } else {
            None
        };
        if let Some(key) = content_key {
            return match self.targets.get(&*key) {
                Some(t) => {
                    let anchor = anchor.filter(|a| !a.is_empty());
                    let mut url = String::with_capacity(
                        self.base_path.len()
                            + t.path.len()
                            + suffix.len()
                            + anchor.map_or(0, |a| a.len() + 1),
                    );
                    url.push_str(self.base_path);
                    url.push_str(&t.path);
                    url.push_str(&suffix);
                    let note = self.preview_only(doc, self.absent.by_key(&key));
                    if let Some(a) = anchor {
                        url.push('#');
                        url.push_str(a);
                    }
                    // A page of the default language, linked from a translation without one:
                    // its anchors are checked where the default language links to it.
                    let foreign = t.other_language;
                    match anchor.filter(|_| !t.foreign) {
                        Some(a) => {
                            Resolved::Url(url, Some(AnchorCheck::new(&key, a)), note, foreign)
                        }
                        None => Resolved::Url(url, None, note, foreign),
                    }
                }
                None if let Some(gone) = self.absent.by_key(&key) => gone_link(dest, gone),
                None => {
                    let help = match did_you_mean(&key, self.targets.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean `@/{s}`?"),
                        None => "content links name a file under content/, e.g. @/resolutions/a-res-71-1.md".into(),
                    };
                    Resolved::Missing(
                        format!("`{dest}` links to content that does not exist"),
                        help,
                    )
                }
            };
        }
        // A site path (`/stories/`) or a file beside the content (`photo.jpg`).
        let target = if let Some(abs) = path.strip_prefix('/') {
            let abs = abs
                .strip_prefix(self.base_path.trim_start_matches('/'))
                .unwrap_or(abs);
            normalize(abs)
        } else {
            normalize(&format!("{}{path}", Self::source_dir(doc)))
        };
        let Some(target) = target else {
            return Resolved::Missing(
                format!("`{dest}` points outside the site"),
                "links may not go above the site's top folder".into(),
            );
        };
        let exists = |target: &str| {
            let page = |routes: &HashMap<String, Owner>| {
                routes.contains_key(target)
                    || routes.contains_key(&crate::routes::page_file(&with_slash(target)))
            };
            self.assets.contains_key(target)
                || page(self.routes)
                || self.fallback_routes.is_some_and(page)
        };
        // `my%20file.pdf` names `my file.pdf`: an address may be written percent-encoded (as
        // CommonMark asks for spaces), and is published as written.
        if exists(&target) || decoded(&target).is_some_and(|d| exists(&d)) {
            let anchor = anchor.map_or(String::new(), |a| format!("#{a}"));
            let note = if self.absent.is_empty() {
                None
            } else {
                let folder = crate::routes::folder_of(&target)
                    .map_or_else(|| with_slash(&target), str::to_string);
                self.preview_only(doc, self.absent.by_folder(&folder))
            };
            let url = format!("{}{target}{suffix}{anchor}", self.base_path);
            return Resolved::Url(url, None, note, false);
        }
        let folder =
            crate::routes::folder_of(&target).map_or_else(|| with_slash(&target), str::to_string);
        if let Some(gone) = self.absent.by_folder(&folder) {
            return gone_link(dest, gone);
        }
        let what = if kind == LinkKind::Image {
            "image"
        } else {
            "page or file"
        };
        let candidates = self.assets.keys().map(String::as_str);
        let wanted = decoded(&target).unwrap_or(target);
        let help = match did_you_mean(&wanted, candidates) {
            Some(s) => format!("did you mean `{}`?", self.address_of(doc, s)),
            None if kind == LinkKind::Image => {
                "put the image in the story's bundle folder (content/stories/<name>/) or in static/, and check the spelling".into()
            }
            None => "check the address; to link to another entry use its file, e.g. @/stories/launch.md".into(),
        };
        Resolved::Missing(format!("the {what} `{dest}` does not exist"), help)
    }

    /// How `doc` would write the address of the asset `key`: beside it, relative; elsewhere,
    /// from the site's top. Spaces are written `%20`, as a Markdown address needs them.
    fn address_of<M>(&self, doc: &Doc<M>, key: &str) -> String {
        let dir = Self::source_dir(doc);
        let address = match key.strip_prefix(dir.as_str()) {
            Some(rest) if !dir.is_empty() => rest.to_string(),
            _ => format!("/{key}"),
        };
        address.replace(' ', "%20")
    }

    /// The warning (and its label) for a link in `doc` to `gone`, if that is on the site
    /// only as a shown draft; none when `doc` is one too (neither is published).
    fn preview_only<M>(&self, doc: &Doc<M>, gone: Option<&Gone>) -> Option<(String, &'static str)> {
        let gone = gone.filter(|g| g.shown)?;
        let own_key = doc
            .file
            .path
            .strip_prefix("content/")
            .unwrap_or(&doc.file.path);
        if self.absent.by_key(own_key).is_some_and(|g| g.shown) {
            return None;
        }
        Some((gone.preview_only(), gone.label()))
    }

    /// The URL of an image named in front matter (relative to the entry, or `/` for the site).
    pub(super) fn asset_url<M>(&self, doc: &Doc<M>, src: &str) -> Result<String, String> {
        if has_scheme(src) && !is_local_file(src) {
            return crate::content::check_url(src).map(|_| src.to_string());
        }
        match self.resolve(doc, LinkKind::Image, src) {
            Resolved::Url(u, ..) => Ok(u),
            Resolved::Keep => Ok(src.to_string()),
            Resolved::Missing(_, help) if help.starts_with("did you mean") => Err(help),
            Resolved::Gone(message, _) => Err(message),
            Resolved::Missing(_, help) => {
                // Where the file was looked for, as paths the writer can create.
                let path = src.split(['?', '#']).next().unwrap_or(src);
                let target = match path.strip_prefix('/') {
                    Some(abs) => normalize(abs),
                    None => normalize(&format!("{}{path}", Self::source_dir(doc))),
                };
                Err(match target {
                    Some(t) if path.starts_with('/') => format!(
                        "rally looked for static/{t} and content/{t} (a path starting with \
                         `/` is from the top of the site); put the file in one of them, or \
                         check the spelling"
                    ),
                    Some(t) => format!(
                        "rally looked for content/{t} (the path is from this file's folder) \
                         and static/{t}; put the file in one of them, or check the spelling"
                    ),
                    None => help,
                })
            }
        }
    }
}

/// A link to an entry left out of the build, with the reason.
fn gone_link(dest: &str, gone: &Gone) -> Resolved {
    Resolved::Gone(
        format!("`{dest}` leads nowhere: {}", gone.sentence()),
        gone.help(),
    )
}

/// What a link leads to.
pub(super) enum Resolved {
    /// Left as written: an outside address, an anchor on the same page, or a file that
    /// failed to parse (reported already).
    Keep,
    /// New address, the heading anchor to check (its span is set by the caller), a
    /// warning when it leads to a draft shown only in this preview, and whether the page is
    /// in the default language while the text is not (a translation linking to a page that
    /// has no translation).
    Url(
        String,
        Option<AnchorCheck>,
        Option<(String, &'static str)>,
        bool,
    ),
    /// Nowhere: the message and its hint.
    Missing(String, String),
    /// To an entry left out of this build (a draft, or a file that failed, reported on its
    /// own): the message naming why, and its hint.
    Gone(String, String),
}

/// A path on the writer's computer (`C:\\Users\\...`, `file:///...`, `\\\\server\\...`): it
/// would be published as a broken link (`C:` even reads as a scheme).
fn is_local_file(dest: &str) -> bool {
    let b = dest.as_bytes();
    let drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    drive
        || dest.starts_with("\\\\")
        || dest
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
}

/// Whether an address starts with a scheme (`https:`, `mailto:`): it leads off the site.
pub(super) fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// `path` with its `%XX` escapes decoded, when it has any that decode to UTF-8.
fn decoded(path: &str) -> Option<String> {
    if !path.contains('%') {
        return None;
    }
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

fn with_slash(p: &str) -> String {
    if p.is_empty() || p.ends_with('/') {
        p.to_string()
    } else {
        format!("{p}/")
    }
}

/// Resolves `.` and `..` segments; None if the path climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    let mut s = out.join("/");
    if path.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_paths() {
        assert_eq!(
            normalize("stories/../about.md").as_deref(),
            Some("about.md")
        );
        assert_eq!(normalize("./a/b/"), Some("a/b/".into()));
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn files_on_the_writers_computer() {
        assert!(is_local_file(r"C:\Users\ana\photo.jpg"));
        assert!(is_local_file("c:/Users/ana/photo.jpg"));
        assert!(is_local_file("file:///home/ana/a.pdf"));
        assert!(is_local_file(r"\\server\share\a.pdf"));
        assert!(!is_local_file("https://example.org/"));
        assert!(!is_local_file("photo.jpg"));
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://a"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("@/stories/a.md"));
        assert!(!has_scheme("a/b:c"));
    }
}
