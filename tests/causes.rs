//! One mistake, one error that names its real cause: a bad list row costs that row only,
//! links to drafts, scheduled or unreadable entries say why they lead nowhere, root causes
//! come first, and what YAML would silently drop is pointed out. Each test checks the exit
//! code and the whole of stderr, as a writer reads it.

use crate::support::Test;

/// A story citing partners `a` and `b` (and nothing else): the site's only references.
fn citing(t: Test, partners: &str) -> Test {
    t.story(
        "s",
        &format!("title: S\ndate: 2020-01-01\nsummary: s\npartners: [{partners}]"),
        "Body.",
    )
}

/// Runs the build and checks that it fails with exactly `expected` on stderr.
fn fails_with(t: Test, expected: &str) {
    let out = t.run().failure(1);
    assert_eq!(out.stderr, expected, "whole stderr:\n{}", out.stderr);
}

const ROW_A: &str = "- id: a\n  name: A\n  type: ngo\n  region: global\n";

#[test]
fn a_bad_indent_in_a_list_costs_its_row_only() {
    // Before: the whole list was dropped, and every story citing any partner failed with
    // "there is no partner with id ...".
    let t = citing(Test::new(), "a, b").file(
        "content/partners.yaml",
        &format!("{ROW_A}- id: b\n  name: B\n  type: ngo\n   region: global\n"),
    );
    fails_with(
        t,
        concat!(
            "error: row 2 (id: b) of content/partners.yaml: `region:` is indented by 3 spaces, the line above by 2\n",
            "  ┌─ content/partners.yaml:8:4\n",
            "  │\n",
            "8 │    region: global\n",
            "  │    ^^^^^^ indented further than the line above\n",
            "  │\n",
            "  = help: YAML reads a line indented further than the one above as part of that line's value; line `region:` up with the keys around it\n",
            "\n",
            "error: partner `b` could not be read: see content/partners.yaml:8\n",
            "  ┌─ content/stories/s.md:5:15\n",
            "  │\n",
            "5 │ partners: [a, b]\n",
            "  │               ^ could not be read\n",
            "  │\n",
            "  = help: fix the error reported there first; this works again once it is fixed\n",
            "\n",
            "error: found 2 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_row_without_a_required_key_is_named_by_number_and_id() {
    let t = citing(Test::new(), "a").file(
        "content/partners.yaml",
        &format!("{ROW_A}- id: b\n  name: B\n  type: ngo\n"),
    );
    fails_with(
        t,
        concat!(
            "error: row 2 (id: b) of content/partners.yaml has no `region`\n",
            "  ┌─ content/partners.yaml:5:1\n",
            "  │\n",
            "5 │ - id: b\n",
            "  │ ^^^^^^^ `region` must be set\n",
            "  │\n",
            "  = help: add a line `region: ...` to this row, lined up with its other keys (docs/content.md lists what it holds)\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_missing_cell_costs_its_row_only() {
    let t = citing(Test::new(), "a, b").file(
        "content/partners.csv",
        "id,name,type,region\na,A,ngo,global\nb,B,ngo\n",
    );
    fails_with(
        t,
        concat!(
            "error: row 3 (id: b) of content/partners.csv has 3 cells but the header row has 4\n",
            "  ┌─ content/partners.csv:3:1\n",
            "  │\n",
            "3 │ b,B,ngo\n",
            "  │ ^^^^^^^\n",
            "  │\n",
            "  = help: every row needs one cell per column (an empty cell is two separators in a row); put a cell that contains the separator in double quotes\n",
            "\n",
            "error: partner `b` could not be read: see content/partners.csv:3\n",
            "  ┌─ content/stories/s.md:5:15\n",
            "  │\n",
            "5 │ partners: [a, b]\n",
            "  │               ^ could not be read\n",
            "  │\n",
            "  = help: fix the error reported there first; this works again once it is fixed\n",
            "\n",
            "error: found 2 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_missing_column_is_one_error() {
    // Before: one "missing required key `region`" per row, then one "there is no partner"
    // per reference.
    let t = Test::new().file(
        "content/partners.csv",
        "id,name,type\na,A,ngo\nb,B,ngo\nc,C,network\n",
    );
    fails_with(
        t,
        concat!(
            "error: content/partners.csv has no `region` column\n",
            "  ┌─ content/partners.csv:1:1\n",
            "  │\n",
            "1 │ id,name,type\n",
            "  │ ^^^^^^^^^^^^ the header row\n",
            "  │\n",
            "  = help: add a `region` column to the header row and fill it in for every partner; `region` is one of: global, africa, americas, asia-pacific, europe, middle-east-north-africa\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_spreadsheet_saved_with_semicolons_is_read() {
    Test::new()
        .file(
            "content/partners.csv",
            "id;name;type;region\nidc;\"Detention Coalition; International\";network;global\n",
        )
        .run()
        .success()
        .page("partners/idc/", "Detention Coalition; International");
}

#[test]
fn links_to_drafts_and_scheduled_stories_say_so() {
    // Before: "`@/stories/d.md` links to content that does not exist", with "did you mean
    // `@/stories/s.md`?"; yet the same link worked in `rally serve`, which shows drafts.
    let t = Test::new()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "[a draft](@/stories/d.md), [later](@/stories/f.md), [by address](/stories/d/)",
        )
        .story(
            "d",
            "title: D\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "",
        )
        .story("f", "title: F\ndate: 2999-01-05\nsummary: s", "");
    let out = t.run().failure(1);
    assert_eq!(
        out.stderr,
        concat!(
            "error: `@/stories/d.md` leads nowhere: story `d` is a draft, left out of this build\n",
            "  ┌─ content/stories/s.md:6:11\n",
            "  │\n",
            "6 │ [a draft](@/stories/d.md), [later](@/stories/f.md), [by address](/stories/d/)\n",
            "  │           ^^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: to publish it, change `draft: true` to `draft: false` in content/stories/d.md; or remove this link (`rally serve` and `rally build --drafts` show drafts)\n",
            "\n",
            "error: `@/stories/f.md` leads nowhere: story `f` is scheduled for 5 January 2999, left out of this build\n",
            "  ┌─ content/stories/s.md:6:36\n",
            "  │\n",
            "6 │ [a draft](@/stories/d.md), [later](@/stories/f.md), [by address](/stories/d/)\n",
            "  │                                    ^^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: it is published by the first build on or after that day; until then remove this link, or preview both with `rally serve`\n",
            "\n",
            "error: `/stories/d/` leads nowhere: story `d` is a draft, left out of this build\n",
            "  ┌─ content/stories/s.md:6:66\n",
            "  │\n",
            "6 │ [a draft](@/stories/d.md), [later](@/stories/f.md), [by address](/stories/d/)\n",
            "  │                                                                  ^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: to publish it, change `draft: true` to `draft: false` in content/stories/d.md; or remove this link (`rally serve` and `rally build --drafts` show drafts)\n",
            "\n",
            "error: found 3 errors; the previous site was left unchanged\n",
        ),
    );
    // With the drafts in, the same links work.
    out.then()
        .args(&["build", "--drafts"])
        .run()
        .success()
        .page("stories/s/", "href=\"/stories/d/\"");
}

#[test]
fn a_citation_of_a_draft_resolution_says_so() {
    let t = Test::new()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s\nresolutions: [r]",
            "",
        )
        .resolution(
            "r",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution\ndraft: true",
            "",
        );
    fails_with(
        t,
        concat!(
            "error: resolution `r` is a draft, left out of this build\n",
            "  ┌─ content/stories/s.md:5:15\n",
            "  │\n",
            "5 │ resolutions: [r]\n",
            "  │               ^ a draft\n",
            "  │\n",
            "  = help: to publish it, change `draft: true` to `draft: false` in content/resolutions/r.md; or remove this link (`rally serve` and `rally build --drafts` show drafts)\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_before_the_links_it_breaks() {
    // Before: "`@/stories/z.md` links to content that does not exist" came first (a.md sorts
    // before z.md), naming no cause.
    let t = Test::new()
        .story(
            "a",
            "title: A\ndate: 2020-01-01\nsummary: s",
            "[z](@/stories/z.md)",
        )
        .bytes(
            "content/stories/z.md",
            b"---\ntitle: Caf\xe9\ndate: 2020-01-01\nsummary: s\n---\n",
        );
    fails_with(
        t,
        concat!(
            "error: this file is not UTF-8 text (invalid byte at line 2, column 11)\n",
            "  --> content/stories/z.md:2:11\n",
            " = help: save the file with UTF-8 encoding (most editors offer it under \"Save as\" or \"Encoding\")\n",
            "\n",
            "error: `@/stories/z.md` leads nowhere: story `z` could not be read: see content/stories/z.md:2:11\n",
            "  ┌─ content/stories/a.md:6:5\n",
            "  │\n",
            "6 │ [z](@/stories/z.md)\n",
            "  │     ^^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: fix the error reported there first; this works again once it is fixed\n",
            "\n",
            "error: found 2 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_missing_logo_says_where_it_was_looked_for() {
    let t = Test::new().file(
        "content/partners.yaml",
        &format!("{ROW_A}  logo: logos/a.png\n"),
    );
    fails_with(
        t,
        concat!(
            "error: logo `logos/a.png` not found\n",
            "  ┌─ content/partners.yaml:5:9\n",
            "  │\n",
            "5 │   logo: logos/a.png\n",
            "  │         ^^^^^^^^^^^ no such file\n",
            "  │\n",
            "  = help: rally looked for content/logos/a.png (the path is from this file's folder) and static/logos/a.png; put the file in one of them, or check the spelling\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn files_on_the_writers_computer_are_errors() {
    // Before: published as `src="C:%5CUsers..."` (`C:` taken for a URL scheme) and as a
    // `file://` link, both broken for every visitor.
    let t = Test::new().story(
        "s",
        "title: S\ndate: 2020-01-01\nsummary: s",
        "![Ana](C:\\Users\\ana\\photo.jpg) [report](file:///home/ana/report.pdf)",
    );
    fails_with(
        t,
        concat!(
            "error: `C:\\Users\\ana\\photo.jpg` is a file on your computer, which visitors cannot open\n",
            "  ┌─ content/stories/s.md:6:8\n",
            "  │\n",
            "6 │ ![Ana](C:\\Users\\ana\\photo.jpg) [report](file:///home/ana/report.pdf)\n",
            "  │        ^^^^^^^^^^^^^^^^^^^^^^ missing image\n",
            "  │\n",
            "  = help: copy the image into the story's folder (content/stories/<name>/, next to index.md) and write just its file name, e.g. ![...](photo.jpg)\n",
            "\n",
            "error: `file:///home/ana/report.pdf` is a file on your computer, which visitors cannot open\n",
            "  ┌─ content/stories/s.md:6:41\n",
            "  │\n",
            "6 │ ![Ana](C:\\Users\\ana\\photo.jpg) [report](file:///home/ana/report.pdf)\n",
            "  │                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: copy the file into content/ (next to the page that links to it) and link to its file name, or link to where it is published on the web\n",
            "\n",
            "error: found 2 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn a_closing_line_of_two_hyphens_is_named() {
    // Before: "the front matter is never closed", pointing at the first line.
    let t = Test::new().file(
        "content/stories/s.md",
        "---\ntitle: S\ndate: 2020-01-01\nsummary: s\n--\nBody.\n",
    );
    fails_with(
        t,
        concat!(
            "error: the front matter must end with a line of exactly three hyphens, not `--`\n",
            "  ┌─ content/stories/s.md:5:1\n",
            "  │\n",
            "5 │ --\n",
            "  │ ^^ write `---` here\n",
            "  │\n",
            "  = help: replace this line with `---` (three hyphens, nothing else on the line)\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn what_yaml_would_drop_silently_is_a_warning() {
    // Before: published as "We are", with the curly quotes, and with "TODO: ...", silently.
    let out = Test::new()
        .file(
            "content/stories/s.md",
            "---\ntitle: We are #1 for children\ndate: 2020-01-01\nsummary: \u{201c}Geneva, a turning point\u{201d}\nauthor: \"TODO: write a name\"\n---\n",
        )
        .run()
        .success();
    let (warnings, last) = out.stderr.split_at(out.stderr.find("built ").unwrap_or(0));
    assert_eq!(
        warnings,
        concat!(
            "warning: `#` starts a comment in YAML: `title` is published as `We are`\n",
            "  ┌─ content/stories/s.md:2:15\n",
            "  │\n",
            "2 │ title: We are #1 for children\n",
            "  │               ^^^^^^^^^^^^^^^ left out as a comment\n",
            "  │\n",
            "  = help: put the whole value in double quotes: title: \"We are #1 for children\"\n",
            "\n",
            "warning: `summary` is in curly quotes, which are published as part of the text\n",
            "  ┌─ content/stories/s.md:4:10\n",
            "  │\n",
            "4 │ summary: \u{201c}Geneva, a turning point\u{201d}\n",
            "  │          ^^^^^^^^^^^^^^^^^^^^^^^^^ curly quotes\n",
            "  │\n",
            "  = help: YAML's quotes are straight; a word processor may have curled them: write summary: \"Geneva, a turning point\"\n",
            "\n",
            "warning: `author` still holds the placeholder `rally new` wrote\n",
            "  ┌─ content/stories/s.md:5:9\n",
            "  │\n",
            "5 │ author: \"TODO: write a name\"\n",
            "  │         ^^^^^^^^^^^^^^^^^^^^ placeholder\n",
            "  │\n",
            "  = help: replace the text in quotes with your own author\n",
            "\n",
        ),
        "whole stderr:\n{}",
        out.stderr
    );
    assert_eq!(last.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .ends_with("; 3 warnings above: `rally check` lists them with more advice\n"),
        "{}",
        out.stderr
    );
    // A comment someone meant (`# note`, after a value) is not a warning.
    Test::new()
        .file(
            "content/stories/s.md",
            "---\ntitle: S\ndate: 2020-01-01 # the day of the launch\nsummary: s\n---\n",
        )
        .run()
        .success()
        .stderr_lacks("warning");
}

#[test]
fn a_build_says_what_it_left_out() {
    let out = Test::new()
        .simple_story("a", "2020-01-01")
        .story(
            "d",
            "title: D\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "",
        )
        .story(
            "e",
            "title: E\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "",
        )
        .story("f", "title: F\ndate: 2999-01-05\nsummary: s", "")
        .run()
        .success();
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].ends_with("; 2 drafts and 1 scheduled story not published"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_logo_given_from_the_top_says_where_it_was_looked_for() {
    let t = Test::new().file(
        "content/partners.yaml",
        &format!("{ROW_A}  logo: /logos/a.png\n"),
    );
    let out = t.run().failure(1);
    assert!(
        out.stderr.contains("  = help: rally looked for static/logos/a.png and content/logos/a.png (a path starting with `/` is from the top of the site); put the file in one of them, or check the spelling\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_embed_inside_a_paragraph_is_an_error_not_text() {
    // Before: published as `<p>Text right before.\n{{&lt; cite r &gt;}}</p>`, silently.
    let t = Test::new()
        .resolution(
            "r",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution",
            "",
        )
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s",
            "Text right before.\n{{< cite r >}}\n\nTo cite, write `{{< cite id >}}` on its own line.",
        );
    fails_with(
        t,
        concat!(
            "error: an embed must stand on its own line, with empty lines around it; here it is part of a paragraph, and would be published as text\n",
            "  ┌─ content/stories/s.md:7:1\n",
            "  │\n",
            "7 │ {{< cite r >}}\n",
            "  │ ^^^^^^^^^^^^^^\n",
            "  │\n",
            "  = help: see docs/writing.md for every embed and an example of each\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

/// `rally new` writes a draft with placeholders: they are for later, until it is published.
#[test]
fn a_drafts_placeholders_wait_until_it_is_published() {
    let story = |draft: bool| {
        Test::new()
            .story(
                "s",
                &format!(
                    "title: S\ndate: 2020-01-01\nsummary: \"TODO: write a one-sentence summary\"\ndraft: {draft}"
                ),
                "",
            )
            .args(&["build", "--drafts"])
            .run()
            .success()
    };
    story(true).stderr_lacks("placeholder");
    story(false).stderr_has(&["warning: `summary` still holds the placeholder `rally new` wrote"]);
}

/// Before: with drafts shown (`rally serve`, `--drafts`) a link to a draft worked and said
/// nothing, and the published build then failed on it.
#[test]
fn a_link_to_a_shown_draft_warns_that_publishing_will_fail() {
    let out = Test::new()
        .story(
            "s",
            "title: S\ndate: 2020-01-01\nsummary: s\nresolutions: [r]",
            "[a draft](@/stories/d.md)",
        )
        .story(
            "d",
            "title: D\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "[s](@/stories/s.md) [r](@/resolutions/r.md)",
        )
        .resolution(
            "r",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution\ndraft: true",
            "",
        )
        .args(&["build", "--drafts"])
        .run()
        .success();
    let (warnings, _) = out.stderr.split_at(out.stderr.find("built ").unwrap_or(0));
    assert_eq!(
        warnings,
        concat!(
            "warning: this links to resolution `r`, a draft: the link works in the preview, and a published build fails until the draft is published\n",
            "  ┌─ content/stories/s.md:5:15\n",
            "  │\n",
            "5 │ resolutions: [r]\n",
            "  │               ^ a draft\n",
            "  │\n",
            "  = help: publish it first, or remove it here before this story is published\n",
            "\n",
            "warning: this links to story `d`, a draft: the link works in the preview, and a published build fails until the draft is published\n",
            "  ┌─ content/stories/s.md:7:11\n",
            "  │\n",
            "7 │ [a draft](@/stories/d.md)\n",
            "  │           ^^^^^^^^^^^^^^ a draft\n",
            "  │\n",
            "  = help: publish it first, or remove this link before this page is published\n",
            "\n",
        ),
        "whole stderr:\n{}",
        out.stderr
    );
}
