//! Embeds (`{{< cite a-res-71-1 >}}` on a line of its own): each call in a body is checked
//! against the site and becomes an [`Embed`], which render prints with the theme's component
//! of the same name. The arguments are read here, the same way for every embed; what each
//! embed requires of them is in its own file.

mod cite;
mod cta;
mod figure;
mod form;
mod letter;
mod partner;
mod quote;
mod share;
mod video;

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use super::resolve::{LinkCtx, Resolved, has_scheme};
use crate::content::Doc;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown::{EmbedCall, LinkKind, Rendered};

/// A checked embed, ready for its template component.
#[derive(Debug, Clone, PartialEq)]
pub enum Embed {
    /// A resolution (index into [`Site::resolutions`](super::Site::resolutions)), optionally
    /// one of its paragraphs.
    Cite {
        resolution: usize,
        paragraph: Option<usize>,
    },
    Partner {
        partner: usize,
    },
    Cta {
        title: Option<String>,
        url: String,
        label: String,
        body: String,
    },
    Figure {
        src: String,
        alt: String,
        caption: Option<String>,
        credit: Option<String>,
    },
    Quote {
        by: Option<String>,
        role: Option<String>,
        body: String,
    },
    /// A video that loads nothing from its host until the reader asks for it.
    Video {
        url: String,
        embed_url: String,
        title: String,
        poster: Option<String>,
    },
    /// A form of a kind `forms:` in site.yaml configures (`endorse`, `signup`); render
    /// reads the rest of its settings from there. `thanks` and `privacy` are full URLs.
    Form {
        kind: &'static str,
        title: Option<String>,
        thanks: Option<String>,
        privacy: Option<String>,
    },
    /// A letter visitors edit and send from their email program.
    Letter {
        to: Option<String>,
        subject: String,
        title: Option<String>,
        /// The letter as written between the tags, plain text.
        text: String,
    },
    /// Share links: (network, address).
    Share {
        title: Option<String>,
        links: Vec<(String, String)>,
    },
    /// An embed that failed its checks. Its error is reported, so a site with one is not
    /// rendered; if it were, the embed would print nothing (it has no component).
    Invalid,
}

impl Embed {
    pub fn name(&self) -> &'static str {
        match self {
            Embed::Cite { .. } => "cite",
            Embed::Partner { .. } => "partner",
            Embed::Cta { .. } => "cta",
            Embed::Figure { .. } => "figure",
            Embed::Quote { .. } => "quote",
            Embed::Video { .. } => "video",
            Embed::Form { .. } => "form",
            Embed::Letter { .. } => "letter",
            Embed::Share { .. } => "share",
            Embed::Invalid => "invalid",
        }
    }
}

/// Embed names and the arguments each accepts (the first is also the positional one).
const EMBEDS: &[(&str, &[&str])] = &[
    ("cite", &["id", "paragraph"]),
    ("partner", &["id"]),
    ("cta", &["url", "title", "label"]),
    ("figure", &["src", "alt", "caption", "credit"]),
    ("quote", &["by", "role"]),
    ("video", &["url", "title", "poster"]),
    ("form", &["kind", "title"]),
    ("letter", &["to", "subject", "title"]),
    ("share", &["text", "url", "title"]),
];

