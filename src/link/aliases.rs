//! Aliases: the earlier addresses of an entry (`aliases: [old/path/]` in its front matter),
//! each published as a small page that sends visitors on, and listed in `_redirects`.
//!
//! An alias is an address on this site, written from the site's root (`old/path/`,
//! `/old/path/` or `old/page.html`). One that leaves the site (`../`, `//host`, a full URL)
//! or that would overwrite a page, a file or another alias is an error naming both files.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::languages::View;
use super::shape::Docs;
use super::site::Site;
use crate::content::Collection;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::routes;

/// One alias: the file written at the old address and the entry it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Redirect {
    /// The old address, from the site's root, as a visitor would type it after the base
    /// path: `old/path/` or `old/page.html`.
    pub from: String,
    /// The file the redirect page is written to: `old/path/index.html`.
    pub file: String,
    /// The entry's address, from the site's root (`stories/a/`).
    pub to: String,
    /// The content file that asked for it, its text and where the alias is in it, for
    /// messages.
    pub source: String,
    pub at: Located,
}

/// A file's text and a place in it.
pub type Located = (Arc<str>, Range<usize>);

/// An alias as written, made into an address on the site, or why it cannot be one.
pub(crate) fn normalize(alias: &str) -> Result<(String, String), String> {
    let a = alias.trim();
    if a.is_empty() {
        return Err("this alias is empty".into());
    }
    if a.starts_with("//")
        || a.contains("://")
        || a.split('/').next().is_some_and(|s| s.contains(':'))
    {
        return Err(format!(
            "`{a}` is not an address on this site: an alias is written from the site's root, such as `old/path/`"
        ));
    }
    if let Some(c) = a.chars().find(|c| {
        matches!(
            c,
            '\\' | '?' | '#' | '%' | '"' | '<' | '>' | '`' | '|' | '^' | '{' | '}' | '*'
        ) || c.is_whitespace()
            || c.is_control()
    }) {
        return Err(format!(
            "the alias `{}` has a `{}`, which an address of a page cannot: use letters, digits, `-`, `_`, `.` and `/`",
            a.escape_debug(),
            c.escape_debug()
        ));
    }
    let rest = a.trim_start_matches('/');
    let folder = rest.is_empty() || rest.ends_with('/');
    let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err(format!(
            "the alias `{a}` leaves the site's folder (`.` or `..`): write the old address from the site's root, such as `old/path/`"
        ));
    }
    if parts.is_empty() {
        return Err(format!("the alias `{a}` is the home page's address"));
    }
    let joined = parts.join("/");
    let last = parts.last().copied().unwrap_or_default();
    let ext = (!folder)
        .then(|| last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()))
        .flatten();
    match ext.as_deref() {
        None => {
            let from = format!("{joined}/");
            Ok((routes::page_file(&from), from))
        }
        Some("html" | "htm") => Ok((joined.clone(), joined)),
        Some(other) => Err(format!(
            "the alias `{a}` ends in `.{other}`: rally writes an alias as a page, so it can be a folder (`old/path/`) or an `.html` file; a redirect for any other old file can go in `static/_redirects`"
        )),
    }
}

/// The redirects of the entries this language's site publishes, each checked against the
/// pages and files it would overwrite (`taken`: output file → who writes it) and the other
/// aliases. Run before the bodies are rendered, while the files' text is there to point at.
pub(super) fn collect(
    (stories, resolutions, partners, pages): Docs,
    view: &View,
    taken: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Redirect>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut out: Vec<Redirect> = Vec::new();
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut each = |aliases: &[String], place: Place| {
        for alias in aliases {
            let at = |message: String| place.error_at(alias, message);
            let (file, from) = match normalize(alias) {
                Ok(f) => f,
                Err(why) => {
                    diags.push(at(why).help(
                        "list the entry's earlier addresses under `aliases:`, one per line, such as `- old/path/`",
                    ));
                    continue;
                }
            };
            if let Some(owner) = taken(&file) {
                diags.push(at(format!("the alias `{alias}` is the address of {owner}")).help(
                    "an alias must be an address nothing else uses: remove it, or move the other page",
                ));
                continue;
            }
            if let Some((other, other_alias)) = seen.get(&file) {
                diags.push(
                    at(format!(
                        "the alias `{alias}` is also an alias in {other} (`{other_alias}`)"
                    ))
                    .help("one old address can lead to one entry only: remove one of the two"),
                );
                continue;
            }
            seen.insert(file.clone(), (place.source.to_string(), alias.clone()));
            out.push(Redirect {
                from,
                file,
                to: place.path.clone(),
                source: place.source.to_string(),
                at: (place.at)(alias),
            });
        }
    };
    macro_rules! entries {
        ($docs:expr, $c:expr) => {
            for d in $docs
                .iter()
                .filter(|d| view.owns(&***d) && !d.meta.aliases.is_empty())
            {
                let place = Place {
                    path: routes::entry(view.prefix_of(&**d), $c, &d.id),
                    source: &d.file.path,
                    error_at: &|alias: &str, message: String| d.error_at("aliases", alias, message),
                    at: &|alias: &str| (d.file.text.clone(), d.locate("aliases", alias)),
                };
                each(&d.meta.aliases, place);
            }
        };
    }
    entries!(stories, Collection::Stories);
    entries!(resolutions, Collection::Resolutions);
    entries!(partners, Collection::Partners);
    entries!(pages, Collection::Pages);
    (out, diags)
}

