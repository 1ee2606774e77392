//! `{{< partner id >}}`: a partner's card.

use super::{Call, Embed};
use crate::diagnostics::{Diagnostic, did_you_mean};

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let partners = c.ctx.partners;
    c.need("id", "{{< partner unicef >}}", errs)
        .and_then(|id| match partners.get(&id) {
            Some(&partner) => Some(Embed::Partner { partner }),
            None => {
                if let Some(d) = c.gone(crate::content::Collection::Partners, &id) {
                    errs.push(d);
                    return None;
                }
                let d = c.err(format!("there is no partner with id `{id}`"));
                errs.push(
                    match did_you_mean(&id, partners.keys().map(String::as_str)) {
                        Some(m) => d.help(format!("did you mean `{m}`?")),
                        None => d.help(
                            "ids are file names in content/partners/ (or `id` in partners.yaml)",
                        ),
                    },
                );
                None
            }
        })
}
