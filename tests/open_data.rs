//! Open data (the publishing issue, part 6): the published stories, resolutions and partners
//! under `data/` as JSON and CSV, with absolute addresses; drafts and scheduled stories never;
//! no CSV cell a spreadsheet would run as a formula.

use crate::support::{Test, snapshot};

fn json(out: &crate::support::Outcome, file: &str) -> serde_json::Value {
    serde_json::from_str(&out.output(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn the_bundled_sites_open_data_lists_every_published_entry() {
    let out = Test::bundled().run().success();
    let public = out.test.path("public");
    let pages: Vec<String> = snapshot(&public).into_iter().map(|(p, _)| p).collect();
    for (file, key, folder) in [
        ("data/stories.json", "stories", "stories/"),
        ("data/resolutions.json", "resolutions", "resolutions/"),
        ("data/partners.json", "partners", "partners/"),
    ] {
        let data = json(&out, file);
        assert_eq!(data["source"], "https://endchilddetention.example.org/");
        let items = data[key].as_array().expect("a list");
        // Every entry page of the default language, and nothing else.
        let expected = pages
            .iter()
            .filter(|p| {
                let parts: Vec<&str> = p.split('/').collect();
                parts.len() == 3
                    && format!("{}/", parts[0]) == folder
                    && parts[1] != "page"
                    && parts[2] == "index.html"
            })
            .count();
        assert_eq!(items.len(), expected, "{file}");
        for item in items {
            let url = item["url"].as_str().expect("url");
            let path = url
                .strip_prefix("https://endchilddetention.example.org/")
                .unwrap_or_else(|| panic!("{url} is not absolute"));
            assert!(public.join(path).join("index.html").is_file(), "{url}");
            assert!(item["id"].as_str().is_some_and(|id| !id.is_empty()));
        }
    }
    for (file, json_file, key) in [
        ("data/partners.csv", "data/partners.json", "partners"),
        (
            "data/resolutions.csv",
            "data/resolutions.json",
            "resolutions",
        ),
    ] {
        let rows = csv_rows(&out.output(file));
        assert_eq!(rows[0][0], "id", "{file}");
        let items = json(&out, json_file)[key].as_array().expect("list").len();
        assert_eq!(rows.len(), items + 1, "{file}: a header and a row each");
        assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{file}");
    }
    let res = json(&out, "data/resolutions.json");
    let r = res["resolutions"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["symbol"] == "A/RES/69/187")
        .expect("A/RES/69/187");
    assert_eq!(r["adopted"], "2014-12-18");
    assert_eq!(r["kind"], "resolution");
}

#[test]
fn drafts_stay_out_and_spreadsheet_formulas_are_neutralised() {
    let out = Test::new()
        .builtin_theme()
        .story("kept", "title: Kept\ndate: 2024-01-01\nsummary: \"K.\"", "Text.\n")
        .story("draft", "title: Xylophonic draft\ndate: 2024-01-02\nsummary: \"D.\"\ndraft: true", "Text.\n")
        .story("later", "title: Quokkalike later\ndate: 2999-01-01\nsummary: \"L.\"", "Text.\n")
        .partner(
            "formula",
            "name: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"click\\\")\"\nacronym: \"+SUM(1)\"\ntype: ngo\nregion: global\nwebsite: https://example.org/\nroles: [\"@cmd\"]",
            "Text.\n",
        )
        .partner(
            "hidden",
            "name: Zanzibarish hidden\ntype: ngo\nregion: global\ndraft: true",
            "Text.\n",
        )
        .run()
        .success();
    for file in [
        "data/stories.json",
        "data/partners.json",
        "data/partners.csv",
    ] {
        let text = out.output(file);
        for word in ["Xylophonic", "Quokkalike", "Zanzibarish"] {
            assert!(!text.contains(word), "{file} holds {word}");
        }
    }
    let stories = json(&out, "data/stories.json");
    assert_eq!(stories["stories"].as_array().map(Vec::len), Some(1));
    // JSON keeps the text as written; CSV makes sure no cell starts a formula.
    let partners = json(&out, "data/partners.json");
    assert_eq!(
        partners["partners"][0]["name"],
        "=HYPERLINK(\"https://evil.example\",\"click\")"
    );
    let rows = csv_rows(&out.output("data/partners.csv"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[1][1],
        "'=HYPERLINK(\"https://evil.example\",\"click\")"
    );
    assert_eq!(rows[1][2], "'+SUM(1)");
    assert_eq!(rows[1][8], "'@cmd");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

/// A small site with every field filled in, and some left out.
fn fields_site() -> crate::support::Test {
    Test::new()
        .story(
            "full",
            "title: \"Full \\u2028 story </script>\"\ndate: 2024-03-05\nsummary: \"All \\x01 fields.\"\nauthor: \"Ana Pérez\"\ntags: [CRC, crc, \"Alternatives to detention\"]",
            "Text.\n",
        )
        .story(
            "bare",
            "title: Bare\ndate: 2024-01-01\nsummary: \"No author.\"",
            "Text.\n",
        )
        .resolution(
            "a-res-71-1",
            "title: \"New York Declaration\"\nfull_title: \"New York Declaration for Refugees and Migrants\"\nsymbol: \"A/RES/71/1\"\nbody: \"UN General Assembly\"\nadopted: 2016-09-19\nkind: declaration\nstance: last-resort\nurl: \"https://undocs.org/en/A/RES/71/1\"",
            "",
        )
        .resolution(
            "dgd",
            "title: \"-2012 Day of General Discussion\"\nbody: \"Committee on the Rights of the Child\"\nadopted: 2012-09\nkind: day-of-general-discussion",
            "",
        )
        .partner(
            "idc",
            "name: \"International Detention Coalition\"\nacronym: IDC\ntype: network\nregion: global\ncountry: AU\nwebsite: \"https://idcoalition.org\"\njoined: 2012\nroles: [campaign-coordinator, working-group-chair]",
            "Text.\n",
        )
        .partner("bare", "name: Bare\ntype: ngo\nregion: europe", "Text.\n")
}

#[test]
fn every_key_holds_the_entrys_value_and_the_csv_says_the_same() {
    let out = fields_site().run().success();
    let stories = json(&out, "data/stories.json");
    assert_eq!(stories["language"], "en");
    assert_eq!(
        stories["stories"],
        serde_json::json!([
            {"id": "full", "title": "Full \u{2028} story </script>", "date": "2024-03-05",
             "summary": "All \u{1} fields.", "author": "Ana Pérez",
             "tags": ["crc", "alternatives-to-detention"],
             "url": "https://example.org/stories/full/"},
            {"id": "bare", "title": "Bare", "date": "2024-01-01", "summary": "No author.",
             "author": null, "tags": [], "url": "https://example.org/stories/bare/"}
        ])
    );
    // What no file may hold is escaped; HTML needs no escape in a file of its own.
    let text = out.output("data/stories.json");
    assert!(text.contains(r"Full \u2028 story </script>"), "{text}");
    assert!(!text.contains('\u{1}') && !text.contains('\u{2028}'));

    let resolutions = json(&out, "data/resolutions.json")["resolutions"].clone();
    let declaration = serde_json::json!({"id": "a-res-71-1", "title": "New York Declaration",
        "full_title": "New York Declaration for Refugees and Migrants", "symbol": "A/RES/71/1",
        "body": "UN General Assembly", "adopted": "2016-09-19", "kind": "declaration",
        "stance": "last-resort", "official_url": "https://undocs.org/en/A/RES/71/1",
        "url": "https://example.org/resolutions/a-res-71-1/"});
    let dgd = serde_json::json!({"id": "dgd", "title": "-2012 Day of General Discussion",
        "full_title": null, "symbol": null, "body": "Committee on the Rights of the Child",
        "adopted": "2012-09", "kind": "day-of-general-discussion", "stance": null,
        "official_url": null, "url": "https://example.org/resolutions/dgd/"});
    let items = resolutions.as_array().expect("list");
    assert_eq!(items.len(), 2);
    assert!(
        items.contains(&declaration) && items.contains(&dgd),
        "{items:?}"
    );

    let partners = json(&out, "data/partners.json")["partners"].clone();
    let idc = serde_json::json!({"id": "idc", "name": "International Detention Coalition",
        "acronym": "IDC", "type": "network", "region": "global", "country": "AU",
        "website": "https://idcoalition.org", "joined": 2012,
        "roles": ["campaign-coordinator", "working-group-chair"],
        "url": "https://example.org/partners/idc/"});
    let bare = serde_json::json!({"id": "bare", "name": "Bare", "acronym": null, "type": "ngo",
        "region": "europe", "country": null, "website": null, "joined": null, "roles": [],
        "url": "https://example.org/partners/bare/"});
    let items = partners.as_array().expect("list");
    assert!(items.contains(&idc) && items.contains(&bare), "{items:?}");

    // Each CSV row is its JSON object, key for column, in the same order.
    for (csv_file, json_file, key) in [
        (
            "data/resolutions.csv",
            "data/resolutions.json",
            "resolutions",
        ),
        ("data/partners.csv", "data/partners.json", "partners"),
    ] {
        let rows = csv_rows(&out.output(csv_file));
        let objects = json(&out, json_file)[key].clone();
        let objects = objects.as_array().expect("list");
        assert_eq!(rows.len(), objects.len() + 1, "{csv_file}");
        for (row, object) in rows[1..].iter().zip(objects) {
            for (column, cell) in rows[0].iter().zip(row) {
                let expected = match &object[column] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) if s.starts_with('-') => format!("'{s}"),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(a) => (a.iter())
                        .map(|v| v.as_str().expect("text"))
                        .collect::<Vec<_>>()
                        .join(";"),
                    other => other.to_string(),
                };
                assert_eq!(cell, &expected, "{csv_file}: {column}");
            }
        }
    }
}

#[test]
fn open_data_false_publishes_none() {
    let out = fields_site()
        .file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\ntheme: test\nopen_data: false\n",
        )
        .run()
        .success();
    for file in [
        "data/stories.json",
        "data/resolutions.json",
        "data/partners.json",
        "data/resolutions.csv",
        "data/partners.csv",
    ] {
        assert!(!out.out_path(file).exists(), "{file}");
    }
    out.exists("stories/full/index.html");
}

#[test]
fn other_languages_publish_no_open_data_of_their_own() {
    let out = fields_site()
        .file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\ntheme: test\nlanguages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n",
        )
        .run()
        .success();
    out.exists("data/stories.json")
        .missing("es/data/stories.json");
}
