//! `{{< form endorse >}}` and `{{< form signup >}}`: a plain HTML form that posts to the
//! endpoint `site.yaml` sets for its kind (`forms.endorse.endpoint`), with a honeypot, a
//! thank-you page and a line saying where the data goes. With no endpoint it becomes a
//! prepared email to `forms.contact_email`, or, with no address either, a form shown switched
//! off; both are warned about.

use super::{Call, Embed};
use crate::config::Forms;
use crate::diagnostics::{Diagnostic, did_you_mean};

/// Shown when the kind is missing or unknown.
const KINDS_HELP: &str = "the forms are `endorse` (organisations endorse the campaign) and `signup` (updates by email), e.g. {{< form endorse >}}; a letter to a decision-maker is {{< letter >}}, share links are {{< share >}}";

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let kind = c.need("kind", "{{< form endorse >}}", errs)?;
    let Some(kind) = Forms::KINDS.iter().copied().find(|k| *k == kind) else {
        let d = c.err(format!("there is no `{kind}` form"));
        errs.push(match did_you_mean(&kind, Forms::KINDS) {
            Some(m) => d.help(format!("did you mean `{m}`? {KINDS_HELP}")),
            None => d.help(KINDS_HELP),
        });
        return None;
    };
    let forms = c.ctx.forms;
    let form = forms.get(kind)?;
    let thanks = form.thanks.as_ref().and_then(|page| {
        c.config_url(
            page,
            &format!("the {kind} form's thank-you page (forms.{kind}.thanks in site.yaml)"),
            errs,
        )
    });
    let privacy = forms.privacy_page.as_ref().and_then(|page| {
        c.config_url(
            page,
            "the privacy page (forms.privacy_page in site.yaml)",
            errs,
        )
    });
    if form.endpoint.is_none() {
        let warning = match &forms.contact_email {
            Some(_) => c.err(format!(
                "the {kind} form has no endpoint: it opens the visitor's email program instead"
            )),
            None => c.err(format!(
                "the {kind} form has no endpoint and site.yaml has no `forms.contact_email`: it is shown switched off"
            )),
        };
        errs.push(warning.into_warning().help(format!(
            "set `forms.{kind}.endpoint` in site.yaml to the https:// address your form provider gives you \
             (or `forms.contact_email` to receive it by email); see docs/configuration.md"
        )));
    }
    Some(Embed::Form {
        kind,
        title: c.opt("title"),
        thanks,
        privacy,
    })
}
