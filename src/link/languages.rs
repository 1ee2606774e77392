//! One site per language. The default language's entries are linked first, as a site of
//! its own; each other language is then linked as a site of its translations, with the
//! default language to fall back on:
//!
//! - its stories are its translations only: its story lists, tags and feed hold what exists
//!   in that language;
//! - its resolutions, partners and pages are every one of them, each translated where a
//!   translation exists and otherwise the default language's, which keeps its own address:
//!   standards and partners are reference lists that every language shows whole, and the
//!   theme's links to pages (the menu, "Take action") lead somewhere in every language;
//! - a link or reference to an entry with no translation leads to the default language's
//!   page (`foreign` targets).
//!
//! Which page exists in which language ([`Langs`]) is known once every language is linked;
//! render reads it for `hreflang` links and the language switcher.

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use super::shape::Tables;
use super::{LinkMemo, Site};
use crate::config::{Language, SiteConfig};
use crate::content::{Content, Doc};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::BuildOptions;
use crate::load::Sources;
use crate::routes;

/// The language a site is linked in.
#[derive(Debug, Clone)]
pub struct View {
    pub lang: Language,
    /// Whether it is the default language (at the site's root).
    pub default: bool,
}

impl View {
    /// The code of the entries native to this view: None for the default language's.
    pub(super) fn code(&self) -> Option<&str> {
        (!self.default).then_some(&*self.lang.code)
    }

    /// Whether `doc` is this language's own (else it is the default language's, shown here
    /// in its stead).
    pub(super) fn owns<M>(&self, doc: &Doc<M>) -> bool {
        doc.lang() == self.code()
    }

    /// Whether this language reports `d`: not when it is about a default-language file (an
    /// entry shown here in its stead, whose page is the default language's), which the
    /// default language reports if it is a problem there. Without this, such a problem
    /// would be reported once per language, or (a link in an untranslated page to a heading
    /// that a translation renamed) fail a language for a page it does not publish.
    pub(super) fn reports(&self, d: &Diagnostic) -> bool {
        self.default
            || d.file.as_deref().is_none_or(|f| {
                f == crate::config::CONFIG_FILE
                    || crate::content::translations::split_code(f).is_some()
            })
    }

    /// The folder prefix of `doc`'s page: this language's for its own entries, the root for
    /// the default language's.
    pub(super) fn prefix_of<M>(&self, doc: &Doc<M>) -> &str {
        if self.owns(doc) {
            &self.lang.prefix
        } else {
            ""
        }
    }
}

/// Which pages exist in which language: for the `hreflang` links and the language switcher.
#[derive(Debug, Default)]
pub struct Langs {
    pub all: Vec<Language>,
    /// Per language, the page folders it publishes, without its prefix (`stories/a/`).
    pub pages: Vec<HashSet<String>>,
    /// A hash of all of it: pages that show alternates depend on it.
    pub hash: u64,
    /// Every language's aliases, by old address: `_redirects` lists them all.
    pub redirects: Vec<super::aliases::Redirect>,
}

impl Langs {
    /// The languages (by index) the page at `folder` (without prefix) exists in.
    pub fn of<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.all.len()).filter(move |&l| self.pages[l].contains(folder))
    }
}

