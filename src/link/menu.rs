//! The main menu: the `menu:` of `site.yaml` (content links resolved, site paths under the
//! base path) or, without one, the three lists and the pages that have a `menu_weight`.

use super::Entry;
use super::resolve::LinkCtx;
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Sources;

/// A link of the main menu.
#[derive(Debug, Clone)]
pub struct MenuLink {
    pub name: String,
    pub url: String,
    pub highlight: bool,
}

/// What the footer links to, resolved: every key of `footer:` that is set (and the sign-up
/// page only while the sign-up form has an endpoint).
#[derive(Debug, Clone, Default, Hash)]
pub struct FooterLinks {
    /// (name, url) of the coordinating organisation.
    pub coordinator: Option<(String, String)>,
    pub contact_email: Option<String>,
    pub privacy: Option<String>,
    pub licence: Option<(String, String)>,
    pub social: Vec<(String, String)>,
    pub newsletter: Option<String>,
}

/// The footer's links; a content link to nothing is an error at its line of `site.yaml`.
pub(super) fn footer(sources: &Sources, ctx: &LinkCtx, diags: &mut Diagnostics) -> FooterLinks {
    let f = &sources.config.footer;
    let mut url = |u: &str, what: &str| resolve(sources, ctx, u, what, diags);
    let mut named = |l: &crate::config::FooterLink, what: &str| (l.name.clone(), url(&l.url, what));
    let coordinator = f
        .coordinator
        .as_ref()
        .map(|l| named(l, "the footer's coordinator"));
    let licence = f.licence.as_ref().map(|l| named(l, "the footer's licence"));
    let social = f
        .social
        .iter()
        .map(|l| named(l, "a footer social link"))
        .collect();
    let privacy = f
        .privacy
        .as_deref()
        .map(|u| url(u, "the footer's privacy page"));
    let signup_open = sources.config.forms.signup.endpoint.is_some();
    let newsletter = (f.newsletter.as_deref())
        .map(|u| url(u, "the footer's sign-up page"))
        .filter(|_| signup_open);
    FooterLinks {
        coordinator,
        contact_email: f.contact_email.clone(),
        privacy,
        licence,
        social,
        newsletter,
    }
}

/// A link of site.yaml: a content file (`@/about.md`) becomes its page's address in this
/// language (else the default language's), a site path gets the base path in front (and
/// this language's folder, when the language has that page), anything else (an https
/// address) is kept.
fn resolve(
    sources: &Sources,
    ctx: &LinkCtx,
    url: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> String {
    let base_path = ctx.base_path;
    if let Some(key) = url.strip_prefix("@/") {
        let (key, fragment) = match key.split_once('#') {
            Some((k, f)) => (k, format!("#{f}")),
            None => (key, String::new()),
        };
        match ctx.targets.get(key) {
            Some(t) => format!("{base_path}{}{fragment}", t.path),
            None => {
                let text = &sources.config_file.text;
                let start = text.find(url).unwrap_or(0);
                diags.push(
                    Diagnostic::error(format!("{what} links to `{url}`, which does not exist"))
                        .at(&sources.config_file.path, text, start..start + url.len())
                        .help("links to content use its path under content/, e.g. @/about.md"),
                );
                String::new()
            }
        }
    } else if let Some(p) = url.strip_prefix('/') {
        let prefix = &ctx.view.lang.prefix;
        let translated = format!("{prefix}{p}");
        let here = ctx.routes.contains_key(&translated)
            || ctx
                .routes
                .contains_key(&crate::routes::page_file(&translated));
        if !prefix.is_empty() && (p.is_empty() || here) {
            format!("{base_path}{translated}")
        } else {
            format!("{base_path}{p}")
        }
    } else {
        url.to_string()
    }
}

/// The main menu's links; a content link to nothing is an error at its line of `site.yaml`.
pub(super) fn menu(
    sources: &Sources,
    ctx: &LinkCtx,
    pages: &[Entry<Page>],
    diags: &mut Diagnostics,
) -> Vec<MenuLink> {
    let base_path = format!("{}{}", ctx.base_path, ctx.view.lang.prefix);
    match super::languages::menu_of(&sources.config, ctx.view) {
        Some(items) => items
            .iter()
            .map(|m| {
                let url = resolve(sources, ctx, &m.url, "the menu", diags);
                MenuLink {
                    name: m.name.clone(),
                    url,
                    highlight: m.highlight,
                }
            })
            .collect(),
        None => {
            let mut m = vec![
                MenuLink {
                    name: "Stories".into(),
                    url: format!("{base_path}stories/"),
                    highlight: false,
                },
                MenuLink {
                    name: "Resolutions".into(),
                    url: format!("{base_path}resolutions/"),
                    highlight: false,
                },
                MenuLink {
                    name: "Partners".into(),
                    url: format!("{base_path}partners/"),
                    highlight: false,
                },
            ];
            let mut weighted: Vec<&Entry<Page>> = pages
                .iter()
                .filter(|p| p.doc.meta.menu_weight.is_some())
                .collect();
            weighted.sort_by_key(|p| (p.doc.meta.menu_weight, p.doc.id.clone()));
            m.extend(weighted.into_iter().map(|p| MenuLink {
                name: p.doc.meta.title.clone(),
                url: format!("{}{}", ctx.base_path, p.path),
                highlight: false,
            }));
            m
        }
    }
}
