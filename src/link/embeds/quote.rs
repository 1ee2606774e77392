//! `{{< quote by="..." role="..." >}}...{{< /quote >}}`: words of someone, named or not.

use super::{Call, Embed};

pub(super) fn check<M>(c: &Call<M>) -> Option<Embed> {
    Some(Embed::Quote {
        by: c.opt("by"),
        role: c.opt("role"),
        body: c.body(),
    })
}
