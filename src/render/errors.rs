//! Template errors as diagnostics: in plain words, at their place in the template, and one
//! message for a mistake that breaks many pages.

use std::collections::hash_map::Entry;
use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, offset_of};
use crate::load::SourceText;

/// The display path of a Tera template name.
pub(super) fn template_path(name: &str, theme_label: &str) -> String {
    match name.strip_prefix("theme/") {
        Some(n) => format!("{theme_label}/templates/{n}"),
        None => format!("templates/{name}"),
    }
}

/// A problem found while rendering. A template error that broke a page (or card, partial,
/// embed) keeps which page and Tera's message apart from the diagnostic's text, so that the
/// same mistake on many pages can be reported once (see [`merge_repeated`]).
pub(super) struct RenderError {
    /// As it is reported when no other page had the same error.
    pub(super) diagnostic: Diagnostic,
    /// Boxed: pages' results hold a `RenderError`, and all but a few are fine.
    during: Option<Box<During>>,
}

/// The page a template error broke, and Tera's message about it.
struct During {
    /// As the message names it: a content file, "page 2 of the stories list", "the card of …".
    page: String,
    message: String,
}

impl During {
    /// `template error (while rendering content/stories/a.md): …`, and how many `more` pages
    /// the same error broke.
    fn message(&self, more: usize) -> String {
        let (page, message) = (&self.page, &self.message);
        if more == 0 {
            format!("template error (while rendering {page}): {message}")
        } else {
            format!("template error (while rendering {page} and {more} more): {message}")
        }
    }
}

impl From<Diagnostic> for RenderError {
    fn from(diagnostic: Diagnostic) -> Self {
        RenderError {
            diagnostic,
            during: None,
        }
    }
}

/// One mistake in a template breaks every page that uses it: 10,000 story pages would give
/// 10,000 copies of one message, burying any other. Errors at the same place of the same
/// template with the same message become one, naming the first page and how many more.
pub(super) fn merge_repeated(errors: Vec<RenderError>) -> Diagnostics {
    // Per error: how many later ones repeat it, or none when it repeats an earlier one.
    let mut more: Vec<Option<usize>> = vec![Some(0); errors.len()];
    // Where in which template, and Tera's message → the first error there.
    let mut first: HashMap<(Option<&str>, Range<usize>, &str), usize> = HashMap::default();
    for (i, e) in errors.iter().enumerate() {
        let Some(during) = &e.during else {
            continue;
        };
        let d = &e.diagnostic;
        match first.entry((d.file.as_deref(), d.span.clone(), &during.message)) {
            Entry::Occupied(f) => {
                more[i] = None;
                if let Some(n) = &mut more[*f.get()] {
                    *n += 1;
                }
            }
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    let merged = errors.into_iter().zip(more).filter_map(|(mut e, more)| {
        let more = more?;
        if more > 0
            && let Some(during) = &e.during
        {
            e.diagnostic.message = during.message(more);
        }
        Some(e.diagnostic)
    });
    Diagnostics(merged.collect())
}

/// A Tera error as a diagnostic, at its place in the template when Tera says where; `page`
/// names what was being rendered (empty when the templates were being compiled).
pub(super) fn template_error(
    e: &tera::Error,
    templates: &[SourceText],
    theme_label: &str,
    page: &str,
) -> RenderError {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => e.to_string(),
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    // Errors about the template set as a whole: name the files involved.
    let names = |chain: &[String]| {
        chain
            .iter()
            .map(|n| template_path(n, theme_label))
            .collect::<Vec<_>>()
            .join(" → ")
    };
    let circle = |tpl: &str, verb: &str, chain: &[String], what_to_do: &str| -> RenderError {
        Diagnostic::error(format!(
            "the template {} {verb} itself",
            template_path(tpl, theme_label)
        ))
        .in_file(template_path(tpl, theme_label))
        .help(format!(
            "the {verb} go round in a circle: {}{what_to_do}",
            names(chain)
        ))
        .into()
    };
    match e.kind() {
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            return circle(tpl, "includes", include_chain, "; remove one of them");
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => return circle(tpl, "extends", inheritance_chain, ""),
        tera::ErrorKind::MissingParent { current, parent } => {
            return Diagnostic::error(format!("{} extends `{parent}`, which does not exist", template_path(current, theme_label)))
                .in_file(template_path(current, theme_label))
                .help("check the name in {% extends \"...\" %}; theme templates can be named as \"theme/name.html\"")
                .into();
        }
        _ => {}
    }
    let help = if matches!(e.kind(), tera::ErrorKind::TemplateNotFound(_)) {
        "check the template's name; a site's templates/ folder may override the theme's templates by using the same file name"
    } else if message.contains("is not defined") || message.contains("undefined") {
        // Tera reports an undefined value only in the words of its message.
        "the template uses a value that does not exist here; check the spelling, or guard it with `{% if x is defined %}` / `x or \"default\"`"
    } else {
        "see docs/templates.md for the template syntax and the values each page gets"
    };
    let (text, during) = if page.is_empty() {
        (format!("template error: {message}"), None)
    } else {
        let during = During {
            page: page.to_string(),
            message,
        };
        (during.message(0), Some(Box::new(during)))
    };
    let mut diagnostic = Diagnostic::error(text).help(help);
    if let Some(r) = report
        && let Some(t) = templates.iter().find(|t| t.path == r.filename())
    {
        let span = r.span();
        let start = offset_of(&t.text, span.start_line, span.start_col + 1);
        let end = if span.end_line == span.start_line {
            offset_of(&t.text, span.end_line, span.end_col + 1).max(start)
        } else {
            start + 1
        };
        diagnostic = diagnostic.at(&template_path(&t.path, theme_label), &t.text, start..end);
    }
    RenderError { diagnostic, during }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broke(page: &str, message: &str) -> RenderError {
        let during = During {
            page: page.into(),
            message: message.into(),
        };
        RenderError {
            diagnostic: Diagnostic::error(during.message(0)).in_file("templates/tag.html"),
            during: Some(Box::new(during)),
        }
    }

    #[test]
    fn the_same_error_on_many_pages_is_reported_once() {
        // Page names are the writer's text: a tag may hold what a message's text holds.
        let errors = vec![
            broke("page 1 of the tag `a): b`", "`x` is not defined"),
            Diagnostic::error("could not write a.html: disk full").into(),
            broke("page 1 of the tag `c`", "`x` is not defined"),
            broke("page 2 of the tag `c`", "`y` is not defined"),
            broke("page 1 of the tag `d`", "`x` is not defined"),
        ];
        let messages: Vec<String> = merge_repeated(errors)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(
            messages,
            [
                "template error (while rendering page 1 of the tag `a): b` and 2 more): `x` is not defined",
                "could not write a.html: disk full",
                "template error (while rendering page 2 of the tag `c`): `y` is not defined",
            ]
        );
    }
}
