//! `{{< letter to="..." subject="..." >}}Dear Minister, ...{{< /letter >}}`: a letter to a
//! decision-maker that visitors edit on the page and send from their own email program (a
//! `mailto:` form, which needs no JavaScript and no endpoint) or copy.

use super::{Call, Embed};
use crate::config::is_email;
use crate::diagnostics::Diagnostic;

const EXAMPLE: &str = "{{< letter subject=\"End child immigration detention\" >}}\nDear Minister, ...\n{{< /letter >}}";

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let to = c.opt("to");
    if let Some(to) = &to
        && !is_email(to)
    {
        errs.push(
            c.err(format!("`to` is not one email address: {to:?}"))
                .help("write the decision-maker's address, e.g. to=\"minister@example.gov\", or leave `to` out and visitors fill it in"),
        );
        return None;
    }
    let subject = c.need("subject", EXAMPLE, errs)?;
    let text = c
        .call
        .body_src
        .as_ref()
        .and_then(|r| {
            c.doc
                .file
                .text
                .get(c.doc.body.start + r.start..c.doc.body.start + r.end)
        })
        .map(str::trim)
        .unwrap_or_default();
    if text.is_empty() {
        errs.push(
            c.err("the `letter` embed needs the letter's text between its tags".into())
                .help(format!("for example: {EXAMPLE}")),
        );
        return None;
    }
    Some(Embed::Letter {
        to,
        subject,
        title: c.opt("title"),
        text: text.to_string(),
    })
}
