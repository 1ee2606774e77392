//! Embeds: each `{{< name >}}` in a body becomes the theme's component of that name, rendered
//! in place of its marker.

use tera::{Context, Tera, Value};

use super::deps::TemplateInfoRef;
use super::errors::{RenderError, template_error};
use super::obj::Obj;
use super::values::{partner_fields, res_ref};
use crate::diagnostics::Diagnostic;
use crate::link::{Embed, Entry, Site};
use crate::markdown::embed_marker;

/// Replaces the embed markers of one entry's HTML with the rendered components.
pub(super) fn expand<'a, M>(
    site: &Site,
    tera: &Tera,
    e: &'a Entry<M>,
    owned: Option<&'a str>,
    t: &TemplateInfoRef,
) -> Result<std::borrow::Cow<'a, str>, RenderError> {
    let (templates, theme_label) = (t.templates, t.theme_label);
    let source = owned.unwrap_or(&e.body.html);
    if e.embeds.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(source));
    }
    // Each marker is searched for after the previous one, in the entry's own HTML (never in
    // an embed's output), so the work grows with the text, not with embeds times text.
    let mut html = String::with_capacity(source.len() + 256 * e.embeds.len());
    let mut copied = 0;
    for (i, embed) in e.embeds.iter().enumerate() {
        if let Embed::Invalid = embed {
            // Its error is reported, so a site with one is not rendered; if it were: nothing.
            let marker = embed_marker(i);
            if let Some(at) = source[copied..].find(&marker) {
                html.push_str(&source[copied..copied + at]);
                copied += at + marker.len();
            }
            continue;
        }
        let (ctx, body) = context(site, embed);
        let name = embed.name();
        let span = e.body.embeds.get(i).map_or(0..0, |c| {
            e.doc.body.start + c.span.start..e.doc.body.start + c.span.end
        });
        if !tera.contains_component(name) {
            return Err(Diagnostic::error(format!("the theme has no `{name}` embed component"))
                .at(&e.doc.file.path, &e.doc.file.text, span)
                .help(format!("themes define embeds as components in templates/embeds.html: {{% component {name}(...) %}}...{{% endcomponent {name} %}}; see docs/templates.md"))
                .into());
        }
        let rendered = tera
            .render_component(name, &ctx, body, true)
            .map_err(|err| {
                let mut error = template_error(&err, templates, theme_label, &e.doc.file.path);
                // An error Tera does not place in a template is shown at the embed.
                if error.diagnostic.file.is_none() {
                    let d = error.diagnostic;
                    error.diagnostic = d.at(&e.doc.file.path, &e.doc.file.text, span.clone());
                }
                error
            })?;
        let marker = embed_marker(i);
        if let Some(at) = source[copied..].find(&marker) {
            html.push_str(&source[copied..copied + at]);
            html.push_str(rendered.trim());
            copied += at + marker.len();
        }
    }
    html.push_str(&source[copied..]);
    Ok(std::borrow::Cow::Owned(html))
}

/// What an embed's component gets: its arguments, and the text between its tags (`cta`,
/// `quote`).
fn context<'e>(site: &Site, embed: &'e Embed) -> (Context, Option<&'e str>) {
    let mut ctx = Context::new();
    let mut body = None;
    match embed {
        Embed::Cite {
            resolution,
            paragraph,
        } => {
            let r = &site.resolutions[*resolution];
            let m = &r.doc.meta;
            ctx.insert_value("resolution", res_ref(site, *resolution));
            ctx.insert_value(
                "paragraph",
                paragraph
                    .map(|p| Value::from_serializable(&m.paragraphs[p]))
                    .into(),
            );
        }
        Embed::Partner { partner } => {
            let p = &site.partners[*partner];
            ctx.insert_value(
                "partner",
                partner_fields(
                    p,
                    Obj::new()
                        .set("id", p.doc.id.as_str())
                        .set("url", site.url(&p.path)),
                )
                .build(),
            );
        }
        Embed::Cta {
            title,
            url,
            label,
            body: b,
        } => {
            ctx.insert_value("title", title.as_deref().into());
            ctx.insert("url", url);
            ctx.insert("label", label);
            body = Some(b.as_str());
        }
        Embed::Figure {
            src,
            alt,
            caption,
            credit,
        } => {
            ctx.insert("src", src);
            ctx.insert("alt", alt);
            ctx.insert_value("caption", caption.as_deref().into());
            ctx.insert_value("credit", credit.as_deref().into());
        }
        Embed::Quote { by, role, body: b } => {
            ctx.insert_value("by", by.as_deref().into());
            ctx.insert_value("role", role.as_deref().into());
            body = Some(b.as_str());
        }
        Embed::Video {
            url,
            embed_url,
            title,
            poster,
        } => {
            ctx.insert("url", url);
            ctx.insert("embed_url", embed_url);
            ctx.insert("title", title);
            ctx.insert_value("poster", poster.as_deref().into());
        }
        Embed::Invalid => {}
    }
    (ctx, body)
}