/// An entry with aliases, whatever its collection.
struct Place<'a> {
    /// Its page's address.
    path: String,
    source: &'a str,
    error_at: &'a dyn Fn(&str, String) -> Diagnostic,
    /// The file's text and the alias's place in it.
    at: &'a dyn Fn(&str) -> Located,
}

impl Place<'_> {
    fn error_at(&self, alias: &str, message: String) -> Diagnostic {
        (self.error_at)(alias, message)
    }
}

/// The aliases of every language together: two languages' files naming one old address, or
/// an alias that is another language's page, are errors too.
pub(super) fn across_languages(sites: &[Site]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if sites.len() < 2 || sites.iter().all(|s| s.redirects.is_empty()) {
        return diags;
    }
    let error = |r: &Redirect, message: String, help: &str| {
        Diagnostic::error(message)
            .at(&r.source, &r.at.0, r.at.1.clone())
            .help(help.to_string())
    };
    let mut seen: BTreeMap<&str, &Redirect> = BTreeMap::new();
    for (l, site) in sites.iter().enumerate() {
        for r in site.redirects.iter() {
            if let Some(first) = seen.get(r.file.as_str()) {
                if first.source != r.source {
                    diags.push(error(
                        r,
                        format!(
                            "the alias `{}` is also an alias in {}",
                            r.from, first.source
                        ),
                        "one old address can lead to one entry only: remove one of the two",
                    ));
                }
                continue;
            }
            seen.insert(&r.file, r);
            let Some(folder) = routes::folder_of(&r.file) else {
                continue;
            };
            for (_, other) in sites.iter().enumerate().filter(|(m, _)| *m != l) {
                if other.page_folders.iter().any(|f| f == folder) {
                    let owner = page_source(other, folder).map_or_else(
                        || format!("a page of the `{}` site", other.lang.code),
                        |file| file.to_string(),
                    );
                    diags.push(error(
                        r,
                        format!("the alias `{}` is the address of {owner}", r.from),
                        "an alias must be an address nothing else uses: remove it, or move the other page",
                    ));
                }
            }
        }
    }
    diags
}

/// The content file of the entry whose page is at `folder`, if an entry's.
fn page_source<'a>(site: &'a Site, folder: &str) -> Option<&'a str> {
    fn find<'a, M>(entries: &'a [super::Entry<M>], folder: &str) -> Option<&'a str> {
        entries
            .iter()
            .find(|e| &*e.path == folder)
            .map(|e| e.doc.file.path.as_str())
    }
    find(&site.stories, folder)
        .or_else(|| find(&site.resolutions, folder))
        .or_else(|| find(&site.partners, folder))
        .or_else(|| find(&site.pages, folder))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn aliases_are_addresses_on_the_site() {
        let ok = |a: &str| normalize(a).expect(a);
        assert_eq!(
            ok("old/path/"),
            ("old/path/index.html".into(), "old/path/".into())
        );
        assert_eq!(
            ok("/old/path"),
            ("old/path/index.html".into(), "old/path/".into())
        );
        assert_eq!(
            ok("old/page.html"),
            ("old/page.html".into(), "old/page.html".into())
        );
        assert_eq!(ok("index.html"), ("index.html".into(), "index.html".into()));
        assert_eq!(
            ok("2019/news.v2/"),
            ("2019/news.v2/index.html".into(), "2019/news.v2/".into())
        );
        for bad in [
            "",
            " ",
            "/",
            "//",
            "../x/",
            "a/../../x",
            "./a",
            "//evil.example/x",
            "https://evil.example/",
            "javascript:alert(1)",
            "mailto:a@b",
            "a\\b",
            "a?b=1",
            "a#top",
            "a b/",
            "a\nb",
            "old/file.pdf",
            "a%2F..%2Fb",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
