//! `rally cms-config`: a Sveltia CMS (Decap-compatible) `config.yml` made from the same JSON
//! Schemas as the editor's forms, so a team can also edit through its Git host; and, on
//! request, the `admin/` page that loads the CMS from a copy vendored from npm (`cms/`).
//!
//! What the CMS cannot express is said in the file's header: a partner list kept as a
//! spreadsheet (`partners.csv`), partners' translated fields (`translations:`), and rally's own
//! checks (references that must exist, pages' embeds).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::schema;
use crate::collection::Collection;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// The vendored CMS (see `src/edit/cms/README.md`).
pub const SVELTIA_VERSION: &str = "0.221.1";
const SVELTIA_JS: &[u8] = include_bytes!("cms/sveltia-cms.js");
const SVELTIA_LICENSE: &str = include_str!("cms/LICENSE.txt");

/// The first line of every file rally writes here: a file without it is never replaced.
const MARK: &str = "Made by `rally cms-config`";

/// Where the CMS's files go: `static/admin/`, published with the site at `/admin/`.
pub const ADMIN: &str = "static/admin";

/// Where the Git host keeps the site, for the CMS's `backend`.
#[derive(Debug, Clone)]
pub struct Backend {
    pub name: String,
    pub repo: String,
    pub branch: String,
}

/// The `config.yml` text for the site.
pub fn config(site: &SiteConfig, backend: &Backend, csv_partners: bool) -> String {
    let languages = site.languages();
    let multilingual = languages.len() > 1;
    let mut collections = Vec::new();
    for c in [
        Collection::Stories,
        Collection::Resolutions,
        Collection::Partners,
        Collection::Pages,
    ] {
        let s = schema::of(c);
        let translated: &[&str] = if multilingual {
            crate::scaffold::translated_keys(c)
        } else {
            &[]
        };
        let mut fields = fields_of(&s, translated);
        // The CMS's text after the front matter is its field `body`: a resolution's own
        // `body:` (the adopting organ) cannot be a field too (see the header).
        fields.retain(|f| f["name"] != "body");
        if c != Collection::Partners {
            let mut body =
                json!({ "label": "Text", "name": "body", "widget": "markdown", "required": false });
            if multilingual {
                body["i18n"] = json!(true);
            }
            fields.push(body);
        }
        let (name, label, folder) = match c {
            Collection::Stories => ("stories", "Stories", "content/stories"),
            Collection::Resolutions => (
                "resolutions",
                "Resolutions and standards",
                "content/resolutions",
            ),
            Collection::Partners => ("partners", "Partners (files)", "content/partners"),
            Collection::Pages => ("pages", "Pages", "content"),
        };
        let mut col = json!({
            "name": name,
            "label": label,
            "folder": folder,
            "extension": "md",
            "format": "yaml-frontmatter",
            "create": true,
            "slug": "{{slug}}",
            "identifier_field": if c == Collection::Partners { "name" } else { "title" },
            "fields": fields,
        });
        if c != Collection::Pages {
            // Pictures beside the entry, as rally's bundles keep them.
            col["media_folder"] = json!("");
            col["public_folder"] = json!("");
        }
        if multilingual {
            col["i18n"] = json!(true);
        }
        collections.push(col);
    }
    if !csv_partners {
        let row = schema::partner_row();
        collections.push(json!({
            "name": "partner_list",
            "label": "Partners (list)",
            "files": [{
                "name": "partners",
                "label": "partners.yaml",
                "file": "content/partners.yaml",
                "fields": [{
                    "name": "partners",
                    "label": "Partners",
                    "widget": "list",
                    "root": true,
                    "summary": "{{name}}",
                    "fields": fields_of(&row, &[]),
                }],
            }],
        }));
    }
    let mut root = json!({
        "backend": { "name": backend.name, "repo": backend.repo, "branch": backend.branch },
        "media_folder": "static/images",
        "public_folder": "/images",
        "site_url": site.base_url,
        "collections": collections,
    });
    if multilingual {
        root["i18n"] = json!({
            "structure": "multiple_files",
            "locales": languages.iter().map(|l| &*l.code).collect::<Vec<_>>(),
            "default_locale": &*languages[0].code,
        });
    }
    let yaml = serde_yaml::to_string(&root).unwrap_or_default();
    let mut header = format!(
        "# {MARK} from rally's content types: run it again after upgrading rally instead of\n\
         # editing this file. Sveltia CMS (or Decap CMS) reads it at /admin/.\n\
         # Set `backend` to your Git host (rally cms-config --repo OWNER/NAME).\n\
         # Not expressed here, so checked only by `rally check` and `rally serve`'s editor:\n\
         # - that resolutions and partners a story names exist, and the embeds in the text;\n\
         # - partners' translated names and descriptions (`translations:`): edit them as text;\n\
         # - a resolution's `body:` (the adopting organ, e.g. UN General Assembly): the CMS\n\
         #   calls the text after the front matter `body`, so it cannot show this key; set it\n\
         #   in rally serve's editor or a text editor, and keep it when saving from the CMS.\n"
    );
    if csv_partners {
        header.push_str(
            "# - content/partners.csv: a spreadsheet, which the CMS cannot edit; use a spreadsheet\n\
             #   program (or rally serve's editor, as text).\n",
        );
    }
    if multilingual {
        header.push_str(
            "# Translations are files beside their original (x.es.md): fields not marked `i18n`\n\
             # are left out of them and taken from the original, as rally does.\n",
        );
    }
    header + &yaml
}

