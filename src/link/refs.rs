//! What front matter points at, checked to exist: the resolutions and partners a story cites
//! (and, the other way, the stories citing each), a story's image, a partner's logo and a
//! page's template.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::Entry;
use super::absent::Absent;
use super::resolve::LinkCtx;
use crate::content::{Collection, Doc, Page, Partner, Resolution, Story};
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::load::Sources;

/// Story front-matter references to resolutions and partners, as positions, and who cites
/// each resolution and partner.
pub(super) type Refs = (
    Diagnostics,
    Vec<Vec<usize>>,
    Vec<Vec<usize>>,
    Vec<Vec<usize>>,
    Vec<Vec<usize>>,
);

/// Checks the ids in stories' `resolutions` and `partners` (an entry left out or unreadable
/// is named with its cause) and lists them both ways.
pub(super) fn front_matter_refs(
    stories: &[Arc<Doc<Story>>],
    resolutions: &[Arc<Doc<Resolution>>],
    partners: &[Arc<Doc<Partner>>],
    absent: &Absent,
) -> Refs {
    let mut diags = Diagnostics::new();
    let res_index: HashMap<&str, usize> = resolutions
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let partner_index: HashMap<&str, usize> = partners
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut story_resolutions = Vec::with_capacity(stories.len());
    let mut story_partners = Vec::with_capacity(stories.len());
    let mut resolution_cited_by = vec![Vec::new(); resolutions.len()];
    let mut partner_cited_by = vec![Vec::new(); partners.len()];
    for (si, s) in stories.iter().enumerate() {
        let mut refs = |ids: &[String],
                        key: &str,
                        index: &HashMap<&str, usize>,
                        cited: &mut Vec<Vec<usize>>| {
            let collection = Collection::from_name(key).unwrap_or(Collection::Pages);
            let mut out = Vec::new();
            for id in ids {
                match index.get(id.as_str()) {
                    Some(&i) => {
                        let own = absent.by_id(Collection::Stories, &s.id);
                        let gone = absent.by_id(collection, id).filter(|g| g.shown);
                        if let Some(gone) = gone.filter(|_| !own.is_some_and(|o| o.shown)) {
                            let d = s.error_at(key, id, gone.preview_only());
                            diags.push(
                                d.into_warning()
                                    .label(gone.label())
                                .help("publish it first, or remove it here before this story is published"),
                            );
                        }
                        if !out.contains(&i) {
                            out.push(i);
                            cited[i].push(si);
                        }
                    }
                    None if let Some(gone) = absent.by_id(collection, id) => {
                        let d = s.error_at(key, id, gone.sentence()).label(gone.label());
                        diags.push(d.help(gone.help()).follows());
                    }
                    None => {
                        let d = s
                            .error_at(
                                key,
                                id,
                                format!(
                                    "there is no {} with id `{id}`",
                                    &key[..key.len() - 1]
                                        .replace("resolution", "resolution or standard")
                                ),
                            )
                            .label("unknown id");
                        let folder = format!("content/{key}/");
                        diags.push(match did_you_mean(id, index.keys().copied()) {
                            Some(m) => d.help(format!("did you mean `{m}`? Ids are file names in {folder} without `.md`")),
                            None => d.help(format!("ids are file names in {folder} without `.md`; create the file or fix the id")),
                        });
                    }
                }
            }
            out
        };
        story_resolutions.push(refs(
            &s.meta.resolutions,
            "resolutions",
            &res_index,
            &mut resolution_cited_by,
        ));
        story_partners.push(refs(
            &s.meta.partners,
            "partners",
            &partner_index,
            &mut partner_cited_by,
        ));
    }
    (
        diags,
        story_resolutions,
        story_partners,
        resolution_cited_by,
        partner_cited_by,
    )
}

/// Resolves stories' images and partners' logos to URLs (with the image's size when known).
pub(super) fn images(
    ctx: &LinkCtx,
    stories: &mut [Entry<Story>],
    partners: &mut [Entry<Partner>],
    diags: &mut Diagnostics,
) {
    let asset = |u: &str| {
        u.strip_prefix(ctx.base_path)
            .and_then(|key| ctx.assets.get(&key.replace("%20", " ")))
    };
    for s in stories {
        if let Some(img) = &s.doc.meta.image {
            match ctx.asset_url(&s.doc, &img.src) {
                Ok(u) => {
                    let a = asset(&u);
                    s.image_size = a.and_then(|a| a.size);
                    s.image_variants = a.and_then(|a| a.variants.clone());
                    s.image_url = Some(u);
                }
                Err(help) => diags.push(
                    s.doc
                        .error_at("src", &img.src, format!("image `{}` not found", img.src))
                        .label("no such file")
                        .help(help),
                ),
            }
        }
    }
    for p in partners {
        if let Some(logo) = &p.doc.meta.logo {
            match ctx.asset_url(&p.doc, logo) {
                Ok(u) => {
                    let a = asset(&u);
                    p.image_size = a.and_then(|a| a.size);
                    p.image_variants = a.and_then(|a| a.variants.clone());
                    p.image_url = Some(u);
                }
                Err(help) => diags.push(
                    p.doc
                        .error_at("logo", logo, format!("logo `{logo}` not found"))
                        .label("no such file")
                        .help(help),
                ),
            }
        }
    }
}

/// Checks that every page's `template` exists, in the site's or the theme's templates.
pub(super) fn page_templates(sources: &Sources, pages: &[Entry<Page>], diags: &mut Diagnostics) {
    for p in pages {
        if let Some(t) = &p.doc.meta.template {
            let exists = sources
                .templates
                .iter()
                .any(|s| s.path == *t || s.path == format!("theme/{t}"));
            if !exists {
                let names: Vec<&str> = sources
                    .templates
                    .iter()
                    .map(|s| s.path.strip_prefix("theme/").unwrap_or(&s.path))
                    .collect();
                let d = p
                    .doc
                    .error_at("template", t, format!("there is no template `{t}`"))
                    .label("unknown template");
                diags.push(match did_you_mean(t, names.iter().copied()) {
                    Some(m) => d.help(format!("did you mean `{m}`?")),
                    None => d.help("templates are files in templates/ or in the theme's templates/ folder; remove this line to use page.html"),
                });
            }
        }
    }
}
