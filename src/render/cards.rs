//! Cards: each entry's `cards/<kind>.html`, rendered once into its value for every list that
//! shows it.

use std::hash::{Hash, Hasher};

use tera::{Tera, Value};

use super::deps::TemplateInfoRef;
use super::errors::{RenderError, template_error, template_path};
use crate::content::Collection;
use crate::diagnostics::Diagnostic;

/// The theme's card templates, each rendered once per entry into the entry's `card`, so that
/// list pages print a card instead of writing it out again on every page that lists the
/// entry (at 10,000 stories the lists show 40,000 cards).
pub(super) struct Cards {
    /// Per collection (stories, resolutions, partners): the template and the name the entry
    /// has in it.
    templates: [Option<(&'static str, &'static str)>; 3],
    /// Of the card templates and everything they extend: entries' values depend on it.
    pub(super) hash: u64,
}

impl Cards {
    const TEMPLATES: [(&'static str, &'static str); 3] = [
        ("cards/story.html", "story"),
        ("cards/resolution.html", "resolution"),
        ("cards/partner.html", "partner"),
    ];

    pub(super) fn find(t: &TemplateInfoRef, errors: &mut Vec<RenderError>) -> Cards {
        let mut hash = std::hash::DefaultHasher::new();
        let templates = Cards::TEMPLATES.map(|(name, var)| {
            let &(chain, get_entry) = t.info.chains.get(name)?;
            if get_entry {
                let file = t
                    .templates
                    .iter()
                    .find(|f| f.path == name)
                    .or_else(|| t.templates.iter().find(|f| f.path == format!("theme/{name}")));
                let mut d =
                    Diagnostic::error(format!("{name} calls get_entry, which cards cannot use"))
                        .help(format!("a card is rendered before the site's entries are indexed; use the `{var}` value's own fields, or move the lookup to the page template"));
                d = match file {
                    Some(f) => match f.text.find("get_entry") {
                        Some(at) => d.at(
                            &template_path(&f.path, t.theme_label),
                            &f.text,
                            at..at + "get_entry".len(),
                        ),
                        None => d.in_file(template_path(&f.path, t.theme_label)),
                    },
                    None => d.in_file(template_path(name, t.theme_label)),
                };
                errors.push(d.into());
                return None;
            }
            (name, chain).hash(&mut hash);
            Some((name, var))
        });
        Cards {
            templates,
            hash: hash.finish(),
        }
    }

    /// `value` with its `card` added, if its collection has a card template.
    pub(super) fn add(
        &self,
        collection: Collection,
        value: Value,
        tera: &Tera,
        t: &TemplateInfoRef,
        source: &str,
    ) -> Result<Value, RenderError> {
        let Some(Some((template, var))) = self.templates.get(collection as usize) else {
            return Ok(value);
        };
        let mut ctx = t.language.clone();
        ctx.insert_value(*var, value);
        let html = tera.render(template, &ctx).map_err(|e| {
            template_error(
                &e,
                t.templates,
                t.theme_label,
                &format!("the card of {source}"),
            )
        })?;
        // Out of the context again, the map is not shared: adding the card does not copy it.
        let Some(mut map) = ctx.remove(var).and_then(Value::into_map) else {
            return Ok(Value::none());
        };
        map.insert("card".into(), Value::safe_string(html.trim()));
        Ok(Value::from(map))
    }
}
