//! `{{< figure src="photo.jpg" alt="..." >}}`: an image with its description, and optionally
//! a caption and a credit.

use super::{Call, Embed};
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkKind;

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let src = c.need(
        "src",
        "{{< figure src=\"photo.jpg\" alt=\"What it shows\" caption=\"...\" credit=\"...\" >}}",
        errs,
    );
    let alt = c.need(
        "alt",
        "{{< figure src=\"photo.jpg\" alt=\"Children at a community centre\" >}}",
        errs,
    );
    match (src, alt) {
        (Some(src), Some(alt)) => c.url(&src, LinkKind::Image, errs).map(|src| Embed::Figure {
            src,
            alt,
            caption: c.opt("caption"),
            credit: c.opt("credit"),
        }),
        _ => None,
    }
}
