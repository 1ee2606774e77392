//! Languages: `languages:` in site.yaml and translations as sibling files (`about.es.md`).

use crate::support::Test;

const LANGUAGES: &str = "languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n    title: \"Sitio de prueba\"\n  - code: ar\n    name: العربية\n";

/// A site in English, Spanish and Arabic: two stories (one translated into Spanish and
/// Arabic), a resolution translated into Spanish, a page translated into Arabic.
fn trilingual() -> Test {
    let t = Test::new().builtin_theme();
    let cfg = t.read("site.yaml") + LANGUAGES;
    t.file("site.yaml", &cfg)
        .story(
            "launch",
            "title: \"Campaign launch\"\ndate: 2012-03-21\nsummary: \"The campaign starts.\"\ntags: [campaign]\nresolutions: [a-res-69-187]\nfeatured: true",
            "## What happened\n\nSee [the resolution](@/resolutions/a-res-69-187.md) and [about](@/about.md) and [the other story](@/stories/dgd.md).\n",
        )
        .file(
            "content/stories/launch.es.md",
            "---\ntitle: \"Lanzamiento de la campaña\"\nsummary: \"Empieza la campaña.\"\n---\nVer [la resolución](@/resolutions/a-res-69-187.md), [acerca de](@/about.md) y [la otra historia](@/stories/dgd.md).\n",
        )
        .file(
            "content/stories/launch.ar.md",
            "---\ntitle: \"إطلاق الحملة\"\nsummary: \"تبدأ الحملة.\"\n---\nنص.\n",
        )
        .story(
            "dgd",
            "title: \"Day of General Discussion\"\ndate: 2012-09-28\nsummary: \"Geneva again.\"\ntags: [crc]",
            "Text.\n",
        )
        .resolution(
            "a-res-69-187",
            "title: \"Migrant children and adolescents\"\nsymbol: \"A/RES/69/187\"\nbody: \"UN General Assembly\"\nadopted: 2014-12-18\nkind: resolution",
            "Text.\n",
        )
        .file(
            "content/resolutions/a-res-69-187.es.md",
            "---\ntitle: \"Niños y adolescentes migrantes\"\n---\nTexto.\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\nAbout us.\n")
        .file("content/about.ar.md", "---\ntitle: \"عن الحملة\"\n---\nعنا.\n")
}

#[test]
fn each_language_has_its_own_folder_and_the_default_stays_at_the_root() {
    trilingual()
        .run()
        .success()
        .exists("stories/launch/index.html")
        .exists("es/stories/launch/index.html")
        .exists("ar/stories/launch/index.html")
        .missing("es/stories/dgd/index.html")
        .exists("es/index.html")
        .exists("ar/index.html")
        .exists("es/resolutions/a-res-69-187/index.html")
        .missing("ar/resolutions/a-res-69-187/index.html")
        .exists("ar/about/index.html")
        .missing("es/about/index.html")
        .page("es/stories/launch/", "<html lang=\"es\" dir=\"ltr\">")
        .page("ar/stories/launch/", "<html lang=\"ar\" dir=\"rtl\">")
        .page("stories/launch/", "<html lang=\"en\" dir=\"ltr\">")
        .page("es/stories/launch/", "Lanzamiento de la campaña")
        .page("es/", "Sitio de prueba");
}

#[test]
fn a_translation_inherits_what_it_does_not_set() {
    trilingual()
        .run()
        .success()
        // The date, tags and cited resolution come from the original.
        .page("es/stories/launch/", "datetime=\"2012-03-21\"")
        .page("es/stories/launch/", "/es/tags/campaign/")
        .page("es/tags/campaign/", "/es/stories/launch/")
        // The cited resolution: the Spanish one exists.
        .page("es/stories/launch/", "/es/resolutions/a-res-69-187/");
}

