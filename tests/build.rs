//! Successful builds: routes, collections, links, Markdown, themes and output.

use crate::support::{Test, snapshot};

fn campaign() -> Test {
    Test::new()
        .story(
            "launch",
            "title: \"Campaign launch\"\ndate: 2012-03-21\nsummary: \"The campaign starts in Geneva.\"\n\
             tags: [campaign, Human Rights Council]\nresolutions: [a-res-71-1]\npartners: [idc, picum]\nfeatured: true",
            "## What happened\n\nSee [the declaration](@/resolutions/a-res-71-1.md#key-points) and \
             [the next story](dgd.md).\n",
        )
        .story(
            "dgd",
            "title: \"Day of General Discussion\"\ndate: 2012-09-28\nsummary: \"Geneva again.\"\ntags: [crc]",
            "Back to [the launch](@/stories/launch.md#what-happened).\n",
        )
        .resolution(
            "a-res-71-1",
            "title: \"New York Declaration\"\nsymbol: \"A/RES/71/1\"\nbody: \"UN General Assembly\"\n\
             adopted: 2016-09-19\nkind: declaration\nurl: \"https://undocs.org/en/A/RES/71/1\"\n\
             paragraphs:\n  - number: 33\n    summary: \"Detention of children is a measure of last resort.\"",
            "## Key points\n\nText.\n",
        )
        .resolution(
            "crc-dgd-2012",
            "title: \"2012 Day of General Discussion\"\nbody: \"Committee on the Rights of the Child\"\nadopted: 2012-09\nkind: day-of-general-discussion",
            "",
        )
        .partner(
            "idc",
            "name: \"International Detention Coalition\"\nacronym: IDC\ntype: network\nregion: global\n\
             country: AU\nwebsite: \"https://idcoalition.org\"\nroles: [campaign-coordinator, working-group-chair]",
            "Coordinates the campaign.\n",
        )
        .file(
            "content/partners.yaml",
            "- id: picum\n  name: \"Platform for International Cooperation on Undocumented Migrants\"\n  acronym: PICUM\n  type: network\n  region: europe\n  country: BE\n  description: \"A European network.\"\n\
             - id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\ndescription: About us.\nmenu_weight: 5\n---\nAbout the campaign.\n",
        )
}

#[test]
fn builds_every_route() {
    campaign()
        .run()
        .success()
        .stderr_has(&["built", "pages"])
        .page("", "home stories=2 partners=3 countries=2 resolutions=2")
        .page("stories/launch/", "<h1>Campaign launch</h1>")
        .page("stories/dgd/", "Day of General Discussion")
        .page(
            "resolutions/a-res-71-1/",
            "A/RES/71/1 | UN General Assembly | 19 September 2016 | Declaration",
        )
        .page(
            "resolutions/crc-dgd-2012/",
            "no symbol | Committee on the Rights of the Child | September 2012",
        )
        .page("partners/idc/", "Network")
        .page("partners/picum/", "A European network.")
        .page("about/", "About the campaign.")
        .page("tags/", "[campaign:1][crc:1][human-rights-council:1]")
        .page(
            "tags/human-rights-council/",
            "Human Rights Council:[launch]",
        )
        .exists("404.html")
        .page("stories/", "[dgd][launch]");
}

#[test]
fn lists_are_sorted_and_grouped() {
    campaign()
        .run()
        .success()
        .page(
            "resolutions/",
            "<h2>2012</h2>[crc-dgd-2012]<h2>2016</h2>[a-res-71-1]",
        )
        .page(
            "resolutions/",
            "bodies:committee-on-the-rights-of-the-child=1;un-general-assembly=1;",
        )
        .page(
            "partners/",
            "<h2>Networks and coalitions</h2>[idc][picum]<h2>UN agencies</h2>[unicef]",
        )
        .page(
            "partners/",
            "<h3>Global</h3>[idc][unicef]<h3>Europe</h3>[picum]",
        );
}

