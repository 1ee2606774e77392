//! Failed builds: each class of problem names file, line and column, explains itself, exits
//! with 1, and leaves the previously built site untouched.

use crate::support::{Test, snapshot};

/// Builds a good site, applies `change`, builds again and checks the failure; returns stderr.
fn fails_after(change: impl FnOnce(Test) -> Test, expected: &[&str]) -> String {
    let good = Test::new()
        .simple_story("ok", "2020-01-01")
        .resolution(
            "res",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution",
            "## Key points\n",
        )
        .run()
        .success();
    let before = snapshot(&good.test.path("public"));
    let failed = change(good.then()).run().failure(1).stderr_has(expected);
    let after = snapshot(&failed.test.path("public"));
    assert_eq!(before, after, "public/ changed after a failed build");
    failed.stderr
}

/// [`fails_after`], checking the whole of stderr: the messages a writer reads most.
fn fails_exactly(change: impl FnOnce(Test) -> Test, expected: &str) {
    let stderr = fails_after(change, &[]);
    assert_eq!(stderr, expected, "whole stderr:\n{stderr}");
}

#[test]
fn bad_yaml() {
    fails_exactly(
        |t| {
            t.story(
                "bad",
                "title: Geneva: a turning point\ndate: 2020-01-01\nsummary: s",
                "",
            )
        },
        concat!(
            "error: the front matter is not valid YAML: mapping values are not allowed in this context\n",
            "  ┌─ content/stories/bad.md:2:14\n",
            "  │\n",
            "2 │ title: Geneva: a turning point\n",
            "  │              ^^^^^^^^^^^^^^^^^\n",
            "  │\n",
            "  = help: a value contains a colon followed by a space; put the whole value in double quotes, e.g. title: \"Geneva: a turning point\"\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn tabs_in_yaml() {
    fails_after(
        |t| {
            t.story(
                "tab",
                "title: T\ndate: 2020-01-01\nsummary: s\ntags:\n\t- a",
                "",
            )
        },
        &[
            "the front matter contains a tab character",
            "content/stories/tab.md:6:",
            "replace them with spaces",
        ],
    );
}

#[test]
fn wrong_type() {
    fails_exactly(
        |t| {
            t.story(
                "wt",
                "title: T\ndate: 2020-01-01\nsummary: s\nfeatured: maybe",
                "",
            )
        },
        concat!(
            "error: `featured` should be true or false, but it is the text \"maybe\"\n",
            "  ┌─ content/stories/wt.md:5:11\n",
            "  │\n",
            "5 │ featured: maybe\n",
            "  │           ^^^^^ expected true or false\n",
            "  │\n",
            "  = help: write `true` or `false`\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn impossible_date() {
    fails_after(
        |t| t.story("d", "title: T\ndate: 2023-02-30\nsummary: s", ""),
        &[
            "`2023-02-30` is not a day that exists in the calendar",
            "content/stories/d.md:3:",
        ],
    );
}

#[test]
fn missing_required_field() {
    fails_exactly(
        |t| t.story("m", "title: T\ndate: 2020-01-01", ""),
        concat!(
            "error: missing required key `summary` in this story\n",
            "  ┌─ content/stories/m.md:2:1\n",
            "  │\n",
            "2 │ title: T\n",
            "  │ ^^^^^^^^ `summary` must be set\n",
            "  │\n",
            "  = help: add a line `summary: ...` to the front matter (see docs/content.md for what it holds)\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn image_without_alt() {
    fails_after(
        |t| {
            t.story(
                "i",
                "title: T\ndate: 2020-01-01\nsummary: s\nimage:\n  src: a.png",
                "",
            )
        },
        &[
            "missing required key `alt` under `image`",
            "content/stories/i.md:5:1",
        ],
    );
}

#[test]
fn unknown_field() {
    fails_exactly(
        |t| t.story("u", "title: T\ndate: 2020-01-01\nsummary: s\nauthr: Me", ""),
        concat!(
            "error: unknown key `authr` in this story\n",
            "  ┌─ content/stories/u.md:5:1\n",
            "  │\n",
            "5 │ authr: Me\n",
            "  │ ^^^^^ not a key rally knows\n",
            "  │\n",
            "  = help: did you mean `author`? The keys allowed here are: title, date, summary, author, image, tags, resolutions, partners, featured, aliases, draft\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn unknown_enum_value() {
    fails_after(
        |t| t.partner("p", "name: P\ntype: charity\nregion: europe", ""),
        &[
            "`type` cannot be `charity`",
            "content/partners/p.md:3:",
            "use one of: ngo, un-agency",
        ],
    );
}

#[test]
fn unknown_reference() {
    fails_exactly(
        |t| {
            t.story(
                "r",
                "title: T\ndate: 2020-01-01\nsummary: s\nresolutions: [res, ress-2]\npartners: [nobody]",
                "",
            )
        },
        concat!(
            "error: there is no resolution or standard with id `ress-2`\n",
            "  ┌─ content/stories/r.md:5:20\n",
            "  │\n",
            "5 │ resolutions: [res, ress-2]\n",
            "  │                    ^^^^^^ unknown id\n",
            "  │\n",
            "  = help: did you mean `res`? Ids are file names in content/resolutions/ without `.md`\n",
            "\n",
            "error: there is no partner with id `nobody`\n",
            "  ┌─ content/stories/r.md:6:12\n",
            "  │\n",
            "6 │ partners: [nobody]\n",
            "  │            ^^^^^^ unknown id\n",
            "  │\n",
            "  = help: ids are file names in content/partners/ without `.md`; create the file or fix the id\n",
            "\n",
            "error: found 2 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn broken_internal_link_and_anchor() {
    fails_exactly(
        |t| {
            t.story(
                "l",
                "title: T\ndate: 2020-01-01\nsummary: s",
                "See [x](@/resolutions/rez.md) and [y](@/resolutions/res.md#key-point) and [z](/nowhere/).\n",
            )
        },
        concat!(
            "error: `@/resolutions/rez.md` links to content that does not exist\n",
            "  ┌─ content/stories/l.md:6:9\n",
            "  │\n",
            "6 │ See [x](@/resolutions/rez.md) and [y](@/resolutions/res.md#key-point) and [z](/nowhere/).\n",
            "  │         ^^^^^^^^^^^^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: did you mean `@/resolutions/res.md`?\n",
            "\n",
            "error: `resolutions/res.md` has no heading `#key-point`\n",
            "  ┌─ content/stories/l.md:6:59\n",
            "  │\n",
            "6 │ See [x](@/resolutions/rez.md) and [y](@/resolutions/res.md#key-point) and [z](/nowhere/).\n",
            "  │                                                           ^^^^^^^^^^ broken anchor\n",
            "  │\n",
            "  = help: did you mean `#key-points`?\n",
            "\n",
            "error: the page or file `/nowhere/` does not exist\n",
            "  ┌─ content/stories/l.md:6:79\n",
            "  │\n",
            "6 │ See [x](@/resolutions/rez.md) and [y](@/resolutions/res.md#key-point) and [z](/nowhere/).\n",
            "  │                                                                               ^^^^^^^^^ broken link\n",
            "  │\n",
            "  = help: check the address; to link to another entry use its file, e.g. @/stories/launch.md\n",
            "\n",
            "error: found 3 errors; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn broken_anchors_into_every_collection() {
    // Anchors into resolutions, partners and pages are checked while stories are rendered;
    // anchors into stories once every story is; a story with an image keeps its text for
    // the image check. Each error points at its own file, line and column.
    fails_after(
        |t| {
            t.story(
                "a",
                "title: A\ndate: 2020-01-01\nsummary: s\nimage:\n  src: a.svg\n  alt: A",
                "## Start\n\nSee [b](@/stories/b.md#ending) and [r](@/resolutions/res.md#nope).\n",
            )
            .file(
                "content/stories/a.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            )
            .story(
                "b",
                "title: B\ndate: 2020-01-02\nsummary: s",
                "## End\n\nBack to [a](@/stories/a.md#strat).\n\nAnd [about](@/about.md#team).\n",
            )
            .file(
                "content/about.md",
                "---\ntitle: About\n---\n\n## Who we are\n",
            )
        },
        &[
            "error: `stories/b.md` has no heading `#ending`",
            "content/stories/a.md:11:23",
            "did you mean `#end`?",
            "error: `resolutions/res.md` has no heading `#nope`",
            "content/stories/a.md:11:60",
            "error: `stories/a.md` has no heading `#strat`",
            "content/stories/b.md:8:27",
            "did you mean `#start`?",
            "error: `about.md` has no heading `#team`",
            "content/stories/b.md:10:23",
        ],
    );
}

#[test]
fn missing_image() {
    fails_exactly(
        |t| {
            t.story(
                "img",
                "title: T\ndate: 2020-01-01\nsummary: s\nimage:\n  src: hero.jpg\n  alt: A",
                "",
            )
        },
        concat!(
            "error: image `hero.jpg` not found\n",
            "  ┌─ content/stories/img.md:6:8\n",
            "  │\n",
            "6 │   src: hero.jpg\n",
            "  │        ^^^^^^^^ no such file\n",
            "  │\n",
            "  = help: rally looked for content/stories/hero.jpg (the path is from this file's folder) and static/stories/hero.jpg; put the file in one of them, or check the spelling\n",
            "\n",
            "error: found 1 error; the previous site was left unchanged\n",
        ),
    );
}

#[test]
fn duplicate_url() {
    let err = fails_after(
        |t| {
            t.file(
                "content/partners/unicef.md",
                "---\nname: UNICEF\ntype: un-agency\nregion: global\n---\n",
            )
            .file(
                "content/partners.yaml",
                "- id: unicef\n  name: UNICEF again\n  type: un-agency\n  region: global\n",
            )
        },
        &["error: two entries would write the same page `/partners/unicef/`"],
    );
    assert!(
        err.contains("content/partners.yaml (line 1)")
            && err.contains("content/partners/unicef.md"),
        "{err}"
    );
}

#[test]
fn page_clashing_with_a_section() {
    fails_after(
        |t| t.file("content/stories.md", "---\ntitle: Stories\n---\n"),
        &[
            "two entries would write the same page `/stories/`",
            "the stories list and content/stories.md",
        ],
    );
}

#[test]
fn unsafe_file_names() {
    fails_after(
        |t| {
            t.file(
                "content/stories/My Story.md",
                "---\ntitle: T\ndate: 2020-01-01\nsummary: s\n---\n",
            )
        },
        &[
            "`My Story` cannot be used in a web address",
            "rename the file to `my-story`",
        ],
    );
}

#[test]
fn script_urls_are_rejected() {
    fails_after(
        |t| {
            t.partner(
                "x",
                "name: X\ntype: ngo\nregion: global\nwebsite: \"javascript:alert(1)\"",
                "",
            )
        },
        &[
            "is not a web address (it must start with https:// or http://)",
            "content/partners/x.md:5:",
        ],
    );
}

#[test]
fn template_syntax_error() {
    fails_after(
        |t| {
            t.template("story.html", "{% extends \"base.html\" %}{% block content %}{{ page.title }{% endblock content %}")
        },
        &["template error", "themes/test/templates/story.html:1:"],
    );
}

#[test]
fn template_runtime_error() {
    fails_after(
        |t| {
            t.template("page.html", "{{ page.nothing_here }}")
                .file("content/about.md", "---\ntitle: A\n---\n")
        },
        &[
            "template error (while rendering content/about.md)",
            "themes/test/templates/page.html:1:",
        ],
    );
}

#[test]
fn card_template_errors_name_the_card_and_the_entry() {
    fails_after(
        |t| {
            t.template("cards/story.html", "{{ story.nothing_here }}")
                .story("a", "title: T\ndate: 2020-01-01\nsummary: s", "")
        },
        &[
            "template error (while rendering the card of content/stories/",
            " and 1 more): ",
            "themes/test/templates/cards/story.html:1:",
        ],
    );
    // Cards see their entry only: the site's lists are made after them.
    fails_after(
        |t| t.template("cards/story.html", "{{ stories | length }}"),
        &["the card of content/stories/ok.md): ", "undefined"],
    );
    fails_after(
        |t| {
            t.template(
                "cards/partner.html",
                "{% set r = get_entry(collection=\"stories\", id=\"a\") %}{{ r.title }}",
            )
            .story("a", "title: T\ndate: 2020-01-01\nsummary: s", "")
        },
        &[
            "cards/partner.html calls get_entry, which cards cannot use",
            "themes/test/templates/cards/partner.html:1:",
        ],
    );
}

#[test]
fn partial_errors_name_the_partial() {
    fails_after(
        |t| t.template("partials/footer.html", "{{ page.title }}"),
        &[
            "template error (while rendering the partial partials/footer.html): ",
            "themes/test/templates/partials/footer.html:1:",
        ],
    );
    // Rendered per menu as pages need it: still one error.
    let err = fails_after(
        |t| {
            t.template(
                "partials/nav.html",
                "{% for m in menu %}{{ m.nope }}{% endfor %}",
            )
            .template("page.html", "{{ partials.nav }}")
        },
        &[
            "template error (while rendering the partial partials/nav.html",
            "themes/test/templates/partials/nav.html:1:",
        ],
    );
    assert_eq!(err.matches("template error").count(), 1, "{err}");
}

#[test]
fn a_template_mistake_is_reported_once_for_all_the_pages_it_breaks() {
    let err = fails_after(
        |mut t| {
            for i in 0..30 {
                t = t.simple_story(&format!("s{i:02}"), "2021-01-01");
            }
            t.template(
                "story.html",
                "{% extends \"base.html\" %}{% block content %}{{ page.nothing_here }}{% endblock content %}",
            )
            .template("stories.html", "{{ paginator.nothing_here }}")
        },
        &[
            "themes/test/templates/story.html:1:",
            "error: found 2 errors",
        ],
    );
    // 31 story pages (the 30 and `ok`), one message; the list's own mistake is the other.
    assert_eq!(err.matches("template error").count(), 2, "{err}");
    assert!(err.contains(" and 30 more): Field `nothing_here`"), "{err}");
    assert!(
        err.contains("themes/test/templates/stories.html:1:"),
        "{err}"
    );
}

#[test]
fn all_problems_are_reported_together() {
    let err = fails_after(
        |t| {
            t.story("a", "titel: T\ndate: 2020-01-01\nsummary: s", "")
                .story(
                    "b",
                    "title: T\ndate: 2020-01-01\nsummary: s\npartners: [ghost]",
                    "",
                )
                .file("content/stories/c.md", "no front matter")
                .template("tags.html", "{% if %}")
        },
        &[
            "content/stories/a.md",
            "content/stories/b.md",
            "content/stories/c.md",
            "tags.html",
            "found 4 errors",
        ],
    );
    assert!(err.contains("the previous site was left unchanged"));
}

#[test]
fn partner_list_rows_name_their_line() {
    fails_after(
        |t| {
            t.file(
                "content/partners.yaml",
                "- id: a\n  name: A\n  type: ngo\n  region: global\n- id: b\n  name: B\n  type: ngo\n  regin: global\n",
            )
        },
        &[
            "unknown key `regin` in row 2 (id: b) of content/partners.yaml",
            "content/partners.yaml:8:3",
            "did you mean `region`?",
        ],
    );
}

#[test]
fn empty_and_unclosed_files() {
    fails_after(
        |t| {
            t.file("content/stories/empty.md", "")
                .file("content/stories/open.md", "---\ntitle: T\n")
        },
        &[
            "this file is empty",
            "content/stories/empty.md",
            "the front matter is never closed",
            "content/stories/open.md:1:1",
        ],
    );
}

#[test]
fn non_utf8_file() {
    fails_after(
        |t| t.bytes("content/stories/latin1.md", b"---\ntitle: Caf\xe9\n---\n"),
        &[
            "this file is not UTF-8 text (invalid byte at line 2, column 11)",
            "save the file with UTF-8 encoding",
        ],
    );
}

#[test]
fn bad_site_config() {
    fails_after(
        |t| t.file("site.yaml", "title: T\nstories_per_pag: 5\ntheme: test\n"),
        &[
            "unknown key `stories_per_pag`",
            "site.yaml:2:1",
            "did you mean `stories_per_page`?",
        ],
    );
}