/// Per language, the entries it links: see the module's comment. Translations in a language
/// the site does not declare, or in the default language, are errors.
fn split(content: Content, config: &SiteConfig, diags: &mut Diagnostics) -> Vec<Content> {
    let langs = config.languages();
    let declared: Vec<&str> = langs.iter().map(|l| &*l.code).collect();
    let mut views: Vec<Content> = (0..langs.len())
        .map(|_| Content {
            broken: content.broken.clone(),
            ..Content::default()
        })
        .collect();
    let mut undeclared = |d: &dyn DocInfo| {
        let code = d.code().unwrap_or_default();
        diags.push(crate::content::translations::undeclared(
            code,
            d.path(),
            d.text(),
            &declared,
        ));
    };
    // Which translations each language has, to leave out the default language's entry.
    macro_rules! split_collection {
        ($docs:expr, $field:ident, $whole:expr) => {{
            let mut translated: HashSet<(usize, &str)> = HashSet::default();
            for d in &$docs {
                if let Some(code) = d.lang() {
                    match declared.iter().position(|c| *c == code) {
                        Some(l) if l > 0 => {
                            translated.insert((l, d.id.as_str()));
                        }
                        _ => undeclared(&**d),
                    }
                }
            }
            for d in &$docs {
                match d.lang() {
                    None => {
                        views[0].$field.push(d.clone());
                        if $whole {
                            for (l, view) in views.iter_mut().enumerate().skip(1) {
                                if !translated.contains(&(l, d.id.as_str())) {
                                    view.$field.push(d.clone());
                                }
                            }
                        }
                    }
                    Some(code) => {
                        if let Some(l) = declared.iter().position(|c| *c == code)
                            && l > 0
                        {
                            views[l].$field.push(d.clone());
                        }
                    }
                }
            }
        }};
    }
    split_collection!(content.stories, stories, false);
    split_collection!(content.resolutions, resolutions, true);
    split_collection!(content.partners, partners, true);
    split_collection!(content.pages, pages, true);
    // A partner with translated fields (`translations:`, or `description.es` columns) is a
    // translated entry in those languages, with a page of its own there.
    for p in &content.partners {
        for code in p.meta.translations.keys() {
            if !declared[1..].contains(&code.as_str()) {
                diags.push(
                    p.error_at(
                        "translations",
                        code,
                        format!("`{code}` is not one of the site's other languages"),
                    )
                    .help(format!(
                        "translated fields are given in the site's other languages ({}); add `{code}` to \
                         `languages:` in site.yaml, or correct the code",
                        declared[1..].join(", ")
                    )),
                );
            }
        }
    }
    for (l, view) in views.iter_mut().enumerate().skip(1) {
        let code = &langs[l].code;
        for p in view.partners.iter_mut() {
            if p.lang().is_none()
                && let Some(meta) = p.meta.translated(code)
            {
                *p = Arc::new(Doc {
                    meta,
                    shape: Default::default(),
                    translation: Some(Arc::new(crate::content::Translation {
                        code: code.clone(),
                        original: Some(p.file.path.clone()),
                        translated_from: None,
                        inherited: Vec::new(),
                    })),
                    ..(**p).clone()
                });
            }
        }
    }
    views
}

/// What [`split`]'s messages need of any entry.
trait DocInfo {
    fn code(&self) -> Option<&str>;
    fn path(&self) -> &str;
    fn text(&self) -> &Arc<str>;
}

impl<M> DocInfo for Doc<M> {
    fn code(&self) -> Option<&str> {
        self.lang()
    }
    fn path(&self) -> &str {
        &self.file.path
    }
    fn text(&self) -> &Arc<str> {
        &self.file.text
    }
}

