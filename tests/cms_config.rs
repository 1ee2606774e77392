//! `rally cms-config`: the Sveltia/Decap configuration made from rally's content types covers
//! every collection and field, maps choices and references, is valid for the CMS itself, and
//! never replaces a file rally did not make.

use rally::collection::Collection;
use rally::edit::cms::{Backend, config};
use rally::edit::schema;
use serde_json::Value;

use crate::support::Test;

fn backend() -> Backend {
    Backend {
        name: "github".into(),
        repo: "campaign/site".into(),
        branch: "main".into(),
    }
}

/// The bundled site's configuration, as JSON.
fn bundled(csv: bool) -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text: std::sync::Arc<str> = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .into();
    let site = rally::config::SiteConfig::parse(&text).unwrap();
    let yaml = config(&site, &backend(), csv);
    serde_yaml::from_str(&yaml).unwrap()
}

fn collection<'a>(cfg: &'a Value, name: &str) -> &'a Value {
    cfg["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn field<'a>(fields: &'a Value, name: &str) -> Option<&'a Value> {
    fields.as_array()?.iter().find(|f| f["name"] == name)
}

/// A property with `anyOf [T, null]` and `$ref` resolved.
fn resolved(schema: &Value, prop: &Value) -> Value {
    let mut p = prop.clone();
    if let Some(inner) = p["anyOf"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["type"] != "null"))
    {
        p = inner.clone();
    }
    if let Some(r) = p["$ref"].as_str() {
        p = schema["$defs"][r.rsplit('/').next().unwrap()].clone();
    }
    p
}

#[test]
fn every_collection_and_field_is_in_the_config_with_its_choices_and_references() {
    let cfg = bundled(false);
    for (c, name) in [
        (Collection::Stories, "stories"),
        (Collection::Resolutions, "resolutions"),
        (Collection::Partners, "partners"),
        (Collection::Pages, "pages"),
    ] {
        let s = schema::of(c);
        let col = collection(&cfg, name);
        let fields = &col["fields"];
        for (key, prop) in s["properties"].as_object().unwrap() {
            // The two documented exceptions (see the config's header).
            if key == "translations" || (c == Collection::Resolutions && key == "body") {
                continue;
            }
            let f = field(fields, key).unwrap_or_else(|| panic!("{name}: no field {key}"));
            let required = s["required"].as_array().unwrap().iter().any(|r| r == key);
            assert_eq!(f["required"], required, "{name}.{key}");
            let p = resolved(&s, prop);
            let values: Option<Vec<Value>> = p["enum"].as_array().cloned().or_else(|| {
                p["oneOf"]
                    .as_array()
                    .map(|o| o.iter().map(|c| c["const"].clone()).collect())
            });
            if let Some(values) = values {
                assert_eq!(f["widget"], "select", "{name}.{key}");
                assert_eq!(f["options"].as_array().unwrap(), &values, "{name}.{key}");
            }
            match prop["x-rally-ref"].as_str() {
                Some(r @ ("resolutions" | "partners")) => {
                    assert_eq!(f["widget"], "relation", "{name}.{key}");
                    assert_eq!(f["collection"], r, "{name}.{key}");
                    assert_eq!(f["multiple"], true);
                    // The collection it names exists.
                    collection(&cfg, r);
                }
                Some("countries") => {
                    assert_eq!(f["widget"], "select");
                    assert!(f["options"].as_array().unwrap().len() > 100);
                }
                _ => {}
            }
        }
        // Every field is a key of the type (or the text).
        for f in fields.as_array().unwrap() {
            let key = f["name"].as_str().unwrap();
            assert!(
                key == "body" || s["properties"].get(key).is_some(),
                "{name}: extra field {key}"
            );
        }
        assert!(
            name == "partners" || field(fields, "body").is_some_and(|b| b["widget"] == "markdown")
        );
    }
    // A story's picture: a file and its required description.
    let image = field(&collection(&cfg, "stories")["fields"], "image").unwrap();
    assert_eq!(image["widget"], "object");
    assert_eq!(field(&image["fields"], "src").unwrap()["widget"], "image");
    assert_eq!(field(&image["fields"], "alt").unwrap()["required"], true);
    // partners.yaml: a list at the file's root, its rows with every field of a partner.
    let list = &collection(&cfg, "partner_list")["files"][0];
    assert_eq!(list["file"], "content/partners.yaml");
    let rows = &list["fields"][0];
    assert_eq!(rows["root"], true);
    for key in ["id", "name", "type", "region", "country", "roles"] {
        assert!(field(&rows["fields"], key).is_some(), "partner rows: {key}");
    }
    // The site's languages, translations beside their originals.
    assert_eq!(cfg["i18n"]["structure"], "multiple_files");
    assert_eq!(
        cfg["i18n"]["locales"],
        serde_json::json!(["en", "es", "fr", "ar"])
    );
    assert_eq!(
        field(&collection(&cfg, "stories")["fields"], "title").unwrap()["i18n"],
        true
    );
    assert!(
        field(&collection(&cfg, "stories")["fields"], "date")
            .unwrap()
            .get("i18n")
            .is_none()
    );
}

#[test]
fn the_config_is_valid_for_the_cms_itself() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("src/edit/cms/config-schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("Sveltia's schema compiles");
    // The check can fail: a widget the CMS does not know, a collection without fields.
    let mut broken = bundled(false);
    broken["collections"][0]["fields"][0]["widget"] = serde_json::json!("no-such-widget");
    broken["collections"][1]["fields"] = serde_json::json!("none");
    assert!(
        !validator.is_valid(&broken),
        "a broken config passes Sveltia's schema"
    );
    for csv in [false, true] {
        let cfg = bundled(csv);
        let errors: Vec<String> = validator
            .iter_errors(&cfg)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .take(10)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn a_spreadsheet_of_partners_is_named_as_what_the_cms_cannot_edit() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text: std::sync::Arc<str> = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .into();
    let site = rally::config::SiteConfig::parse(&text).unwrap();
    let yaml = config(&site, &backend(), true);
    assert!(
        yaml.contains("content/partners.csv: a spreadsheet"),
        "{yaml}"
    );
    assert!(!yaml.contains("partner_list"));
}

#[test]
fn the_command_writes_the_admin_folder_and_never_replaces_a_hand_made_one() {
    let t = Test::new().file("content/about.md", "---\ntitle: About\n---\n");
    let out = t
        .args(&["cms-config", "--repo", "campaign/site", "--admin-page"])
        .run()
        .success();
    let t = out.test;
    let config = t.read("static/admin/config.yml");
    assert!(config.contains("repo: campaign/site"), "{config}");
    let page = t.read("static/admin/index.html");
    assert!(page.contains("src=\"./sveltia-cms.js\""), "{page}");
    assert!(
        !page.contains("http"),
        "the page loads nothing from elsewhere: {page}"
    );
    assert!(t.path("static/admin/sveltia-cms.js").is_file());
    // Again: nothing changes.
    let out = t
        .args(&["cms-config", "--repo", "campaign/site"])
        .run()
        .success();
    assert!(
        out.stdout.contains("unchanged static/admin/config.yml"),
        "{}",
        out.stdout
    );
    // A configuration written by hand stays.
    let t = out
        .test
        .file("static/admin/config.yml", "backend:\n  name: git-gateway\n");
    let out = t
        .args(&["cms-config"])
        .run()
        .failure(1)
        .stderr_has(&["static/admin/config.yml exists and was not made by rally cms-config"]);
    assert_eq!(
        out.test.read("static/admin/config.yml"),
        "backend:\n  name: git-gateway\n"
    );
}