#[test]
fn links_go_to_the_translation_or_fall_back_to_the_default_language() {
    trilingual()
        .run()
        .success()
        .page(
            "es/stories/launch/",
            "<a href=\"/es/resolutions/a-res-69-187/\">la resolución</a>",
        )
        // No Spanish "about" or "dgd": the English pages, marked as English.
        .page(
            "es/stories/launch/",
            "<a href=\"/about/\" hreflang=\"en\">acerca de</a>",
        )
        .page(
            "es/stories/launch/",
            "<a href=\"/stories/dgd/\" hreflang=\"en\">la otra historia</a>",
        )
        .page_lacks("stories/launch/", "hreflang=\"en\">");
}

#[test]
fn every_page_lists_its_translations_for_search_engines_and_readers() {
    let alternate = |code: &str, path: &str| {
        format!("<link rel=\"alternate\" hreflang=\"{code}\" href=\"https://example.org/{path}\">")
    };
    trilingual()
        .run()
        .success()
        .page("stories/launch/", &alternate("en", "stories/launch/"))
        .page("stories/launch/", &alternate("es", "es/stories/launch/"))
        .page("stories/launch/", &alternate("ar", "ar/stories/launch/"))
        .page("stories/launch/", &alternate("x-default", "stories/launch/"))
        .page("ar/stories/launch/", &alternate("x-default", "stories/launch/"))
        // A page in one language has no alternates to list and no switcher.
        .page_lacks("stories/dgd/", "hreflang=\"es\"")
        .page_lacks("stories/dgd/", "class=\"lang-switch\"")
        // The switcher lists only the languages the page exists in.
        .page("about/", "<a href=\"/ar/about/\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</a>")
        .page_lacks("about/", "hreflang=\"es\" lang=\"es\"")
        .page(
            "es/stories/launch/",
            "<a href=\"/es/stories/launch/\" hreflang=\"es\" lang=\"es\" dir=\"ltr\" aria-current=\"page\">Español</a>",
        )
        .page(
            "es/stories/launch/",
            "<a href=\"/stories/launch/\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">English</a>",
        );
}

#[test]
fn lists_feeds_and_sitemaps_are_per_language() {
    let out = trilingual().run().success();
    // The Spanish stories list holds the Spanish story only; the English one both.
    let es_list = out.output("es/stories/index.html");
    assert!(es_list.contains("Lanzamiento de la campaña"), "{es_list}");
    assert!(!es_list.contains("Day of General Discussion"), "{es_list}");
    let en_list = out.output("stories/index.html");
    assert!(en_list.contains("Day of General Discussion"));
    assert!(!en_list.contains("Lanzamiento"));
    // Resolutions are listed whole in every language, translated where they can be.
    let ar_res = out.output("ar/resolutions/index.html");
    assert!(
        ar_res.contains("Migrant children and adolescents"),
        "{ar_res}"
    );
    let es_res = out.output("es/resolutions/index.html");
    assert!(
        es_res.contains("Niños y adolescentes migrantes"),
        "{es_res}"
    );
    // Feeds.
    let es_feed = out.output("es/stories/atom.xml");
    assert!(es_feed.contains("xml:lang=\"es\""), "{es_feed}");
    assert!(es_feed.contains("https://example.org/es/stories/launch/"));
    assert!(
        !es_feed.contains("<id>https://example.org/stories/dgd/</id>"),
        "{es_feed}"
    );
    assert!(
        out.output("stories/atom.xml")
            .contains("https://example.org/stories/dgd/")
    );
    // Sitemaps: each language's own pages, with their alternates.
    let sitemap = out.output("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/stories/launch/\"/>"
    ));
    assert!(
        !sitemap.contains("<loc>https://example.org/es/"),
        "{sitemap}"
    );
    let es_map = out.output("es/sitemap.xml");
    assert!(es_map.contains("<loc>https://example.org/es/stories/launch/</loc>"));
    // The Spanish sitemap lists no page Spanish lacks (the English resolution list pages
    // are the Spanish ones; the English "about" is not Spanish).
    assert!(
        !es_map.contains("<loc>https://example.org/about/</loc>"),
        "{es_map}"
    );
    assert!(
        !es_map.contains("<loc>https://example.org/stories/"),
        "{es_map}"
    );
    roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    roxmltree::Document::parse(&es_feed).expect("the feed is XML");
}

