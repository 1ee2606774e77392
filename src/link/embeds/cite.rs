//! `{{< cite id paragraph="33" >}}`: a resolution or standard, optionally one of the key
//! paragraphs listed in its front matter.

use super::{Call, Embed};
use crate::diagnostics::{Diagnostic, did_you_mean};

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let resolutions = c.ctx.resolutions;
    c.need("id", "{{< cite a-res-71-1 paragraph=\"33\" >}}", errs).and_then(|id| {
        let Some((index, paragraphs)) = resolutions.get(&id) else {
            if let Some(d) = c.gone(crate::content::Collection::Resolutions, &id) {
                errs.push(d);
                return None;
            }
            let d = c.err(format!("there is no resolution or standard with id `{id}`"));
            errs.push(match did_you_mean(&id, resolutions.keys().map(String::as_str)) {
                Some(m) => d.help(format!("did you mean `{m}`?")),
                None => d.help("ids are file names in content/resolutions/ without `.md`"),
            });
            return None;
        };
        let paragraph = match c.opt("paragraph") {
            None => None,
            Some(p) => match paragraphs.iter().position(|n| *n == p) {
                Some(i) => Some(i),
                None => {
                    errs.push(c.err(format!("`{id}` has no key paragraph `{p}`")).help(
                        if paragraphs.is_empty() {
                            format!("add it under `paragraphs:` in content/resolutions/{id}.md, or leave out paragraph=")
                        } else {
                            format!("its key paragraphs are: {}; add others under `paragraphs:` in its file", paragraphs.join(", "))
                        },
                    ));
                    return None;
                }
            },
        };
        Some(Embed::Cite { resolution: *index, paragraph })
    })
}
