//! The partners page's world map and country lists (issue 19): each partner's `country` is an
//! ISO 3166 code, checked when the file is read, shown by name, and coloured on a map drawn
//! at build time from Natural Earth.

use std::collections::BTreeMap;

use crate::support::Test;

/// The countries of the bundled partners, code → number of partners, read from the content.
fn bundled_countries(t: &Test) -> BTreeMap<String, usize> {
    let mut texts = vec![t.read("content/partners.yaml")];
    for entry in std::fs::read_dir(t.path("content/partners")).expect("partner files") {
        texts.push(std::fs::read_to_string(entry.expect("entry").path()).expect("read"));
    }
    let mut counts = BTreeMap::new();
    for line in texts.iter().flat_map(|t| t.lines()) {
        if let Some(code) = line.trim().strip_prefix("country: ") {
            *counts.entry(code.to_string()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn the_partners_page_maps_every_partner_country() {
    let t = Test::bundled();
    let countries = bundled_countries(&t);
    assert!(countries.len() >= 5, "{countries:?}");
    let out = t.run().success();
    let page = out.output("partners/index.html");
    assert!(page.contains(
        r#"<svg viewBox="0 0 360 150" role="img" aria-labelledby="map-title map-desc" focusable="false">"#
    ));
    assert!(!page[page.find("<svg viewBox=\"0 0 360 150\"").unwrap()..].starts_with("<script"));
    let desc_at = page.find(r#"<desc id="map-desc">"#).expect("a description");
    // Without the invisible marks that isolate inserted values (docs/templates.md).
    let desc = page[desc_at..desc_at + page[desc_at..].find("</desc>").unwrap()]
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(desc.contains("Countries where the listed partners are based: Switzerland ("));
    for (code, n) in &countries {
        assert!(
            page.contains(&format!(
                r#"<path data-country="{code}" class="map-on" d="M"#
            )),
            "{code} is coloured on the map"
        );
        let name = rally::content::countries::name(code).expect(code);
        assert!(
            desc.contains(&format!("{name} ({n})")),
            "{name} ({n}) in {desc}"
        );
        assert!(
            page.contains(&format!(
                r#"<li data-country="{code}">{name} <span class="group-count">{n}</span></li>"#
            )),
            "{name} in the list of countries"
        );
    }
    // The others are drawn, uncoloured.
    assert!(page.contains(r#"<path data-country="BR" d="M"#));
    assert_eq!(page.matches(r#"class="map-on""#).count(), countries.len());
    assert!(page.contains(r#"<h3 class="place-title">By region</h3>"#));
    assert!(page.contains(r#"<li>Europe <span class="group-count">"#));
    // Cards and partner pages show the name, not the code.
    assert!(page.contains(r#"<span class="muted">Switzerland</span>"#));
    assert!(!page.contains(r#"<span class="muted">CH</span>"#));
    out.page("partners/cmw/", "<dd>Switzerland</dd>");
}

#[test]
fn a_country_name_is_refused_with_its_code_suggested() {
    Test::bundled()
        .partner(
            "swiss",
            "name: A Swiss Partner\ntype: ngo\nregion: europe\ncountry: Switzerland",
            "Text.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[concat!(
            "error: `country` must be a two-letter ISO 3166 code such as `CH` for Switzerland; did you mean `CH`?\n",
            "  ┌─ content/partners/swiss.md:5:10\n",
            "  │\n",
            "5 │ country: Switzerland\n",
            "  │          ^^^^^^^^^^^\n",
        )]);
}

#[test]
fn an_unknown_country_in_a_list_row_is_refused() {
    let t = Test::bundled();
    let list = t.read("content/partners.yaml")
        + "\n- id: nowhere\n  name: Nowhere Org\n  type: ngo\n  region: global\n  country: Atlantis\n";
    t.file("content/partners.yaml", &list)
        .run()
        .failure(1)
        .stderr_has(&[
            "error: `country` must be a two-letter ISO 3166 code such as `CH` for Switzerland; `Atlantis` is not one",
            "content/partners.yaml:",
            "country: Atlantis",
        ]);
}
