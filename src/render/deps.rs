//! What each template is made of (the templates it extends and includes, the partials it
//! prints), hashed, so that a page is rendered again only when something it reads changed.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap as HashMap;

use tera::Tera;

use super::context::PageNames;
use super::globals::{GLOBAL_NAMES, Globals};
use super::jobs::Job;
use crate::link::{Site, hash_one};
use crate::load::SourceText;

/// Hashes of the templates, for deciding which pages a template change affects.
pub(super) struct TemplateInfo {
    /// Each template name (as pages ask for it) → hash of its text and of every template it
    /// extends or includes, plus whether any of them calls `get_entry`.
    pub(super) chains: HashMap<String, (u64, bool)>,
    /// All templates defining components: embeds and component calls can use any of them.
    pub(super) components: u64,
    /// Each template name → the partials its chain prints (`*`: some it picks at render
    /// time, so all of them). Components see only their arguments, so they print none.
    pub(super) partials_used: HashMap<String, Vec<String>>,
    pub(super) site_config: String,
    /// Of the interface strings: any template may print any of them.
    pub(super) strings: u64,
}

/// The templates and their hashes, as the value builders need them.
pub(super) struct TemplateInfoRef<'a> {
    pub(super) info: &'a TemplateInfo,
    pub(super) templates: &'a [SourceText],
    pub(super) theme_label: &'a str,
    /// `UI` and `lang` of the language being rendered, for cards and embeds.
    pub(super) language: &'a tera::Context,
}

/// For each template name: a hash of its text and of everything it extends or includes.
pub(super) fn template_info(templates: &[SourceText], site: &Site, strings: u64) -> TemplateInfo {
    let by_name: HashMap<&str, &SourceText> =
        templates.iter().map(|t| (t.path.as_str(), t)).collect();
    let resolve = |name: &str| -> Option<&SourceText> {
        by_name
            .get(name)
            .or_else(|| by_name.get(format!("theme/{name}").as_str()))
            .copied()
    };
    let is_components =
        |t: &SourceText| t.text.contains("{% component") || t.text.contains("{%- component");
    let mut chains = HashMap::default();
    let mut partials_used = HashMap::default();
    for t in templates {
        let public = t.path.strip_prefix("theme/").unwrap_or(&t.path).to_string();
        let Some(start) = resolve(&public) else {
            continue;
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut stack = vec![start];
        let mut h = std::hash::DefaultHasher::new();
        let mut get_entry = false;
        let mut partials = Vec::new();
        while let Some(cur) = stack.pop() {
            if seen.contains(&cur.path.as_str()) {
                continue;
            }
            seen.push(&cur.path);
            cur.path.hash(&mut h);
            cur.text.hash(&mut h);
            get_entry |= cur.text.contains("get_entry");
            partials_named(&cur.text, &mut partials);
            for name in referenced_templates(&cur.text) {
                // `theme/x` names the theme's file directly; `x` prefers the site's override.
                if let Some(next) = by_name.get(name).copied().or_else(|| resolve(name)) {
                    stack.push(next);
                }
            }
        }
        partials.sort_unstable();
        partials.dedup();
        partials_used.insert(public.clone(), partials);
        chains.insert(public, (h.finish(), get_entry));
    }
    let components = hash_one(
        &templates
            .iter()
            .filter(|t| is_components(t))
            .map(|t| (&t.path, &t.text))
            .collect::<Vec<_>>(),
    );
    TemplateInfo {
        chains,
        components,
        partials_used,
        site_config: serde_json::to_string(&site.config).unwrap_or_default(),
        strings,
    }
}

/// Per template the pages use: a hash of the globals it reads (of `partials`, only those it
/// prints), its chain and the components, and which of the page's own names it reads. Asked
/// once per template, not per page.
pub(super) fn template_uses<'s>(
    jobs: &[Job],
    site: &'s Site,
    tera: &Tera,
    info: &TemplateInfo,
    globals: &Globals,
) -> HashMap<&'s str, (u64, PageNames)> {
    let mut uses: HashMap<&str, (u64, PageNames)> = HashMap::default();
    for job in jobs {
        if let Job::Data(_) = job {
            // Made by rally from the entries alone (see `data.rs`): no globals.
            continue;
        }
        let template = job.template(site);
        if uses.contains_key(template) {
            continue;
        }
        let (chain, get_entry) = info.chains.get(template).copied().unwrap_or((0, true));
        let read = tera.get_template_variables(template).ok();
        let names = PageNames {
            menu: read.as_ref().is_none_or(|v| v.contains("menu")),
            current: read
                .as_ref()
                .is_none_or(|v| v.contains("current_url") || v.contains("current_path")),
            structured_data: read.as_ref().is_none_or(|v| v.contains("structured_data")),
        };
        let vars: Vec<&str> = match read {
            Some(v) if !get_entry => v.into_iter().collect(),
            _ => GLOBAL_NAMES.to_vec(),
        };
        let mut used: Vec<u64> = GLOBAL_NAMES
            .iter()
            .zip(&globals.hashes)
            .filter(|(n, _)| vars.contains(n))
            .map(|(n, h)| match *n {
                // Only the partials it prints: a box on some pages may change with the content.
                "partials" => globals.partials.hash_of(info.partials_used.get(template)),
                _ => *h,
            })
            .collect();
        used.push(chain);
        used.push(info.components);
        used.push(info.strings);
        uses.insert(template, (hash_one(&used), names));
    }
    uses
}

