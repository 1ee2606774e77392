//! The form of each collection, from the very types that read its front matter: a JSON
//! Schema made by `schemars` from `Story`, `Resolution`, `Partner` and `Page`, so a field
//! added to a type appears in the editor with its type, its doc comment as help, whether it is
//! required, its values (enums) and what it refers to (`x-rally-ref`).

use serde_json::Value;

use crate::collection::Collection;
use crate::content::{Page, Partner, Resolution, Story};

/// The JSON Schema of a row of a partner list (`id` included: rows name themselves).
pub fn partner_row() -> Value {
    serde_json::to_value(schemars::schema_for!(Partner)).unwrap_or(Value::Null)
}

/// The JSON Schema of a collection's front matter.
pub fn of(c: Collection) -> Value {
    let schema = match c {
        Collection::Stories => schemars::schema_for!(Story),
        Collection::Resolutions => schemars::schema_for!(Resolution),
        Collection::Partners => schemars::schema_for!(Partner),
        Collection::Pages => schemars::schema_for!(Page),
    };
    let mut v = serde_json::to_value(schema).unwrap_or(Value::Null);
    if c == Collection::Partners
        && let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut)
    {
        // A partner file takes its id from its name; `id` is for rows of a list only.
        props.remove("id");
    }
    v
}

/// The keys of the map `key` of the entry at `path` (a story's `image`) in the order its
/// type declares its required ones, then the others: how a new map is written.
pub fn map_keys(path: &str, key: &str) -> Vec<String> {
    let Ok((c, _, _)) = crate::content::classify(path) else {
        return Vec::new();
    };
    let schema = of(c);
    let mut prop = &schema["properties"][key];
    // `Option<Image>` is `anyOf: [{$ref: Image}, {type: null}]`.
    if let Some(inner) =
        (prop["anyOf"].as_array().into_iter().flatten()).find(|b| b["$ref"].is_string())
    {
        prop = inner;
    }
    if let Some(r) = prop["$ref"].as_str() {
        prop = &schema["$defs"][r.rsplit('/').next().unwrap_or("")];
    }
    let mut keys: Vec<String> = (prop["required"].as_array().into_iter().flatten())
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect();
    if let Some(all) = prop["properties"].as_object() {
        keys.extend(
            all.keys()
                .filter(|k| !keys.contains(k))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    keys
}

/// What the pickers offer: the site's topics, resolutions and partners as of the last
/// good build, and the countries rally knows.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Choices {
    pub tags: Vec<Choice>,
    pub resolutions: Vec<Choice>,
    pub partners: Vec<Choice>,
    pub countries: Vec<Choice>,
    /// Every entry, by its content link (`@/stories/x.md`), for links in the text.
    pub links: Vec<Choice>,
}

/// One value a picker offers: the id written in the file and the name shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Choices {
    /// The choices of a linked site (the default language's).
    pub fn of(site: &crate::link::Site) -> Choices {
        let choice = |id: &str, label: &str| Choice {
            id: id.to_string(),
            label: label.to_string(),
        };
        Choices {
            tags: site.tags.iter().map(|t| choice(&t.slug, &t.name)).collect(),
            resolutions: (site.resolutions.iter())
                .filter(|r| site.owns(r))
                .map(|r| {
                    let m = &r.doc.meta;
                    let label = match &m.symbol {
                        Some(s) => format!("{} ({s})", m.title),
                        None => m.title.clone(),
                    };
                    choice(&r.doc.id, &label)
                })
                .collect(),
            partners: (site.partners.iter())
                .filter(|p| site.owns(p))
                .map(|p| choice(&p.doc.id, &p.doc.meta.name))
                .collect(),
            countries: (crate::content::countries::COUNTRIES.iter())
                .map(|(code, name, _)| choice(code, name))
                .collect(),
            links: links(site),
        }
    }
}

/// Each entry the site owns as `@/…` (its file inside `content/`) and a label saying what
/// it is.
fn links(site: &crate::link::Site) -> Vec<Choice> {
    let link = |path: &str, what: &str, title: &str| Choice {
        id: format!("@/{}", path.strip_prefix("content/").unwrap_or(path)),
        label: format!("{what}: {title}"),
    };
    let mut out = Vec::new();
    out.extend(
        (site.pages.iter())
            .filter(|e| site.owns(e))
            .map(|e| link(&e.doc.file.path, "Page", &e.doc.meta.title)),
    );
    out.extend(
        (site.stories.iter())
            .filter(|e| site.owns(e))
            .map(|e| link(&e.doc.file.path, "Story", &e.doc.meta.title)),
    );
    out.extend(
        (site.resolutions.iter())
            .filter(|e| site.owns(e))
            .map(|e| link(&e.doc.file.path, "Resolution", &e.doc.meta.title)),
    );
    out.extend(
        (site.partners.iter())
            .filter(|e| site.owns(e) && e.doc.file.path.ends_with(".md"))
            .map(|e| link(&e.doc.file.path, "Partner", &e.doc.meta.name)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(c: Collection) -> Vec<String> {
        of(c)["properties"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_field_of_every_collection_is_in_its_form() {
        // The keys each type reads, as `rally new` writes them and the docs list them.
        for (c, keys) in [
            (
                Collection::Stories,
                &[
                    "title",
                    "date",
                    "summary",
                    "author",
                    "image",
                    "tags",
                    "resolutions",
                    "partners",
                    "featured",
                    "aliases",
                    "draft",
                ][..],
            ),
            (
                Collection::Resolutions,
                &[
                    "title",
                    "full_title",
                    "symbol",
                    "body",
                    "adopted",
                    "kind",
                    "url",
                    "paragraphs",
                    "stance",
                    "aliases",
                    "draft",
                ][..],
            ),
            (
                Collection::Partners,
                &[
                    "name",
                    "acronym",
                    "type",
                    "region",
                    "country",
                    "website",
                    "logo",
                    "joined",
                    "roles",
                    "description",
                    "translations",
                    "aliases",
                    "draft",
                ][..],
            ),
            (
                Collection::Pages,
                &[
                    "title",
                    "description",
                    "template",
                    "menu_weight",
                    "aliases",
                    "draft",
                ][..],
            ),
        ] {
            let mut got = props(c);
            got.sort();
            let mut want: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "{c:?}");
        }
    }

    #[test]
    fn types_required_keys_enums_and_references_are_described() {
        let story = of(Collection::Stories);
        let required: Vec<&str> = (story["required"].as_array().unwrap().iter())
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(required, ["title", "date", "summary"]);
        assert_eq!(
            story["properties"]["resolutions"]["x-rally-ref"],
            "resolutions"
        );
        assert_eq!(story["properties"]["date"]["$ref"], "#/$defs/Date");
        assert_eq!(story["$defs"]["Date"]["format"], "date");
        assert_eq!(
            story["$defs"]["Image"]["required"],
            serde_json::json!(["src", "alt"])
        );
        let res = of(Collection::Resolutions);
        let kinds = &res["$defs"]["ResolutionKind"];
        let text = kinds.to_string();
        for k in crate::content::ResolutionKind::ALL {
            assert!(
                text.contains(&format!("\"{}\"", k.key())),
                "{k:?} in {text}"
            );
        }
    }
}
