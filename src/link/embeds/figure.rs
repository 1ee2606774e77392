//! `{{< figure src="photo.jpg" alt="..." >}}`: an image with its description, and optionally
//! a caption and a credit.

use super::{Call, Embed};
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkKind;

/// Shown when `src` is missing.
const SRC_EXAMPLE: &str =
    "{{< figure src=\"photo.jpg\" alt=\"What it shows\" caption=\"...\" credit=\"...\" >}}";
/// Shown when `alt` is missing.
const ALT_EXAMPLE: &str = "{{< figure src=\"photo.jpg\" alt=\"Children at a community centre\" >}}";

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let src = c.need("src", SRC_EXAMPLE, errs);
    let alt = c.need("alt", ALT_EXAMPLE, errs);
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