#[test]
fn a_site_without_the_list_keeps_its_pages_and_text() {
    let t = Test::new()
        .builtin_theme()
        .simple_story("launch", "2012-03-21")
        .file("content/about.md", "---\ntitle: About\n---\nAbout us.\n");
    let out = t.run().success();
    let sitemap = out.output("sitemap.xml");
    assert!(!sitemap.contains("xhtml:link"), "{sitemap}");
    out.exists("stories/launch/index.html")
        .exists("about/index.html")
        .missing("en/index.html")
        .page("stories/launch/", "<html lang=\"en\" dir=\"ltr\">")
        .page_lacks("stories/launch/", "hreflang")
        .page_lacks("stories/launch/", "lang-switch");
}

#[test]
fn a_translation_in_an_undeclared_language_is_an_error_naming_the_file() {
    trilingual()
        .file("content/stories/launch.de.md", "---\ntitle: \"Start\"\n---\nText.\n")
        .run()
        .failure(1)
        .stderr_has(&[
            "error: `de` in the name of this file is not a language of this site",
            "content/stories/launch.de.md:1:1",
            "this site's translations are in es, ar; to publish in `de`, add it to `languages:` in site.yaml",
        ])
        .missing("stories/launch/index.html");
}

#[test]
fn a_file_named_in_the_default_language_is_an_error() {
    trilingual()
        .file(
            "content/stories/other.en.md",
            "---\ntitle: \"Other\"\n---\nText.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "error: `en` is the site's default language: this file needs no language in its name",
            "rename it to `content/stories/other.md`",
        ]);
}

