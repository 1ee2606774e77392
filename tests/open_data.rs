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
