//! `{{< cta url="@/take-action.md" >}}...{{< /cta >}}`: a call to action, a button to a
//! page of the site or elsewhere under a short text.

use super::{Call, Embed};
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkKind;

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    c.need(
        "url",
        "{{< cta url=\"@/take-action.md\" label=\"Join us\" >}}",
        errs,
    )
    .and_then(|url| {
        let url = c.url(&url, LinkKind::Link, errs)?;
        Some(Embed::Cta {
            title: c.opt("title"),
            url,
            label: c.opt("label").unwrap_or_else(|| "Take action".into()),
            body: c.body(),
        })
    })
}