#[test]
fn a_translation_with_keys_of_another_collection_is_an_error_at_its_line() {
    trilingual()
        .file(
            "content/stories/launch.es.md",
            "---\ntitle: \"Lanzamiento\"\nsymbol: \"A/RES/69/187\"\n---\nTexto.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["content/stories/launch.es.md:3:1", "symbol"]);
}

#[test]
fn a_translation_without_an_original_is_a_page_in_its_language_only() {
    trilingual()
        .file(
            "content/stories/solo.es.md",
            "---\ntitle: \"Sólo en español\"\ndate: 2013-01-01\nsummary: \"Una historia.\"\n---\nTexto.\n",
        )
        .run()
        .success()
        .exists("es/stories/solo/index.html")
        .missing("stories/solo/index.html")
        .page_lacks("es/stories/solo/", "lang-switch");
}

#[test]
fn an_error_in_a_translation_keeps_its_line() {
    trilingual()
        .file(
            "content/stories/launch.es.md",
            "---\ntitle: \"Lanzamiento\"\ndate: 2012-13-45\n---\nTexto.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&["content/stories/launch.es.md:3:"]);
}

#[test]
fn bad_language_lists_are_errors_with_their_line_and_nothing_is_written() {
    let t = Test::new()
        .builtin_theme()
        .simple_story("launch", "2012-03-21");
    let cfg = t.read("site.yaml");
    t.file(
        "site.yaml",
        &(cfg.clone()
            + "languages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n  - code: es\n    name: Castellano\n"),
    )
    .run()
    .failure(1)
    .stderr_has(&["the language `es` is listed twice", "site.yaml:8:11"])
    .missing("stories/launch/index.html")
    .then()
    .file(
        "site.yaml",
        &(cfg + "languages:\n  - code: en\n    name: English\n  - code: ar\n    name: Arabic\n    direction: sideways\n"),
    )
    .run()
    .failure(1)
    .stderr_has(&["unknown direction \"sideways\"", "site.yaml:8:16"]);
}

#[test]
fn the_direction_comes_from_cldr_and_may_be_overridden() {
    let t = Test::new()
        .builtin_theme()
        .simple_story("launch", "2012-03-21");
    let cfg = t.read("site.yaml")
        + "languages:\n  - code: en\n    name: English\n  - code: fa\n    name: فارسی\n  - code: he\n    name: Hebrew\n    direction: ltr\n";
    t.file("site.yaml", &cfg)
        .file("content/stories/launch.fa.md", "---\ntitle: \"ت\"\n---\n")
        .file("content/stories/launch.he.md", "---\ntitle: \"ת\"\n---\n")
        .run()
        .success()
        .page("fa/stories/launch/", "<html lang=\"fa\" dir=\"rtl\">")
        .page("he/stories/launch/", "<html lang=\"he\" dir=\"ltr\">");
}

#[test]
fn the_bundled_site_publishes_its_translations() {
    Test::bundled()
        .run()
        .success()
        .exists("es/index.html")
        .exists("fr/take-action/index.html")
        .page(
            "ar/stories/campaign-launch-human-rights-council-2012/",
            "<html lang=\"ar\" dir=\"rtl\">",
        )
        .page("about/", "hreflang=\"fr\"")
        // The titles rally gives list pages are in the page's language.
        .page("ar/partners/", "<h1>الشركاء</h1>")
        .page("es/resolutions/", "<h1>Resoluciones y normas</h1>")
        .page("es/tags/campaign/", "<title>Historias sobre La campaña · ")
        .page("partners/", "<h1>Partners</h1>");
}

#[test]
fn partners_in_a_list_carry_their_translated_fields() {
    trilingual()
        .file(
            "content/partners.yaml",
            "- id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n  description: \"The UN agency for children.\"\n  translations:\n    es:\n      description: \"La agencia de la ONU para la infancia.\"\n    ar:\n      name: \"اليونيسف\"\n",
        )
        .file(
            "content/partners.csv",
            "id,name,type,region,description,description.es\nidc,International Detention Coalition,network,global,A coalition.,Una coalición.\n",
        )
        .run()
        .success()
        .page("es/partners/unicef/", "La agencia de la ONU para la infancia.")
        .page("ar/partners/unicef/", "اليونيسف")
        .page("partners/unicef/", "The UN agency for children.")
        .page("es/partners/idc/", "Una coalición.")
        .missing("ar/partners/idc/index.html")
        // In Arabic the coalition is listed, in English, from its English page.
        .page("ar/partners/", "/partners/idc/");
}

#[test]
fn a_translated_field_in_an_undeclared_language_is_an_error() {
    trilingual()
        .file(
            "content/partners.yaml",
            "- id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n  translations:\n    de:\n      name: \"UNICEF Deutsch\"\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "`de` is not one of the site's other languages",
            "content/partners.yaml:6:5",
        ]);
}

#[test]
fn a_link_from_an_untranslated_page_to_a_renamed_heading_does_not_drop_a_language() {
    // `join.md` (English only) links to a heading of `about.md`; the Spanish `about` names
    // that heading in Spanish. The Spanish site shows `join` from its English page: the link
    // is the English page's, and fine there.
    Test::new()
        .builtin_theme()
        .file(
            "site.yaml",
            &(Test::new().builtin_theme().read("site.yaml") + LANGUAGES),
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n## Who we are\n\nUs.\n",
        )
        .file(
            "content/about.es.md",
            "---\ntitle: Acerca de\n---\n## Quiénes somos\n\nNosotros.\n",
        )
        .file(
            "content/join.md",
            "---\ntitle: Join\n---\nSee [who we are](@/about.md#who-we-are).\n",
        )
        .run()
        .success()
        .exists("es/about/index.html")
        .exists("es/index.html");
}

#[test]
fn a_translation_beside_a_bundle_is_sent_into_its_folder() {
    trilingual()
        .story(
            "pictured",
            "title: \"Pictured\"\ndate: 2013-01-01\nsummary: \"A story.\"",
            "Text.\n",
        )
        .file(
            "content/stories/bundled/index.md",
            "---\ntitle: \"Bundled\"\ndate: 2013-01-02\nsummary: \"A story.\"\n---\nText.\n",
        )
        .file(
            "content/stories/bundled.es.md",
            "---\ntitle: \"En carpeta\"\n---\nTexto.\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "this translation is beside its original's folder, not in it",
            "move it into the folder as content/stories/bundled/index.es.md",
        ]);
}

