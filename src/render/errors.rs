//! Template errors as diagnostics: in plain words, at their place in the template, and one
//! message for a mistake that breaks many pages.

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

/// How a template error names the page (or card, or embed) it broke: `template error (while
/// rendering content/stories/a.md): …`.
const WHILE_RENDERING: &str = "(while rendering ";

/// One mistake in a template breaks every page that uses it: 10,000 story pages would give
/// 10,000 copies of one message, burying any other. Errors at the same place of the same
/// template with the same message become one, naming the first page and how many more.
pub(super) fn merge_repeated(diags: &mut Diagnostics) {
    // Where in which template, and the message without the page → (kept at, how many more).
    type Place = (Option<String>, Range<usize>, String);
    let mut first: HashMap<Place, (usize, usize)> = HashMap::default();
    let mut kept = Vec::with_capacity(diags.0.len());
    for d in std::mem::take(&mut diags.0) {
        let rest = d
            .message
            .split_once(WHILE_RENDERING)
            .and_then(|(head, rest)| Some((head, rest.split_once("): ")?.1)));
        if let Some((head, rest)) = rest {
            let key = (d.file.clone(), d.span.clone(), format!("{head}|{rest}"));
            if let Some((_, more)) = first.get_mut(&key) {
                *more += 1;
                continue;
            }
            first.insert(key, (kept.len(), 0));
        }
        kept.push(d);
    }
    for &(i, more) in first.values() {
        if more > 0
            && let Some(d) = kept.get_mut(i)
            && let Some(start) = d.message.find(WHILE_RENDERING)
            && let Some(at) = d.message[start..].find("): ")
        {
            let at = start + at;
            d.message.insert_str(at, &format!(" and {more} more"));
        }
    }
    diags.0 = kept;
}

pub(super) fn template_error(
    e: &tera::Error,
    templates: &[SourceText],
    theme_label: &str,
    page: &str,
) -> Diagnostic {
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
    match e.kind() {
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            return Diagnostic::error(format!(
                "the template {} includes itself",
                template_path(tpl, theme_label)
            ))
            .in_file(template_path(tpl, theme_label))
            .help(format!(
                "the includes go round in a circle: {}; remove one of them",
                names(include_chain)
            ));
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            return Diagnostic::error(format!(
                "the template {} extends itself",
                template_path(tpl, theme_label)
            ))
            .in_file(template_path(tpl, theme_label))
            .help(format!(
                "the extends go round in a circle: {}",
                names(inheritance_chain)
            ));
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            return Diagnostic::error(format!("{} extends `{parent}`, which does not exist", template_path(current, theme_label)))
                .in_file(template_path(current, theme_label))
                .help("check the name in {% extends \"...\" %}; theme templates can be named as \"theme/name.html\"");
        }
        _ => {}
    }
    let during = if page.is_empty() {
        String::new()
    } else {
        format!(" {WHILE_RENDERING}{page})")
    };
    let help = if message.contains("not found") && message.contains("emplate") {
        "check the template's name; a site's templates/ folder may override the theme's templates by using the same file name"
    } else if message.contains("is not defined") || message.contains("undefined") {
        "the template uses a value that does not exist here; check the spelling, or guard it with `{% if x is defined %}` / `x or \"default\"`"
    } else {
        "see docs/templates.md for the template syntax and the values each page gets"
    };
    let d = Diagnostic::error(format!("template error{during}: {message}")).help(help);
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
        return d.at(&template_path(&t.path, theme_label), &t.text, start..end);
    }
    d
}
