//! Embeds: each `{{< name >}}` in a body becomes the theme's component of that name, rendered
//! in place of its marker.

use tera::{Context, Tera, Value};

use super::deps::TemplateInfoRef;
use super::errors::{RenderError, template_error};
use super::obj::Obj;
use super::ui::Labels;
use super::values::{partner_fields, res_ref};
use crate::config::Endpoint;
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
    lang: (&str, &Labels),
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
        let (ctx, body) = context(site, embed, i, lang);
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
            .render_component_with_implicits(name, &ctx, t.language, body, true)
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
///
/// `i` is the embed's place in its entry, for ids that differ between two forms on a page.
fn context<'e>(
    site: &Site,
    embed: &'e Embed,
    i: usize,
    lang: (&str, &Labels),
) -> (Context, Option<&'e str>) {
    let mut ctx = Context::new();
    let mut body = None;
    match embed {
        Embed::Cite {
            resolution,
            paragraph,
        } => {
            let r = &site.resolutions[*resolution];
            let m = &r.doc.meta;
            ctx.insert_value("resolution", res_ref(site, *resolution, lang));
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
                    lang.1,
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
        Embed::Form {
            kind,
            title,
            thanks,
            privacy,
        } => form(&mut ctx, site, kind, title.as_deref(), thanks, privacy, i),
        Embed::Letter {
            to,
            subject,
            title,
            text,
        } => {
            ctx.insert("id", &embed_id("letter", i));
            ctx.insert_value("to", to.as_deref().into());
            ctx.insert("subject", subject);
            ctx.insert_value("title", title.as_deref().into());
            ctx.insert("text", text);
        }
        Embed::Share { title, links } => {
            ctx.insert_value("title", title.as_deref().into());
            let links: Vec<Value> = links
                .iter()
                .map(|(name, url)| {
                    Obj::new()
                        .set("name", name.as_str())
                        .set("url", url.as_str())
                        .build()
                })
                .collect();
            ctx.insert_value("links", Value::from(links));
        }
        Embed::Invalid => {}
    }
    (ctx, body)
}

/// The `form` component's values: how the form leaves the site (`mode`: `post` to an
/// endpoint, `mailto` the contact address, or `off`), with the fields each mode needs and the
/// sentence saying where the data goes.
fn form(
    ctx: &mut Context,
    site: &Site,
    kind: &str,
    title: Option<&str>,
    thanks: &Option<String>,
    privacy_url: &Option<String>,
    i: usize,
) {
    let forms = &site.config.forms;
    let config = forms.get(kind).cloned().unwrap_or_default();
    let endpoint = config
        .endpoint
        .as_deref()
        .and_then(|e| crate::config::endpoint(e).ok());
    let (mode, action, said) = match (endpoint, &forms.contact_email) {
        (Some(Endpoint::Https { url, host }), _) => (
            "post",
            url.to_string(),
            format!("What you send goes to {host}."),
        ),
        (Some(Endpoint::SameSite(path)), _) => (
            "post",
            path.to_string(),
            "What you send goes to the host of this website.".to_string(),
        ),
        (None, Some(email)) => (
            "mailto",
            format!("mailto:{email}"),
            format!("Your email program sends this to {email}; nothing is stored on this website."),
        ),
        (None, None) => (
            "off",
            String::new(),
            "This form is not open yet: the website has nowhere to send it.".to_string(),
        ),
    };
    let (default_title, subject, template) = match kind {
        "endorse" => (
            "Endorse the campaign",
            "Endorsement of the campaign",
            "Organisation:\nContact name:\nEmail:\nCountry:\nMessage (optional):\n",
        ),
        _ => (
            "Get updates by email",
            "Sign up for updates",
            "Name:\nEmail:\n",
        ),
    };
    ctx.insert("kind", kind);
    ctx.insert("id", &embed_id(kind, i));
    ctx.insert("title", title.unwrap_or(default_title));
    ctx.insert("mode", mode);
    ctx.insert("action", &action);
    ctx.insert("netlify", &matches!(endpoint, Some(Endpoint::SameSite(_))));
    ctx.insert(
        "honeypot",
        config
            .honeypot
            .as_deref()
            .unwrap_or(crate::config::DEFAULT_HONEYPOT),
    );
    ctx.insert_value("thanks", thanks.as_deref().into());
    ctx.insert("privacy", config.privacy.as_deref().unwrap_or(&said));
    ctx.insert_value("privacy_url", privacy_url.as_deref().into());
    ctx.insert("subject", subject);
    ctx.insert("template", template);
    ctx.insert(
        "contact_email",
        forms.contact_email.as_deref().unwrap_or(""),
    );
    let fields: Vec<Value> = FIELDS
        .iter()
        .filter(|f| f.kinds.contains(&kind))
        .map(|f| {
            Obj::new()
                .set("name", f.name)
                .set("label", f.label)
                .set("type", f.input)
                .set("autocomplete", f.autocomplete)
                .set("required", f.required)
                .build()
        })
        .collect();
    ctx.insert_value("fields", Value::from(fields));
}

/// One field of a form.
struct Field {
    /// The forms it is part of.
    kinds: &'static [&'static str],
    name: &'static str,
    label: &'static str,
    /// The input's `type`, or `textarea`.
    input: &'static str,
    autocomplete: &'static str,
    required: bool,
}

/// The fields of every kind of form, in order.
const FIELDS: &[Field] = &[
    Field {
        kinds: &["endorse"],
        name: "organisation",
        label: "Organisation",
        input: "text",
        autocomplete: "organization",
        required: true,
    },
    Field {
        kinds: &["endorse", "signup"],
        name: "name",
        label: "Your name",
        input: "text",
        autocomplete: "name",
        required: true,
    },
    Field {
        kinds: &["endorse", "signup"],
        name: "email",
        label: "Email",
        input: "email",
        autocomplete: "email",
        required: true,
    },
    Field {
        kinds: &["endorse"],
        name: "country",
        label: "Country",
        input: "text",
        autocomplete: "country-name",
        required: true,
    },
    Field {
        kinds: &["endorse"],
        name: "message",
        label: "Message",
        input: "textarea",
        autocomplete: "off",
        required: false,
    },
];

/// The id of a form embed's element: `endorse--1`. Heading ids are slugs, which never hold
/// two hyphens in a row, so no heading of the page can take it.
fn embed_id(kind: &str, i: usize) -> String {
    format!("{kind}--{i}")
}
