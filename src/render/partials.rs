//! Partials: the theme's `partials/<name>.html`, rendered once per build (or once per menu)
//! instead of once per page.

use std::sync::RwLock;

use rustc_hash::FxHashMap as HashMap;
use tera::{Context, Tera, Value};

use super::deps::TemplateInfoRef;
use super::errors::{RenderError, template_error};
use super::globals::GLOBAL_NAMES;
use crate::diagnostics::Diagnostics;
use crate::link::hash_one;

/// The theme's partials (`partials/<name>.html`), rendered once for the whole build with `site`
/// and the other globals but no page, and printed as `partials.<name>`: what is the same on
/// every page is written once instead of once per page (the campaign theme's footer was 3 %
/// of a build). A partial that reads `menu` is rendered once per distinct main menu (the
/// menu marks the current page and section: a site has a handful), when a page with that
/// menu first needs it.
pub(super) struct Partials<'a> {
    /// The partials that do not read `menu`: Tera's global `partials`.
    pub(super) fixed: tera::Map,
    /// The names of those that do.
    per_menu: Vec<&'a str>,
    /// Per menu (each item's `current`, as
    /// [`menu_states`](super::context::menu_states) gives it): all the partials as the pages
    /// with that menu print them.
    by_menu: RwLock<HashMap<Vec<u8>, Value>>,
    /// Per partial: of its output, or for one that reads the menu, of its template and what
    /// it reads. The pages that print it depend on it.
    hashes: HashMap<&'a str, u64>,
}

impl<'a> Partials<'a> {
    pub(super) fn render(
        tera: &Tera,
        site_value: &Value,
        t: &TemplateInfoRef<'a>,
        global_hashes: &[u64],
    ) -> Result<Partials<'a>, Diagnostics> {
        let mut names: Vec<&str> = t
            .templates
            .iter()
            .map(|f| f.path.strip_prefix("theme/").unwrap_or(&f.path))
            .filter(|n| n.starts_with("partials/") && n.ends_with(".html"))
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        let mut fixed = tera::Map::new();
        let mut per_menu = Vec::new();
        let mut hashes = HashMap::default();
        let mut diags = Diagnostics::new();
        for name in names {
            let vars = tera.get_template_variables(name).unwrap_or_default();
            if vars.contains("menu") {
                // Hashed by what it is made of: the template, and the globals it reads
                // (`menu`'s hash stands for the site's menu; the page's address, which picks
                // the variant, is in every page's fingerprint).
                let (chain, _) = t.info.chains.get(name).copied().unwrap_or((0, true));
                let read: Vec<u64> = GLOBAL_NAMES
                    .iter()
                    .zip(global_hashes)
                    .filter(|(n, _)| vars.contains(*n))
                    .map(|(_, h)| *h)
                    .collect();
                hashes.insert(
                    partial_key(name),
                    hash_one(&(chain, t.info.components, read)),
                );
                per_menu.push(name);
                continue;
            }
            match tera.render(name, &ctx) {
                Ok(html) => {
                    hashes.insert(partial_key(name), hash_one(&html));
                    fixed.insert(
                        partial_key(name).to_string().into(),
                        Value::safe_string(html.trim()),
                    );
                }
                Err(e) => diags.push(
                    template_error(
                        &e,
                        t.templates,
                        t.theme_label,
                        &format!("the partial {name}"),
                    )
                    .diagnostic,
                ),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Partials {
            fixed,
            per_menu,
            by_menu: RwLock::new(HashMap::default()),
            hashes,
        })
    }

    /// What a template that prints the partials `names` depends on (all of them when it is
    /// not known which).
    pub(super) fn hash_of(&self, names: Option<&Vec<String>>) -> u64 {
        match names {
            Some(names) if !names.iter().any(|n| n == "*") => hash_one(
                &names
                    .iter()
                    .map(|n| (n, self.hashes.get(n.as_str())))
                    .collect::<Vec<_>>(),
            ),
            _ => {
                let mut all: Vec<_> = self.hashes.iter().collect();
                all.sort_unstable();
                hash_one(&all)
            }
        }
    }

    /// The partials as a page whose menu is `menu` (with `states`) prints them, when some of
    /// them read the menu.
    pub(super) fn for_menu(
        &self,
        states: &[u8],
        menu: impl FnOnce() -> Value,
        tera: &Tera,
        site_value: &Value,
        t: &TemplateInfoRef,
    ) -> Result<Option<Value>, RenderError> {
        if self.per_menu.is_empty() {
            return Ok(None);
        }
        if let Some(v) = self
            .by_menu
            .read()
            .ok()
            .and_then(|m| m.get(states).cloned())
        {
            return Ok(Some(v));
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert_value("menu", menu());
        let mut all = self.fixed.clone();
        for name in &self.per_menu {
            let html = tera.render(name, &ctx).map_err(|e| {
                template_error(
                    &e,
                    t.templates,
                    t.theme_label,
                    &format!("the partial {name}"),
                )
            })?;
            all.insert(
                partial_key(name).to_string().into(),
                Value::safe_string(html.trim()),
            );
        }
        let value = Value::from(all);
        if let Ok(mut m) = self.by_menu.write() {
            m.insert(states.to_vec(), value.clone());
        }
        Ok(Some(value))
    }
}

/// `partials/a/b.html` → `a/b`, its name in `partials`.
fn partial_key(name: &str) -> &str {
    name.strip_prefix("partials/")
        .and_then(|n| n.strip_suffix(".html"))
        .unwrap_or(name)
}
