//! The main menu: the `menu:` of `site.yaml` (content links resolved, site paths under the
//! base path) or, without one, the three lists and the pages that have a `menu_weight`.

use rustc_hash::FxHashMap as HashMap;

use super::Entry;
use super::routes::Target;
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

/// The main menu's links; a content link to nothing is an error at its line of `site.yaml`.
pub(super) fn menu(
    sources: &Sources,
    targets: &HashMap<String, Target>,
    pages: &[Entry<Page>],
    base_path: &str,
    diags: &mut Diagnostics,
) -> Vec<MenuLink> {
    match &sources.config.menu {
        Some(items) => items
            .iter()
            .map(|m| {
                let url = if m.url.starts_with("@/") {
                    match targets.get(&m.url[2..]) {
                        Some(t) => format!("{base_path}{}", t.path),
                        None => {
                            let start = sources.config_file.text.find(&m.url).unwrap_or(0);
                            diags.push(
                                Diagnostic::error(format!("the menu links to `{}`, which does not exist", m.url))
                                    .at(&sources.config_file.path, &sources.config_file.text, start..start + m.url.len())
                                    .help("menu links to content use its path under content/, e.g. @/about.md"),
                            );
                            String::new()
                        }
                    }
                } else if let Some(p) = m.url.strip_prefix('/') {
                    format!("{base_path}{p}")
                } else {
                    m.url.clone()
                };
                MenuLink {
                    name: m.name.clone(),
                    url,
                    highlight: m.highlight,
                }
            })
            .collect(),
        None => {
            let mut m = vec![
                MenuLink { name: "Stories".into(), url: format!("{base_path}stories/"), highlight: false },
                MenuLink { name: "Resolutions".into(), url: format!("{base_path}resolutions/"), highlight: false },
                MenuLink { name: "Partners".into(), url: format!("{base_path}partners/"), highlight: false },
            ];
            let mut weighted: Vec<&Entry<Page>> =
                pages.iter().filter(|p| p.doc.meta.menu_weight.is_some()).collect();
            weighted.sort_by_key(|p| (p.doc.meta.menu_weight, p.doc.id.clone()));
            m.extend(weighted.into_iter().map(|p| MenuLink {
                name: p.doc.meta.title.clone(),
                url: format!("{base_path}{}", p.path),
                highlight: false,
            }));
            m
        }
    }
}