/// Two partners, one with a Spanish page, for the labels rally makes (types, regions,
/// countries, roles).
fn with_partners() -> Test {
    trilingual().file(
        "content/partners.yaml",
        "- id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n  country: US\n  roles: [working-group-member]\n  translations:\n    es:\n      description: \"La agencia de la ONU para la infancia.\"\n- id: idc\n  name: International Detention Coalition\n  type: network\n  region: asia-pacific\n  country: CH\n",
    )
}

#[test]
fn the_partners_directory_names_types_regions_and_countries_in_its_language() {
    let out = with_partners().run().success();
    let es = out.output("es/partners/index.html");
    for text in [
        ">Organismos de las Naciones Unidas <",
        ">Redes y coaliciones <",
        "<option value=\"un-agency\">Organismos de las Naciones Unidas (1)",
        "<option value=\"asia-pacific\">Asia y el Pacífico (1)",
        "<option value=\"global\">Mundial (1)",
        ">Suiza <",
        ">Estados Unidos <",
    ] {
        assert!(es.contains(text), "Spanish directory lacks {text:?}");
    }
    let ar = out.output("ar/partners/index.html");
    for text in [
        ">وكالات الأمم المتحدة <",
        ">الشبكات والتحالفات <",
        "<option value=\"asia-pacific\">آسيا والمحيط الهادئ (1)",
        "<option value=\"global\">عالمي (1)",
        ">سويسرا <",
        ">الولايات المتحدة <",
    ] {
        assert!(ar.contains(text), "Arabic directory lacks {text:?}");
    }
    for page in [&es, &ar] {
        for english in [
            "UN agencies",
            "Networks and coalitions",
            "Asia and the Pacific",
            "Switzerland",
        ] {
            assert!(!page.contains(english), "{english:?} left in English");
        }
    }
    // The English directory keeps its words, and rally's own country names.
    let en = out.output("partners/index.html");
    for text in [
        ">UN agencies <",
        "<option value=\"network\">Networks and coalitions (1)",
        "<option value=\"asia-pacific\">Asia and the Pacific (1)",
        ">Switzerland <",
        ">United States <",
    ] {
        assert!(en.contains(text), "English directory lacks {text:?}");
    }
}

#[test]
fn a_translated_partner_page_and_the_resolutions_filters_use_the_language_of_the_page() {
    with_partners()
        .run()
        .success()
        .page(
            "es/partners/unicef/",
            "<dd>Organismos de las Naciones Unidas</dd>",
        )
        .page("es/partners/unicef/", "<dd>Mundial</dd>")
        .page("es/partners/unicef/", "<dd>Estados Unidos</dd>")
        .page(
            "es/partners/unicef/",
            "Miembro del Grupo de Trabajo Interinstitucional",
        )
        .page("partners/unicef/", "<dd>UN agencies</dd>")
        .page("partners/unicef/", "Inter-Agency Working Group member")
        .page(
            "es/resolutions/",
            "<option value=\"resolution\">Resolución (1)",
        )
        .page("ar/resolutions/", "<option value=\"resolution\">قرار (1)")
        .page(
            "resolutions/",
            "<option value=\"resolution\">Resolution (1)",
        );
}
