//! The bundled campaign site is public copy a director signs (issue 19, section 4): the
//! built pages carry none of the editors' notes that once slipped into them, link to none of
//! the addresses the fact sheet could not confirm, and use the fact sheet's verbs for the
//! General Assembly resolutions whose wording was misquoted.

use std::fs;
use std::path::Path;

use crate::support::{Outcome, Test};

/// Editors' notes once published on the site (lower case: pages are compared in lower case).
const NOTES: [&str; 4] = [
    "before quoting",
    "check the exact wording",
    "check the operative paragraphs",
    "members we can name",
];

/// Links the fact sheet (`shared/facts/resolutions.yaml`) marks `url_status: unverified`,
/// removed from the site until someone opens them; the Inter-American Court's domain stands
/// for both its advisory opinion's PDF and the Court's own website.
const UNVERIFIED: [&str; 3] = [
    "ohchr.org/en/events/days-general-discussion-dgd/2012/2012-day-general-discussion-rights-all-children-context",
    "corteidh.or.cr",
    "oas.org/en/iachr/reports/pdfs/refugees-migrants-us.pdf",
];

/// Resolutions whose verb the fact sheet gives as "encourages" (A/RES/69/187, A/RES/71/177
/// para 66): the General Assembly chose it over "urges", so the site must not upgrade it.
const ENCOURAGES: [&str; 2] = [
    "unga-res-69-187-migrant-children-adolescents",
    "unga-res-71-177-rights-of-the-child",
];

fn built() -> Outcome {
    Test::bundled().run().success()
}

/// Every file of the built site that a reader or a crawler reads as text, with its path.
fn published(out: &Outcome) -> Vec<(String, String)> {
    let root = out.test.path("public");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".html")),
        "no pages built"
    );
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for e in fs::read_dir(dir).expect("read dir") {
        let path = e.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if ["html", "xml", "json", "txt"]
            .iter()
            .any(|x| path.extension().is_some_and(|e| e == *x))
        {
            let rel = path.strip_prefix(root).expect("prefix");
            let text = fs::read_to_string(&path).expect("read page");
            files.push((rel.to_string_lossy().into_owned(), text));
        }
    }
}

/// Whether `word` occurs in `text` on its own (not inside a longer word).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Fails listing every problem found, so that each check shows up on its own.
fn assert_none(problems: Vec<String>) {
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_editors_notes_are_published() {
    let out = built();
    let mut problems = Vec::new();
    for (page, text) in published(&out) {
        if !page.ends_with(".html") {
            continue;
        }
        let lower = text.to_lowercase();
        for note in NOTES {
            if lower.contains(note) {
                problems.push(format!("{page} has the note {note:?}"));
            }
        }
        // A Markdown table row "| Later | 29 |" is built as cells, not as text.
        let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains("<td>later</td><td>29</td>") {
            problems.push(format!("{page} has the undated row \"Later | 29\""));
        }
        // Upper case: "todo" is a Spanish word ("all").
        if has_word(&text, "TODO") {
            problems.push(format!("{page} has a TODO"));
        }
    }
    assert_none(problems);
}

#[test]
fn no_unverified_link_is_published() {
    let out = built();
    let mut problems = Vec::new();
    for (page, text) in published(&out) {
        for url in UNVERIFIED {
            if text.contains(url) {
                problems.push(format!(
                    "{page} links to {url}, which the fact sheet marks unverified"
                ));
            }
        }
    }
    assert_none(problems);
}

#[test]
fn resolutions_keep_the_general_assemblys_verb() {
    let out = built();
    let list = out.output("resolutions/").to_lowercase();
    let mut problems = Vec::new();
    for id in ENCOURAGES {
        let page = out.output(&format!("resolutions/{id}/")).to_lowercase();
        if !page.contains("encourages") {
            problems.push(format!("resolutions/{id}/ lacks \"encourages\""));
        }
        if has_word(&page, "urges") {
            problems.push(format!("resolutions/{id}/ says \"urges\""));
        }
        // Its card in the timeline of all resolutions shows its first paragraph's summary.
        let href = format!("/resolutions/{id}/\"");
        let card = list
            .split("<li")
            .find(|item| item.contains(&href))
            .unwrap_or_else(|| panic!("resolutions/ has no card for {id}"));
        if has_word(card, "urges") {
            problems.push(format!("the card of {id} on resolutions/ says \"urges\""));
        }
    }
    assert_none(problems);
}

#[test]
fn plan_international_is_not_listed_as_a_partner() {
    // The fact sheet names it only in a list cut off after its name.
    built()
        .missing("partners/plan-international/")
        .page_lacks("partners/", "Plan International");
}
