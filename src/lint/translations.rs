//! `rally check`'s word on translations: those made from an earlier version of their original
//! (their `translated_from` is not the original's version hash any more), and those that do
//! not say which version they translate. Warnings only, and only in `check`: an out-of-date
//! translation is still a correct page, so a build publishes it without a word.

use std::sync::Arc;

use crate::content::translations::{TRANSLATED_FROM, version_hash};
use crate::content::{Content, Doc};
use crate::diagnostics::Diagnostic;
use crate::load::Sources;

/// The warnings about every translation of the site.
pub(super) fn warnings(sources: &Sources, content: &Content, out: &mut Vec<Diagnostic>) {
    stale(sources, &content.stories, out);
    stale(sources, &content.resolutions, out);
    stale(sources, &content.partners, out);
    stale(sources, &content.pages, out);
}

fn stale<M>(sources: &Sources, docs: &[Arc<Doc<M>>], out: &mut Vec<Diagnostic>) {
    for d in docs {
        let Some(t) = &d.translation else {
            continue;
        };
        // Without an original, a translation is a page in its language only: nothing to
        // keep up with.
        let Some(original) = &t.original else {
            continue;
        };
        let Some(text) = sources.content_text(original) else {
            continue;
        };
        let now = version_hash(text);
        let path = &d.file.path;
        let line = format!("{TRANSLATED_FROM}: \"{now}\"");
        match &t.translated_from {
            Some((then, _)) if *then == now => {}
            Some((_, at)) => out.push(
                Diagnostic::warning(format!(
                    "{path} was translated from an earlier version of {original}"
                ))
                .at(path, &d.file.text, at.clone())
                .label("the version it was translated from")
                .help(format!(
                    "{original} has changed since: bring the translation up to date with it, \
                     then change this line to\n{line}\nso that rally knows the translation \
                     is up to date again"
                )),
            ),
            None => {
                // The closing `---` line: where the missing line goes.
                let end = d.meta_span.end;
                out.push(
                    Diagnostic::warning(format!(
                        "rally cannot tell whether {path} is up to date with {original}"
                    ))
                    .at(path, &d.file.text, end..end + 3)
                    .label(format!("no `{TRANSLATED_FROM}` line above"))
                    .help(format!(
                        "the translation does not say which version of {original} it \
                         translates. If it matches {original} as it is now, add this line to its \
                         front matter:\n{line}\nthen `rally check` says when {original} changes"
                    )),
                );
            }
        }
    }
}