/// Links the site in each of its languages: the default first (see the module's comment).
/// `memos` holds one memo per language, the default's first.
pub fn link_all(
    sources: &Sources,
    content: Content,
    options: &BuildOptions,
    mut memos: Vec<&mut LinkMemo>,
) -> Result<(Vec<Site>, Diagnostics), Diagnostics> {
    let config = &sources.config;
    let langs = config.languages();
    let mut diags = Diagnostics::new();
    let views = split(content, config, &mut diags);
    let mut sites = Vec::with_capacity(langs.len());
    let mut failed = Diagnostics::new();
    let mut fallback: Option<Arc<Tables>> = None;
    for ((l, content), memo) in views.into_iter().enumerate().zip(memos.iter_mut()) {
        if l > 0 && fallback.is_none() {
            // Without the default language's tables, every link to it would look broken:
            // its own errors are the ones to fix first.
            break;
        }
        let view = View {
            lang: langs[l].clone(),
            default: l == 0,
        };
        let r = super::link(sources, content, options, memo, &view, fallback.as_deref());
        match r {
            Ok((site, warnings, tables)) => {
                // A warning about the site's settings (a form without an endpoint) comes
                // once, from the default language, not once per translated page.
                let said: HashSet<String> = if l == 0 {
                    HashSet::default()
                } else {
                    diags.iter().map(|d| d.message.clone()).collect()
                };
                let new = |d: &Diagnostic| d.is_error() || !said.contains(&d.message);
                diags.extend(warnings.0.into_iter().filter(new));
                sites.push(site);
                if l == 0 {
                    fallback = Some(tables);
                }
            }
            Err(errs) => failed.extend(errs.0),
        }
    }
    if !failed.0.is_empty() || diags.has_errors() {
        failed.extend(diags.0);
        dedup(&mut failed);
        return Err(failed);
    }
    let alias_diags = super::aliases::across_languages(&sites);
    if alias_diags.has_errors() {
        failed.extend(alias_diags.0);
        failed.extend(diags.0);
        dedup(&mut failed);
        return Err(failed);
    }
    dedup(&mut diags);
    let langs = Arc::new(published(&sites));
    for site in &mut sites {
        site.langs = langs.clone();
    }
    Ok((sites, diags))
}

/// The same problem found in several languages (a menu link of site.yaml) is reported once.
fn dedup(diags: &mut Diagnostics) {
    let mut seen: HashSet<(Option<String>, std::ops::Range<usize>, String)> = HashSet::default();
    diags
        .0
        .retain(|d| seen.insert((d.file.clone(), d.span.clone(), d.message.clone())));
}

/// Which page folders each language publishes.
fn published(sites: &[Site]) -> Langs {
    let mut pages: Vec<HashSet<String>> = Vec::with_capacity(sites.len());
    let mut h: u64 = 0;
    for site in sites {
        let prefix = site.lang.prefix.as_str();
        let set: HashSet<String> = site
            .page_folders
            .iter()
            .map(|f| f.strip_prefix(prefix).unwrap_or(f).to_string())
            .collect();
        for f in &set {
            h ^= super::hash_one(&(f, &site.lang.code));
        }
        pages.push(set);
    }
    let mut redirects: Vec<super::aliases::Redirect> = sites
        .iter()
        .flat_map(|s| s.redirects.iter().cloned())
        .collect();
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    Langs {
        all: sites.iter().map(|s| s.lang.clone()).collect(),
        pages,
        hash: h,
        redirects,
    }
}

/// The folder of a page file in the routes table, for [`Site::page_folders`].
pub(super) fn folders<'a>(files: impl Iterator<Item = &'a String>) -> Vec<String> {
    files
        .filter_map(|f| routes::folder_of(f))
        .map(str::to_string)
        .collect()
}

/// A language's own menu, else the site's.
pub(super) fn menu_of<'a>(
    config: &'a SiteConfig,
    view: &'a View,
) -> Option<&'a Vec<crate::config::MenuItem>> {
    view.lang.menu.as_ref().or(config.menu.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_reports_its_own_files_only() {
        let mut es = Language::single("es");
        es.prefix = "es/".into();
        let es = View {
            lang: es,
            default: false,
        };
        assert_eq!(es.code(), Some("es"));
        let about = |path: &str| Diagnostic::error("x").in_file(path);
        assert!(es.reports(&about("content/about.es.md")));
        assert!(es.reports(&about("site.yaml")));
        assert!(es.reports(&Diagnostic::error("no file")));
        // The default language's file: the default language reports it.
        assert!(!es.reports(&about("content/about.md")));
        let en = View {
            lang: Language::single("en"),
            default: true,
        };
        assert_eq!(en.code(), None);
        assert!(en.reports(&about("content/about.md")));
    }
}