/// The CMS fields of a JSON Schema's properties, in the type's order where it has one (its
/// required keys first).
fn fields_of(schema: &Value, translated: &[&str]) -> Vec<Value> {
    let empty = Map::new();
    let props = schema["properties"].as_object().unwrap_or(&empty);
    let defs = schema["$defs"].as_object().unwrap_or(&empty);
    let required: Vec<&str> = (schema["required"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    let mut keys: Vec<&String> = props.keys().collect();
    keys.sort_by_key(|k| required.iter().position(|r| r == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .filter_map(|k| {
            field(
                k,
                &props[k],
                required.contains(&k.as_str()),
                defs,
                translated,
            )
        })
        .collect()
}

/// Words for a key: `full_title` is "Full title".
fn label(key: &str) -> String {
    let s = key.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One CMS field; `translated` lists the keys a translation carries (what `rally new --lang`
/// copies for translating), marked `i18n`.
fn field(
    key: &str,
    prop: &Value,
    required: bool,
    defs: &Map<String, Value>,
    translated: &[&str],
) -> Option<Value> {
    // `Option<T>` is `anyOf [T, null]` or `type: [T, "null"]`; `$ref` points into `$defs`.
    let mut p = prop.clone();
    if let Some(inner) = (p["anyOf"].as_array().into_iter().flatten()).find(|b| b["type"] != "null")
    {
        p = inner.clone();
    }
    if let Some(r) = p["$ref"].as_str() {
        p = defs
            .get(r.rsplit('/').next().unwrap_or(""))
            .cloned()
            .unwrap_or(Value::Null);
    }
    let ty = match &p["type"] {
        Value::Array(types) => types
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or(Value::Null),
        t => t.clone(),
    };
    let mut f = json!({ "label": label(key), "name": key, "required": required });
    if let Some(d) = prop["description"].as_str().or(p["description"].as_str()) {
        f["hint"] = json!(d.replace('\n', " "));
    }
    let options: Option<Vec<Value>> = p["enum"].as_array().cloned().or_else(|| {
        p["oneOf"]
            .as_array()
            .map(|o| o.iter().filter_map(|c| c.get("const").cloned()).collect())
    });
    let reference = prop["x-rally-ref"].as_str().or(p["x-rally-ref"].as_str());
    match (options, ty.as_str(), reference) {
        (Some(opts), _, _) => {
            f["widget"] = json!("select");
            f["options"] = json!(opts);
        }
        (_, Some("string"), Some("countries")) => {
            f["widget"] = json!("select");
            f["options"] = json!(
                crate::content::countries::COUNTRIES
                    .iter()
                    .map(|(code, name, _)| json!({ "label": name, "value": code }))
                    .collect::<Vec<_>>()
            );
        }
        (_, Some("array"), Some(r @ ("resolutions" | "partners"))) => {
            f["widget"] = json!("relation");
            f["collection"] = json!(r);
            f["value_field"] = json!("{{slug}}");
            f["search_fields"] = json!(if r == "partners" {
                ["name", "acronym"]
            } else {
                ["title", "symbol"]
            });
            f["display_fields"] = json!(if r == "partners" { ["name"] } else { ["title"] });
            f["multiple"] = json!(true);
        }
        (_, Some("array"), _) => {
            let item = match p["items"]["$ref"].as_str() {
                Some(r) => defs
                    .get(r.rsplit('/').next().unwrap_or(""))
                    .cloned()
                    .unwrap_or(Value::Null),
                None => p["items"].clone(),
            };
            f["widget"] = json!("list");
            if item["type"] == "object" {
                f["fields"] = json!(fields_of(&item, &[]));
            }
        }
        (_, Some("object"), _) if p["properties"].is_object() => {
            f["widget"] = json!("object");
            let mut sub = fields_of(&p, &[]);
            for s in &mut sub {
                if p["properties"][s["name"].as_str().unwrap_or("")]["x-rally-image"] == true {
                    s["widget"] = json!("image");
                }
            }
            f["fields"] = json!(sub);
        }
        // A map of anything (partners' `translations:`): left to text, as the header says.
        (_, Some("object"), _) => return None,
        (_, Some("boolean"), _) => f["widget"] = json!("boolean"),
        (_, Some("integer"), _) => {
            f["widget"] = json!("number");
            f["value_type"] = json!("int");
        }
        _ if p["format"] == "date" => {
            f["widget"] = json!("datetime");
            f["format"] = json!("YYYY-MM-DD");
            f["time_format"] = json!(false);
        }
        _ if p["x-rally-partial-date"] == true => {
            f["widget"] = json!("string");
            f["pattern"] = json!([
                p["pattern"],
                "a year (2016), a month (2016-09) or a day (2016-09-19)"
            ]);
        }
        _ if key == "summary" || key == "description" => f["widget"] = json!("text"),
        _ if prop["x-rally-image"] == true || p["x-rally-image"] == true => {
            f["widget"] = json!("image")
        }
        _ => f["widget"] = json!("string"),
    }
    if translated.contains(&key) {
        f["i18n"] = json!(true);
    }
    Some(f)
}

/// What `rally cms-config` wrote or kept.
#[derive(Debug)]
pub enum Wrote {
    Written(PathBuf),
    Unchanged(PathBuf),
}

/// Writes `static/admin/config.yml` (and with `admin_page`, `index.html`, the CMS script and
/// its licence) into the site at `root`. A file there that rally did not make is never
/// replaced: an error names it.
pub fn write(root: &Path, backend: &Backend, admin_page: bool) -> Result<Vec<Wrote>, Diagnostic> {
    let text = crate::load::read_text(
        &root.join(crate::config::CONFIG_FILE),
        crate::config::CONFIG_FILE,
    )?;
    let site = SiteConfig::parse(&text)?;
    let csv = root.join("content/partners.csv").is_file();
    let mut files: Vec<(&str, Vec<u8>)> =
        vec![("config.yml", config(&site, backend, csv).into_bytes())];
    if admin_page {
        files.push(("index.html", admin_html().into_bytes()));
        files.push(("sveltia-cms.js", SVELTIA_JS.to_vec()));
        files.push((
            "sveltia-cms.LICENSE.txt",
            format!("Sveltia CMS {SVELTIA_VERSION}, vendored from npm (@sveltia/cms). {MARK}.\n\n{SVELTIA_LICENSE}").into_bytes(),
        ));
    }
    let dir = root.join(ADMIN);
    // Check every file before writing any.
    for (name, bytes) in &files {
        let path = dir.join(name);
        if let Ok(old) = std::fs::read(&path)
            && old != *bytes
            && !made_by_rally(name, &old)
        {
            return Err(Diagnostic::error(format!(
                "{ADMIN}/{name} exists and was not made by rally cms-config: it is left as it is"
            ))
            .help(format!("move or rename {ADMIN}/{name} (it may be a CMS set up by hand), then run rally cms-config again")));
        }
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::error(format!("cannot create {ADMIN}/: {e}")))?;
    let mut out = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        let rel = PathBuf::from(ADMIN).join(name);
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            out.push(Wrote::Unchanged(rel));
            continue;
        }
        super::save::write_atomic(&path, &bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", rel.display())))?;
        out.push(Wrote::Written(rel));
    }
    Ok(out)
}

fn made_by_rally(name: &str, old: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&old[..old.len().min(4096)]);
    if name == "sveltia-cms.js" {
        // Any version rally vendored: the licence file beside it says so.
        return text.contains("Sveltia") || text.is_empty();
    }
    text.contains(MARK)
}

fn admin_html() -> String {
    format!(
        "<!doctype html>\n<!-- {MARK}: the CMS's page, loading Sveltia CMS {SVELTIA_VERSION} from this folder (no CDN). -->\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>Content manager</title>\n<script src=\"./sveltia-cms.js\"></script>\n</head>\n<body>\n<noscript><p>The content manager needs JavaScript.</p></noscript>\n</body>\n</html>\n"
    )
}