/// Each embed's name, its arguments (the first also positional) and whether it wraps text
/// (a closing tag): what the editor's toolbar offers.
pub fn signatures() -> impl Iterator<Item = (&'static str, &'static [&'static str], bool)> {
    EMBEDS
        .iter()
        .map(|(name, args)| (*name, *args, crate::markdown::BLOCK_EMBEDS.contains(name)))
}

/// Where a writer who got an embed wrong learns how to write it.
const GUIDE: &str = "see docs/writing.md for every embed and an example of each";

impl LinkCtx<'_> {
    /// Checks the embeds of a rendered body against the site.
    pub(super) fn embeds<M>(
        &self,
        doc: &Doc<M>,
        body: &Rendered,
        errs: &mut Vec<Diagnostic>,
    ) -> Vec<Embed> {
        let mut out = Vec::with_capacity(body.embeds.len());
        for call in &body.embeds {
            out.push(self.embed(doc, call, errs).unwrap_or(Embed::Invalid));
        }
        out
    }

    /// Checks one embed call: None when it fails, its problems pushed to `errs`.
    fn embed<M>(
        &self,
        doc: &Doc<M>,
        call: &EmbedCall,
        errs: &mut Vec<Diagnostic>,
    ) -> Option<Embed> {
        let mut c = Call {
            ctx: self,
            doc,
            call,
            args: HashMap::default(),
            span: doc.body.start + call.span.start..doc.body.start + call.span.end,
        };
        if let Some(e) = &call.error {
            errs.push(c.err(e.clone()).help(GUIDE));
            return None;
        }
        let Some((_, allowed)) = EMBEDS.iter().find(|(n, _)| *n == call.name) else {
            let names = EMBEDS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ");
            let d = c.err(format!("there is no embed called `{}`", call.name));
            errs.push(
                match did_you_mean(&call.name, EMBEDS.iter().map(|(n, _)| *n)) {
                    Some(m) => d.help(format!("did you mean `{m}`? Embeds: {names}")),
                    None => d.help(format!("the embeds are: {names}; {GUIDE}")),
                },
            );
            return None;
        };
        if let Some(p) = &call.positional {
            c.args.insert(allowed[0], p.clone());
        }
        let mut bad = false;
        for (k, v) in &call.args {
            if !allowed.contains(&k.as_str()) {
                let d = c.err(format!("the `{}` embed has no `{k}`", call.name));
                errs.push(match did_you_mean(k, allowed.iter().copied()) {
                    Some(m) => d.help(format!(
                        "did you mean `{m}`? It takes: {}",
                        allowed.join(", ")
                    )),
                    None => d.help(format!("it takes: {}", allowed.join(", "))),
                });
                bad = true;
            } else {
                c.args.insert(
                    allowed.iter().find(|a| **a == k).copied().unwrap_or("id"),
                    v.clone(),
                );
            }
        }
        let embed = match call.name.as_str() {
            "cite" => cite::check(&c, errs),
            "partner" => partner::check(&c, errs),
            "cta" => cta::check(&c, errs),
            "figure" => figure::check(&c, errs),
            "quote" => quote::check(&c),
            "video" => video::check(&c, errs),
            "form" => form::check(&c, errs),
            "letter" => letter::check(&c, errs),
            "share" => share::check(&c, errs),
            _ => None,
        };
        // An argument the embed does not take fails it, after its own checks have spoken.
        embed.filter(|_| !bad)
    }
}

/// One embed call being checked: its arguments by name, and where its problems are shown.
struct Call<'a, M> {
    ctx: &'a LinkCtx<'a>,
    doc: &'a Doc<M>,
    call: &'a EmbedCall,
    /// The arguments by the names the embed takes (the positional one under the first).
    args: HashMap<&'static str, String>,
    /// The call in the file's text.
    span: Range<usize>,
}

