//! Compiling the templates into a Tera engine with rally's functions (`get_entry`, `url_for`).

use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap as HashMap;
use tera::{Context, Kwargs, State, Tera, Value};

use super::errors::template_error;
use super::filters::register_helpers;
use super::ui::{self, StringsCell};
use super::values::{Values, ids};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::{Site, hash_one};
use crate::load::SourceText;

/// The compiled templates, kept in the memo with the hash of what they were compiled from.
pub(super) struct Compiled {
    /// Of the templates' names and versions, the theme and the base path.
    key: u64,
    pub(super) tera: Arc<Tera>,
    /// What `get_entry` looks entries up in.
    index: EntryIndex,
    /// What `t()` formats with.
    strings: StringsCell,
}

impl Compiled {
    /// The compiled templates: the memo's while the templates and the base path are unchanged.
    /// Taken out of the memo (and put back when the pages are done) so that this build's
    /// globals can be set as Tera's global context without copying the compiled templates.
    ///
    /// Each language has its own: `{{ UI.name }}` is replaced by the string's text, escaped,
    /// before compiling (see [`ui::inline`]), so the theme's fixed words cost nothing per page.
    pub(super) fn take(
        site: &Site,
        templates: &[SourceText],
        theme_label: &str,
        (strings, lang): (&crate::strings::Strings, &str),
        memo: &mut Option<Compiled>,
    ) -> Result<Compiled, Diagnostics> {
        let key = hash_one(&(
            templates
                .iter()
                .map(|t| (&t.path, t.version))
                .collect::<Vec<_>>(),
            theme_label,
            &site.base_path,
            &*site.fingerprints,
            strings.hash,
            lang,
        ));
        let strings_now = strings;
        let mut compiled = match memo.take() {
            Some(c) if c.key == key => c,
            _ => {
                let index = EntryIndex::default();
                let strings = StringsCell::default();
                let plain = ui::plain_escaped(strings_now, lang);
                let tera = Arc::new(build_tera(
                    site,
                    index.clone(),
                    strings.clone(),
                    (templates, &plain),
                    theme_label,
                )?);
                Compiled {
                    key,
                    tera,
                    index,
                    strings,
                }
            }
        };
        // Cards and embeds render before this build's globals exist: they must not see the
        // last build's (a template that reads one fails in every build, not only in the first).
        *compiled.globals() = Context::new();
        Ok(compiled)
    }

    /// Tera's global context, where this build's globals go.
    pub(super) fn globals(&mut self) -> &mut Context {
        Arc::make_mut(&mut self.tera).global_context()
    }

    /// Gives `t()` this build's strings and the language being rendered.
    pub(super) fn set_strings(&self, strings: &Arc<crate::strings::Strings>, lang: &str) {
        if let Ok(mut cell) = self.strings.write() {
            *cell = (strings.clone(), lang.to_string());
        }
    }

    /// Gives `get_entry` this build's entries.
    pub(super) fn index(&self, site: &Site, values: &Values, templates: &[SourceText]) {
        // Only templates that call get_entry need the index: skip building it otherwise.
        let entries = if templates.iter().any(|t| t.text.contains("get_entry")) {
            entry_index(site, values)
        } else {
            HashMap::default()
        };
        if let Ok(mut i) = self.index.write() {
            *i = entries;
        }
    }
}

/// Compiles the templates alone, to report their syntax errors when the content has errors
/// too (so that one build shows every problem).
pub fn check_templates(templates: &[SourceText], theme_label: &str) -> Vec<Diagnostic> {
    let mut tera = Tera::new();
    if tera.set_fallback_prefixes(["theme/"]).is_err() {
        return vec![];
    }
    register_helpers(&mut tera);
    tera.register_function("get_entry", |_: Kwargs, _: &State| Value::none());
    tera.register_function("url_for", |_: Kwargs, _: &State| String::new());
    tera.register_function("t", |_: Kwargs, _: &State| String::new());
    let named: Vec<(String, &str)> = templates
        .iter()
        .map(|t| (t.path.clone(), t.text.as_ref()))
        .collect();
    match tera.add_raw_templates(named) {
        Ok(()) => vec![],
        Err(e) => vec![template_error(&e, templates, theme_label, "").diagnostic],
    }
}

/// Entries by (collection, id), for `get_entry`; filled once the values exist.
type EntryIndex = Arc<RwLock<HashMap<(String, String), Value>>>;

fn build_tera(
    site: &Site,
    index: EntryIndex,
    strings: StringsCell,
    (templates, plain): (&[SourceText], &ui::Plain),
    theme_label: &str,
) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    let internal = |e: tera::Error| {
        Diagnostics::from(Diagnostic::error(format!(
            "internal template setup error: {e}"
        )))
    };
    tera.set_fallback_prefixes(["theme/"]).map_err(internal)?;
    register_helpers(&mut tera);

    tera.register_function("get_entry", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let collection: &str = kwargs.must_get("collection")?;
        let id: &str = kwargs.must_get("id")?;
        index
            .read()
            .ok()
            .and_then(|i| i.get(&(collection.to_string(), id.to_string())).cloned())
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "get_entry: there is no entry `{id}` in `{collection}` (collections: stories, resolutions, partners, pages)"
                ))
            })
    });
    ui::register(&mut tera, strings);
    let base = site.base_path.clone();
    // A fingerprinted stylesheet or script is addressed by its published name.
    let prints = site.fingerprints.clone();
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            let path = prints.get(path).map_or(path, String::as_str);
            Ok(format!("{base}{path}"))
        },
    );

    let named: Vec<(String, std::borrow::Cow<str>)> = templates
        .iter()
        .map(|t| (t.path.clone(), ui::inline(&t.text, plain)))
        .collect();
    tera.add_raw_templates(named).map_err(|e| {
        Diagnostics::from(template_error(&e, templates, theme_label, "").diagnostic)
    })?;
    Ok(tera)
}

fn entry_index(site: &Site, values: &Values) -> HashMap<(String, String), Value> {
    let mut index = HashMap::default();
    let mut add = |name: &str, ids: Vec<&str>, vals: &[Value]| {
        for (id, v) in ids.into_iter().zip(vals) {
            index.insert((name.to_string(), id.to_string()), v.clone());
        }
    };
    add("stories", ids(&site.stories), &values.stories);
    add("resolutions", ids(&site.resolutions), &values.resolutions);
    add("partners", ids(&site.partners), &values.partners);
    add("pages", ids(&site.pages), &values.pages);
    index
}