/// Template names in `{% extends "x" %}`, `{% include "x" %}` and `{% import "x" %}` tags.
fn referenced_templates(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for kw in ["extends", "include"] {
        let mut rest = text;
        while let Some(i) = rest.find(kw) {
            rest = &rest[i + kw.len()..];
            let t = rest.trim_start();
            if let Some(q) = t.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = t[1..].find(q)
            {
                out.push(&t[1..1 + end]);
            }
        }
    }
    out
}

/// Adds the names of the partials `text` prints (`partials.footer`, `partials["a/b"]`) to
/// `out`, or `*` where it uses `partials` in any other way.
fn partials_named(text: &str, out: &mut Vec<String>) {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find("partials") {
        let at = from + i;
        from = at + "partials".len();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| ident(c) || c == '.' || c == '/') {
            continue;
        }
        let rest = &text[from..];
        // A longer name, or a file name (`partials/footer.html`).
        if rest.starts_with(|c: char| ident(c) || c == '/') {
            continue;
        }
        let named = if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(|c: char| !ident(c)).unwrap_or(r.len());
            (end > 0).then(|| r[..end].to_string())
        } else if let Some(r) = rest.strip_prefix('[') {
            r.chars()
                .next()
                .filter(|q| *q == '"' || *q == '\'')
                .and_then(|q| r[1..].find(q).map(|end| r[1..1 + end].to_string()))
        } else {
            None
        };
        out.push(named.unwrap_or_else(|| "*".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partials_a_template_prints_are_found() {
        let mut found = Vec::new();
        partials_named(
            r#"{{ partials.footer }} {{ partials["nav/main"] }} {{partials.head}} my_partials.x page.partials"#,
            &mut found,
        );
        assert_eq!(found, ["footer", "nav/main", "head"]);
        for dynamic in [
            "{% for k, v in partials %}",
            "{{ partials[name] }}",
            "{{ partials | length }}",
        ] {
            let mut found = Vec::new();
            partials_named(dynamic, &mut found);
            assert_eq!(found, ["*"], "{dynamic}");
        }
        let mut none = Vec::new();
        partials_named("{% include \"partials/footer.html\" %}", &mut none);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn template_references_are_found() {
        let t = r#"{% extends "base.html" %}{% include 'parts/card.html' %}{{ x }}"#;
        assert_eq!(referenced_templates(t), ["base.html", "parts/card.html"]);
    }
}