impl<M> Call<'_, M> {
    /// An error at the call.
    fn err(&self, msg: String) -> Diagnostic {
        Diagnostic::error(msg).at(&self.doc.file.path, &self.doc.file.text, self.span.clone())
    }

    /// The error for an id of an entry left out of the build, naming why.
    fn gone(&self, c: crate::content::Collection, id: &str) -> Option<Diagnostic> {
        let gone = self.ctx.absent.by_id(c, id)?;
        Some(
            self.err(gone.sentence())
                .label(gone.label())
                .help(gone.help())
                .follows(),
        )
    }

    /// A required argument; when it is missing or empty, an error showing `example`.
    fn need(&self, key: &str, example: &str, errs: &mut Vec<Diagnostic>) -> Option<String> {
        match self.args.get(key).filter(|v| !v.trim().is_empty()) {
            Some(v) => Some(v.clone()),
            None => {
                errs.push(
                    self.err(format!("the `{}` embed needs `{key}`", self.call.name))
                        .help(format!("for example: {example}")),
                );
                None
            }
        }
    }

    /// An optional argument (an empty one counts as not given).
    fn opt(&self, key: &str) -> Option<String> {
        self.args.get(key).filter(|v| !v.trim().is_empty()).cloned()
    }

    /// The rendered Markdown between a block embed's tags.
    fn body(&self) -> String {
        self.call.body.clone().unwrap_or_default()
    }

    /// The full address (origin included, for providers and share links) of a page named in
    /// site.yaml or an argument (`/x/`, `@/x.md`) or of an https address; `what` names it
    /// in the error when it leads nowhere.
    fn config_url(&self, dest: &str, what: &str, errs: &mut Vec<Diagnostic>) -> Option<String> {
        if dest.starts_with("https://") {
            return Some(dest.to_string());
        }
        let full = |u: String| format!("{}{u}", self.ctx.origin);
        match self.ctx.resolve(self.doc, LinkKind::Link, dest) {
            Resolved::Url(u, ..) => Some(full(u)),
            Resolved::Keep if dest.starts_with('/') && !dest.starts_with("//") => {
                Some(full(dest.to_string()))
            }
            Resolved::Keep => {
                errs.push(self.err(format!("{what} is not a page of this site or an https:// address: {dest:?}"))
                    .help("write a path (/take-action/thanks/), a content file (@/take-action/thanks.md) or an https:// address"));
                None
            }
            Resolved::Missing(message, help) => {
                errs.push(self.err(format!("{what}: {message}")).help(help));
                None
            }
            Resolved::Gone(message, help) => {
                errs.push(self.err(format!("{what}: {message}")).help(help).follows());
                None
            }
        }
    }

    /// Resolves an address given to an embed like a Markdown link or image.
    fn url(&self, dest: &str, kind: LinkKind, errs: &mut Vec<Diagnostic>) -> Option<String> {
        if has_scheme(dest) {
            return match crate::content::check_url(dest) {
                Ok(()) => Some(dest.to_string()),
                Err(why) => {
                    errs.push(self.err(why));
                    None
                }
            };
        }
        match self.ctx.resolve(self.doc, kind, dest) {
            Resolved::Keep => Some(dest.to_string()),
            Resolved::Url(u, _, note, _) => {
                if let Some((note, label)) = note {
                    errs.push(self.err(note).label(label).into_warning());
                }
                Some(u)
            }
            Resolved::Missing(message, help) => {
                errs.push(self.err(message).help(help));
                None
            }
            Resolved::Gone(message, help) => {
                errs.push(self.err(message).help(help).follows());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;
    use crate::load::SourceText;

    /// A call that fails (an unknown embed, a missing argument) gives `Embed::Invalid` in its
    /// place, with its error reported; the calls around it are checked as usual.
    #[test]
    fn a_failed_embed_is_invalid() {
        let text =
            "{{< nosuch >}}\n\n{{< quote by=\"Ada\" >}}\nHi\n{{< /quote >}}\n\n{{< partner >}}\n";
        let doc = Doc {
            id: "a".into(),
            file: SourceText::new("content/a.md", Arc::from(text)),
            meta_span: 0..0,
            body: 0..text.len(),
            bundle: None,
            meta: (),
            shape: Default::default(),
            translation: None,
        };
        let (resolutions, partners, targets, routes) = Default::default();
        let (absent, assets) = (Default::default(), BTreeMap::new());
        let ctx = LinkCtx {
            raw_html: Default::default(),
            resolutions: &resolutions,
            partners: &partners,
            absent: &absent,
            targets: &targets,
            routes: &routes,
            assets: &assets,
            base_path: "/",
            forms: &Default::default(),
            images: &Default::default(),
            origin: "",
            site_url: "/",
            view: &crate::link::View {
                lang: crate::config::Language::single("en"),
                default: true,
            },
            fallback_routes: None,
            default_code: "en",
        };
        let body = crate::markdown::render(text, &mut |_, _, _| None);
        let mut errs = Vec::new();
        let embeds = ctx.embeds(&doc, &body, &mut errs);
        assert_eq!(embeds.len(), 3);
        assert_eq!(embeds[0], Embed::Invalid);
        assert_eq!(embeds[1].name(), "quote");
        assert_eq!(embeds[2], Embed::Invalid);
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}
