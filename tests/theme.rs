//! The campaign theme as visitors see it: what the home and partners pages claim, and how
//! partners are presented. Built from a copy of the bundled site, with fixture files added.

use crate::support::Test;

/// Partner rows added to the bundled list: one organisation with an acronym, one without,
/// and an independent UN mechanism that has no role in the campaign.
const PARTNERS: &str = "
\
- id: with-acronym
  name: International Detention Coalition Test
  acronym: DCT
  type: network
  region: global
  roles: [campaign-coordinator]
- id: without-acronym
  name: UN Special Rapporteur on a Test Topic
  type: un-mechanism
  region: global
  roles: [un-standard-setter]
- id: second-rapporteur
  name: UN Special Rapporteur on Another Topic
  type: un-mechanism
  region: global
";

/// The bundled site with [`PARTNERS`] added to its list.
fn with_partners() -> Test {
    let t = Test::bundled();
    let list = t.read("content/partners.yaml") + PARTNERS;
    t.file("content/partners.yaml", &list)
}

#[test]
fn monograms_come_only_from_a_declared_acronym() {
    // Before: "UN Special Rapporteur on ..." got the made-up monogram "US", the same for
    // both rapporteurs.
    let out = with_partners().run().success();
    let page = out.output("partners/index.html");
    assert!(page.contains(">DCT</span>"), "the acronym is the monogram");
    assert!(
        !page.contains(">US</span>"),
        "no initials made up from a name"
    );
    let card = |id: &str| {
        let at = page.find(&format!("/partners/{id}/")).expect(id);
        let start = page[..at].rfind("<article").expect("card start");
        page[start..at].to_string()
    };
    assert!(!card("without-acronym").contains("monogram"));
}

#[test]
fn bodies_the_campaign_cites_are_not_listed_as_its_partners() {
    let out = with_partners().run().success();
    let page = out.output("partners/index.html");
    let cited = page
        .find("Bodies whose standards the campaign cites")
        .expect("a section for the bodies the campaign cites");
    for id in ["without-acronym", "second-rapporteur"] {
        let at = page.find(&format!("/partners/{id}/")).expect(id);
        assert!(at > cited, "{id} is listed among the campaign's partners");
    }
    let member = page.find("/partners/with-acronym/").expect("member");
    assert!(
        member < cited,
        "a campaign member is listed as a cited body"
    );
    // The partners' own organisation count and no claim about countries.
    assert!(!page.contains("countries."), "the page counts countries");
}

#[test]
fn the_home_page_gives_dated_figures_not_counts_of_listed_partners() {
    // Before: "36 partner organisations · 7 countries", which contradicted the footer's
    // "over 100 organisations".
    let out = Test::bundled().run().success();
    let home = out.output("index.html");
    assert!(!home.contains("partner organisations</span>"), "{home}");
    assert!(!home.contains("countries, across"), "{home}");
    assert!(home.contains("<span class=\"stat-date\">April 2015</span>"));
    // Every figure carries its date.
    assert_eq!(
        home.matches("<div class=\"stat\">").count(),
        home.matches("class=\"stat-date\"").count()
    );
}

#[test]
fn paragraph_summaries_are_labelled_as_ours_and_reports_as_issued() {
    // Before: "¶ 66" beside a paraphrase styled as a quotation, and "Adopted by" for a
    // Special Rapporteur's report.
    let out = Test::bundled()
        .story(
            "cites",
            "title: C\ndate: 2020-01-01\nsummary: s\ntags: [crc]",
            "{{< cite unga-res-71-177-rights-of-the-child paragraph=\"67\" >}}",
        )
        .run()
        .success();
    // Without the invisible marks that isolate inserted values (docs/templates.md).
    let res = out
        .output("resolutions/unga-res-71-177-rights-of-the-child/index.html")
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(res.contains("Our summary of ¶ 66"), "{res}");
    assert!(res.contains("<dt>Adopted by</dt>"));
    let story = out
        .output("stories/cites/index.html")
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(story.contains("Our summary of ¶ 67:"), "{story}");
    assert!(
        !story.contains("<blockquote"),
        "a summary styled as a quotation"
    );
    let report = out.output("resolutions/sr-torture-2015-children-deprived-of-liberty/index.html");
    assert!(report.contains("<dt>Issued by</dt>") && report.contains("<dt>Document date</dt>"));
}

#[test]
fn topics_are_shown_by_their_names_and_long_partner_names_as_a_list() {
    // Before: the breadcrumb read "CRC" and "ALTERNATIVES-TO-DETENTION" (the tag as typed,
    // in capitals), topics "#crc", and long partner names were squeezed into pills.
    let out = Test::bundled()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s\ntags: [crc, new-topic-here]\npartners: [idc, sr-migrants]",
            "",
        )
        .run()
        .success();
    let page = out.output("stories/s/index.html");
    assert!(
        page.contains(">Committee on the Rights of the Child</a></p>"),
        "{page}"
    );
    assert!(
        page.contains(">New topic here</a></li>"),
        "a tag without a name is made readable"
    );
    let partners = &page[page.find("Partners involved").expect("partners box")..];
    let chips = &partners[..partners.find("name-list").expect("a list of long names")];
    assert!(chips.contains(">IDC</abbr>"), "{chips}");
    assert!(
        !chips.contains("Special Rapporteur"),
        "a long name in a chip"
    );
    let tag = out.output("tags/crc/index.html");
    assert!(
        tag.contains("<h1>Stories on Committee on the Rights of the Child</h1>"),
        "{tag}"
    );
}

#[test]
fn a_standards_stance_is_a_badge_and_a_filter_and_a_typo_is_named() {
    let out = Test::bundled().run().success();
    let list = out.output("resolutions/index.html");
    assert!(
        list.contains(r#"<select id="filter-stance" data-attr="stance">"#),
        "{list}"
    );
    assert!(list.contains(r#"data-stance="prohibits""#));
    let page = out.output("resolutions/un-global-study-children-deprived-of-liberty/index.html");
    assert!(page.contains("Rules out detaining children"), "{page}");
    // A stance the site does not know is an error naming the allowed ones.
    let t = out.then();
    let file = "content/resolutions/new-york-declaration-2016.md";
    let text = t
        .read(file)
        .replace("stance: last-resort", "stance: last-resort-only");
    t.file(file, &text).run().failure(1).stderr_has(&[
        "`stance` cannot be `last-resort-only`",
        "did you mean `last-resort`?",
    ]);
}

#[test]
fn standards_have_short_titles_and_their_official_title_on_their_page() {
    // Before: cards, asides and headings carried 150-character official titles.
    let out = Test::bundled().run().success();
    let page = out.output("resolutions/jgc-cmw-4-crc-23-state-obligations/index.html");
    assert!(
        page.contains(">Joint general comment No. 4/23: State obligations</h1>"),
        "{page}"
    );
    assert!(page.contains("<p class=\"full-title\">"));
    assert!(page.contains("State obligations regarding the human rights of children"));
    let list = out.output("resolutions/index.html");
    assert!(
        !list.contains("State obligations regarding the human rights"),
        "the list shows the short title"
    );
}