#[test]
fn cross_references_and_backlinks() {
    campaign()
        .run()
        .success()
        .page(
            "stories/launch/",
            r#"<a href="/resolutions/a-res-71-1/">A/RES/71/1</a>"#,
        )
        .page("stories/launch/", r#"<a href="/partners/picum/">Platform"#)
        .page(
            "resolutions/a-res-71-1/",
            r#"<a href="/stories/launch/">Campaign launch</a>"#,
        )
        .page(
            "partners/idc/",
            r#"<a href="/stories/launch/">Campaign launch</a>"#,
        )
        .page("partners/unicef/", r#"<ul class=cited></ul>"#)
        .page(
            "resolutions/a-res-71-1/",
            "33: Detention of children is a measure of last resort.",
        )
        .page(
            "resolutions/a-res-71-1/",
            r#"href="https://undocs.org/en/A/RES/71/1""#,
        );
}

#[test]
fn content_links_resolve_to_urls_with_anchors() {
    campaign()
        .run()
        .success()
        .page(
            "stories/launch/",
            r#"href="/resolutions/a-res-71-1/#key-points""#,
        )
        .page("stories/launch/", r#"href="/stories/dgd/""#)
        .page("stories/dgd/", r#"href="/stories/launch/#what-happened""#)
        .page("stories/launch/", r#"<h2 id="what-happened">"#);
}

#[test]
fn previous_and_next_follow_dates() {
    campaign()
        .run()
        .success()
        .page("stories/launch/", r#"<a rel=next href="/stories/dgd/">"#)
        .page("stories/dgd/", r#"<a rel=prev href="/stories/launch/">"#);
}

#[test]
fn markdown_extensions_toc_and_word_count() {
    Test::new()
        .story(
            "md",
            "title: M\ndate: 2020-01-01\nsummary: s",
            "## First part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and \"quoted\"[^n]\n\n\
             - [x] done\n\n### Sub part {#custom}\n\n## First part\n\n[^n]: A note.\n",
        )
        .run()
        .success()
        .page("stories/md/", "<table>")
        .page("stories/md/", "<del>old</del>")
        .page("stories/md/", "\u{201c}quoted\u{201d}")
        .page("stories/md/", "footnote-definition")
        .page("stories/md/", r#"type="checkbox""#)
        .page(
            "stories/md/",
            "2:first-part</li><li>3:custom</li><li>2:first-part-1",
        )
        .page("stories/md/", "words, 1 min");
}

#[test]
fn pagination_splits_the_story_list() {
    let mut t = Test::new().file(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntheme: test\nstories_per_page: 2\n",
    );
    for (i, d) in [
        "2020-01-01",
        "2020-01-02",
        "2020-01-03",
        "2020-01-04",
        "2020-01-05",
    ]
    .iter()
    .enumerate()
    {
        t = t.simple_story(&format!("s{i}"), d);
    }
    t.run()
        .success()
        .page("stories/", "page 1/3:[s4][s3] next=/stories/page/2/")
        .page("stories/page/2/", "page 2/3:[s2][s1] next=/stories/page/3/")
        .page("stories/page/3/", "page 3/3:[s0]");
}

#[test]
fn tag_pages_are_paginated_too() {
    let mut t = Test::new().file(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntheme: test\nstories_per_page: 2\n",
    );
    for (i, d) in ["2020-01-01", "2020-01-02", "2020-01-03"]
        .iter()
        .enumerate()
    {
        t = t.story(
            &format!("s{i}"),
            &format!("title: S{i}\ndate: {d}\nsummary: s\ntags: [crc]"),
            "",
        );
    }
    t.run()
        .success()
        .page("tags/crc/", "crc:[s2][s1] next=/tags/crc/page/2/")
        .page("tags/crc/page/2/", "crc:[s0]")
        .page("tags/", "[crc:3]");
}

#[test]
fn drafts_and_future_stories_only_with_drafts_flag() {
    let t = Test::new()
        .simple_story("now", "2020-01-01")
        .simple_story("future", "2999-01-01")
        .story(
            "wip",
            "title: W\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "x",
        )
        .run()
        .success()
        .missing("stories/future/")
        .missing("stories/wip/")
        .page("", "stories=1");
    t.then()
        .args(&["build", "--drafts"])
        .run()
        .success()
        .exists("stories/future/")
        .exists("stories/wip/")
        .page("", "stories=3");
}

#[test]
fn bundles_copy_their_files_beside_the_page() {
    Test::new()
        .file(
            "content/stories/trip/index.md",
            "---\ntitle: Trip\ndate: 2020-01-01\nsummary: s\nimage:\n  src: hero.svg\n  alt: \"A map\"\n---\n![photo](photo.png)\n",
        )
        .file("content/stories/trip/hero.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 20\"/>")
        .bytes("content/stories/trip/photo.png", crate::support::TINY_PNG)
        .file("static/robots.txt", "User-agent: *\n")
        .run()
        .success()
        .page("stories/trip/", r#"<img src="/stories/trip/hero.svg" alt="A map" width=40 height=20>"#)
        .page("stories/trip/", r#"src="/stories/trip/photo.png""#)
        .exists("stories/trip/hero.svg")
        .exists("stories/trip/photo.png")
        .exists("robots.txt");
}

#[test]
fn partners_from_a_spreadsheet() {
    Test::new()
        .file(
            "content/partners.csv",
            "id,name,acronym,type,region,country,roles\n\
             wrc,Women's Refugee Commission,WRC,ngo,americas,US,campaign-supporter\n\
             tdh,\"Terre des hommes, International Federation\",TDH,ngo,europe,CH,working-group-member;campaign-supporter\n",
        )
        .run()
        .success()
        .page("partners/tdh/", "Terre des hommes, International Federation")
        .page("partners/tdh/", "<li>Inter-Agency Working Group member</li><li>Campaign supporter</li>")
        .page("partners/wrc/", "Women&#39;s Refugee Commission");
}

#[test]
fn site_templates_override_the_theme() {
    campaign()
        .file("templates/page.html", "OVERRIDE {{ page.title }}")
        .run()
        .success()
        .page("about/", "OVERRIDE About")
        .page("stories/launch/", "<h1>Campaign launch</h1>");
}

#[test]
fn cards_are_rendered_once_per_entry_and_printed_by_lists() {
    campaign()
        .template(
            "cards/story.html",
            "<card>{{ story.title }}{% for t in story.tags %} #{{ t.slug }}{% endfor %}</card>\n",
        )
        .template("cards/resolution.html", "<rcard>{{ resolution.symbol or resolution.id }}</rcard>")
        .template(
            "stories.html",
            "{% extends \"base.html\" %}{% block content %}{% for s in paginator.items %}{{ s.card }}{% endfor %}{% endblock content %}",
        )
        .template(
            "tag.html",
            "{% extends \"base.html\" %}{% block content %}{% for s in paginator.items %}{{ s.card }}{% endfor %}{% endblock content %}",
        )
        .template(
            "resolutions.html",
            "{% extends \"base.html\" %}{% block content %}{% for r in resolutions %}{{ r.card }}{% endfor %}\
             {% for p in partners %}{{ p.card is defined }}{% endfor %}{% endblock content %}",
        )
        .run()
        .success()
        // Printed as HTML, trimmed, with the entry's own values.
        .page("stories/", "<card>Day of General Discussion #crc</card><card>Campaign launch #campaign #human-rights-council</card>")
        .page("tags/crc/", "<main><card>Day of General Discussion #crc</card></main>")
        .page("resolutions/", "<rcard>A/RES/71/1</rcard>")
        .page("resolutions/", "<rcard>crc-dgd-2012</rcard>")
        // No card template, no card.
        .page("resolutions/", "falsefalse")
        .page_lacks("resolutions/", "true");
}

#[test]
fn the_campaign_theme_prints_each_story_card_from_its_card_template() {
    let out = campaign().builtin_theme().run().success();
    let card = |page: &str| {
        let html = out.output(page);
        let start = html
            .find("<article class=\"card story-card card-row")
            .expect("a row card");
        let end = start + html[start..].find("</article>").expect("card end");
        html[start..end].to_string()
    };
    // The lists print the card rendered from cards/story.html: a row with a level-2 heading.
    let row = card("stories/index.html");
    assert!(
        row.contains("<h2 class=\"card-title\"><a href=\"/stories/dgd/\">"),
        "{row}"
    );
    assert_eq!(row, card("tags/crc/index.html"));
    // The home page includes the same template in its grids, with level-3 headings.
    let home = out.output("index.html");
    assert!(
        home.contains("<article class=\"card story-card card-grid"),
        "{home}"
    );
    assert!(
        home.contains("<h3 class=\"card-title\"><a href=\"/stories/launch/\">"),
        "{home}"
    );
}

#[test]
fn partials_are_rendered_once_and_printed_by_every_page() {
    campaign()
        .template(
            "partials/footer.html",
            "<footer>{{ site.title }}: {{ stories | length }} stories, newest {{ stories[0].title }}</footer>\n",
        )
        .template("partials/nav/extra.html", "<b>extra</b>")
        .template(
            "base.html",
            "<!doctype html><title>{{ page.title }}</title><main>{% block content %}{% endblock content %}</main>\
             {{ partials.footer }}{{ partials[\"nav/extra\"] }}",
        )
        .run()
        .success()
        // With the site and the globals, trimmed, printed as HTML.
        .page("stories/launch/", "</main><footer>Test site: 2 stories, newest Day of General Discussion</footer><b>extra</b>")
        .page("about/", "<footer>Test site: 2 stories");
}

#[test]
fn a_partial_that_reads_the_menu_is_rendered_for_each_pages_menu() {
    campaign()
        .template(
            "partials/nav.html",
            "{% for m in menu %}{{ m.name }}={{ m.current }};{% endfor %}",
        )
        .template(
            "base.html",
            "<!doctype html><title>{{ page.title }}</title><nav>{{ partials.nav }}</nav>\
             <main>{% block content %}{% endblock content %}</main>",
        )
        .run()
        .success()
        .page(
            "stories/",
            "<nav>Stories=page;Resolutions=;Partners=;About=;</nav>",
        )
        .page(
            "stories/launch/",
            "<nav>Stories=section;Resolutions=;Partners=;About=;</nav>",
        )
        .page(
            "about/",
            "<nav>Stories=;Resolutions=;Partners=;About=page;</nav>",
        )
        .page("", "<nav>Stories=;Resolutions=;Partners=;About=;</nav>");
}

#[test]
fn a_site_replaces_the_campaign_themes_footer_with_its_own_partial() {
    campaign()
        .builtin_theme()
        .file(
            "templates/partials/footer.html",
            "<footer class=\"site-footer\"><p>Our own footer for {{ site.title }}</p></footer>",
        )
        .run()
        .success()
        .page(
            "stories/launch/",
            "<footer class=\"site-footer\"><p>Our own footer for Test site</p></footer>",
        )
        .page_lacks("stories/launch/", "No trackers")
        // The theme's other partial is still there.
        .page(
            "stories/launch/",
            "<link rel=\"stylesheet\" href=\"/css/site.",
        );
}

#[test]
fn the_language_is_written_as_open_graph_wants_it() {
    let t = campaign().builtin_theme();
    let cfg = t.read("site.yaml") + "language: pt-BR\n";
    t.file("site.yaml", &cfg)
        .run()
        .success()
        .page("stories/launch/", "<html lang=\"pt-BR\" dir=\"ltr\">")
        .page(
            "stories/launch/",
            "<meta property=\"og:locale\" content=\"pt_BR\">",
        );
}

#[test]
fn page_template_and_get_entry() {
    campaign()
        .template(
            "special.html",
            "{% set r = get_entry(collection=\"resolutions\", id=\"a-res-71-1\") %}special {{ r.symbol }} {{ r.url }}",
        )
        .file("content/special.md", "---\ntitle: S\ntemplate: special.html\n---\n")
        .run()
        .success()
        .page("special/", "special A/RES/71/1 /resolutions/a-res-71-1/");
}

#[test]
fn default_menu_lists_sections_and_weighted_pages() {
    campaign()
        .run()
        .success()
        .page("", r#"<a href="/stories/">Stories</a><a href="/resolutions/">Resolutions</a><a href="/partners/">Partners</a><a href="/about/">About</a>"#);
}

#[test]
fn the_menu_marks_the_current_page_and_section_and_highlights_a_call_to_action() {
    campaign()
        .builtin_theme()
        .file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\nmenu:\n  - name: Stories\n    url: /stories/\n  \
             - name: About\n    url: \"@/about.md\"\n    highlight: true\n",
        )
        .run()
        .success()
        .page("stories/", r#"<a href="/stories/" aria-current="page">Stories</a>"#)
        .page("stories/launch/", r#"<a href="/stories/" aria-current="true">Stories</a>"#)
        .page("stories/launch/", r#"<a href="/about/" class="nav-cta">About</a>"#)
        .page("about/", r#"<a href="/about/" class="nav-cta" aria-current="page">About</a>"#)
        .page("", r#"<a href="/stories/">Stories</a>"#)
        .page_lacks("", r#"aria-current="true""#);
}

#[test]
fn a_page_gets_its_address_and_menu_when_its_template_reads_them() {
    // rally leaves names a template does not read out of its context (each costs lookups):
    // a template that reads them must still get them.
    campaign()
        .template(
            "page.html",
            "{% extends \"base.html\" %}{% block content %}[{{ current_url }}|{{ current_path }}|\
             {% for m in menu %}{{ m.current }},{% endfor %}]{% endblock content %}",
        )
        .args(&["build", "--base-url", "https://example.org/campaign"])
        .run()
        .success()
        .page("about/", "[/campaign/about/|about/|,,,page,]");
}

#[test]
fn base_url_with_a_path_prefixes_every_url() {
    campaign()
        .args(&["build", "--base-url", "https://example.org/campaign"])
        .run()
        .success()
        .page(
            "stories/launch/",
            r#"href="/campaign/resolutions/a-res-71-1/#key-points""#,
        )
        .page("", r#"<a href="/campaign/stories/">"#);
}

#[test]
fn builtin_theme_builds_a_folder_with_only_config_and_content() {
    let t = campaign().builtin_theme();
    assert!(!t.path("themes").exists());
    t.run()
        .success()
        .page("stories/launch/", "Campaign launch")
        .page("", "<html lang=\"en\"");
}

#[test]
fn crlf_and_bom_files_just_work() {
    Test::new()
        .bytes(
            "content/stories/win.md",
            b"\xEF\xBB\xBF---\r\ntitle: Windows\r\ndate: 2020-01-01\r\nsummary: s\r\n---\r\nHello **there**\r\n",
        )
        .run()
        .success()
        .page("stories/win/", "Hello <strong>there</strong>");
}

#[test]
fn two_builds_are_byte_identical() {
    let first = campaign().run().success();
    let a = snapshot(&first.test.path("public"));
    let second = first.then().run().success();
    let b = snapshot(&second.test.path("public"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn stale_files_disappear_on_rebuild() {
    campaign()
        .run()
        .success()
        .exists("stories/dgd/")
        .then()
        .remove("content/stories/dgd.md")
        .file(
            "content/stories/launch.md",
            "---\ntitle: L\ndate: 2012-03-21\nsummary: s\n---\nx\n",
        )
        .run()
        .success()
        .missing("stories/dgd/")
        .exists("stories/launch/");
}

/// `rally build` streams pages to disk as they are rendered; the serve engine and the
/// library keep them in memory. Both must give the same site, byte for byte.
#[test]
fn streamed_build_equals_the_in_memory_output() {
    // Their own cache: the library finds it where `rally build` put it.
    for test in [
        campaign().own_cache(),
        campaign().own_cache().builtin_theme(),
    ] {
        let done = test.run().success();
        let on_disk = snapshot(&done.test.path("public"));
        let (sources, diags) = rally::load::load(done.test.root());
        let mut sources = sources.unwrap_or_else(|| panic!("{}", diags.render_plain()));
        // The steps `rally build` takes around the pure build: photos, share cards, search.
        rally::images::prepare(&mut sources, rally::images::Mode::Make);
        let options = rally::link::BuildOptions {
            cards: rally::share::CardMode::Make,
            search: rally::search::SearchMode::Make,
            ..Default::default()
        };
        let (out, diags) = rally::build(&sources, &options);
        let out = out.unwrap_or_else(|| panic!("{}", diags.render_plain()));
        let mut in_memory: Vec<(String, Vec<u8>)> = out
            .iter()
            .map(|(path, file)| {
                let bytes = match file {
                    rally::render::OutputFile::Bytes(b) => b.to_vec(),
                    rally::render::OutputFile::Copy(rally::render::PathOrEmbedded::Embedded(b)) => {
                        b.to_vec()
                    }
                    rally::render::OutputFile::Copy(rally::render::PathOrEmbedded::Path(p, _)) => {
                        std::fs::read(p).expect("asset")
                    }
                    rally::render::OutputFile::Written => panic!("{path} was not kept"),
                };
                (path.to_string(), bytes)
            })
            .collect();
        in_memory.push((
            ".rally-output".into(),
            std::fs::read(done.test.path("public/.rally-output")).expect("marker"),
        ));
        in_memory.sort();
        assert_eq!(on_disk.len(), in_memory.len());
        for ((a, x), (b, y)) in on_disk.iter().zip(&in_memory) {
            assert_eq!(a, b);
            assert!(
                x == y,
                "{a} differs between the streamed and the in-memory build"
            );
        }
    }
}

#[test]
fn a_one_shot_link_frees_each_text_nothing_needs_any_more() {
    // `rally build` holds the content's text only as long as a message might need it: a
    // story whose anchors all point at finished bodies frees its text as soon as its body
    // is rendered, while one with an anchor into another story, an image or an embed keeps
    // it. (Peak memory at 10,000 stories depends on it: docs/performance.md.)
    let t = Test::new()
        .resolution(
            "res",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution",
            "## Key points\n",
        )
        .story(
            "plain",
            "title: P\ndate: 2020-01-01\nsummary: s",
            "## Start\n\nSee [r](@/resolutions/res.md#key-points).\n",
        )
        .story(
            "to-story",
            "title: T\ndate: 2020-01-02\nsummary: s",
            "See [p](@/stories/plain.md#start).\n",
        )
        .story(
            "pictured",
            "title: I\ndate: 2020-01-03\nsummary: s\nimage:\n  src: i.svg\n  alt: I",
            "Text.\n",
        )
        .file(
            "content/stories/i.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .story(
            "embedding",
            "title: E\ndate: 2020-01-04\nsummary: s",
            "{{< cite res >}}\n",
        );
    let (sources, diags) = rally::load::load(t.root());
    let sources = sources.unwrap_or_else(|| panic!("{}", diags.render_plain()));
    let options = rally::link::BuildOptions::default();
    let linked = |one_shot: bool| {
        // Parsed for each link: an entry shared with anything else keeps its text.
        let (content, _) =
            rally::content::parse_all(&sources.content, &mut rally::content::ParseMemo::one_shot());
        let mut memo = if one_shot {
            rally::link::LinkMemo::one_shot()
        } else {
            rally::link::LinkMemo::default()
        };
        match rally::link::link_all(&sources, content, &options, vec![&mut memo]) {
            Ok((mut sites, _)) => sites.remove(0),
            Err(d) => panic!("{}", d.render_plain()),
        }
    };
    let site = linked(true);
    let text_of = |id: &str| {
        let e = site.stories.iter().find(|e| e.doc.id == id).expect(id);
        e.doc.file.text.len()
    };
    assert_eq!(
        text_of("plain"),
        0,
        "a story whose anchors are all checked frees its text"
    );
    assert!(
        text_of("to-story") > 0,
        "its anchor into a story is checked at the end"
    );
    assert!(
        text_of("pictured") > 0,
        "its image is checked after its body"
    );
    assert!(
        text_of("embedding") > 0,
        "embeds are rendered later, with messages"
    );
    // The serve engine's memo keeps every text.
    let kept = linked(false);
    assert!(kept.stories.iter().all(|e| !e.doc.file.text.is_empty()));
}
