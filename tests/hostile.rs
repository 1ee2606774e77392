//! Hostile and accidental input: nothing a writer does may crash rally, corrupt the
//! published site or leave it half-written. Every case asserts the message and location,
//! exit code 1 where it fails, and that public/ is exactly the previous good site.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{Test, snapshot};

/// A good build, then `change`, then a failing build with `expected` in stderr.
fn fails_after(change: impl FnOnce(Test) -> Test, expected: &[&str]) -> String {
    let good = Test::new().simple_story("ok", "2020-01-01").run().success();
    let before = snapshot(&good.test.path("public"));
    let failed = change(good.then()).run().failure(1).stderr_has(expected);
    assert_eq!(
        before,
        snapshot(&failed.test.path("public")),
        "public/ changed after a failed build"
    );
    failed.stderr
}

#[test]
fn a_20_megabyte_story_builds() {
    let body = "Children belong in communities, not in detention. ".repeat(400_000);
    assert!(body.len() >= 20_000_000);
    Test::new()
        .story("huge", "title: Huge\ndate: 2020-01-01\nsummary: s", &body)
        .run()
        .success()
        .page("stories/huge/", "Children belong in communities");
}

#[test]
fn ten_thousand_nested_lists_and_quotes_do_not_crash() {
    Test::new()
        .story(
            "lists",
            "title: L\ndate: 2020-01-01\nsummary: s",
            &format!("{}deep\n", "- ".repeat(10_000)),
        )
        .story(
            "quotes",
            "title: Q\ndate: 2020-01-01\nsummary: s",
            &format!("{}deep\n", "> ".repeat(10_000)),
        )
        .story(
            "mixed",
            "title: M\ndate: 2020-01-01\nsummary: s",
            &format!("{}deep\n", "> - 1. ".repeat(3_000)),
        )
        .run()
        .success()
        .page("stories/lists/", "deep")
        .page("stories/quotes/", "deep");
}

#[test]
fn recursive_include_names_the_template() {
    fails_after(
        |t| t.template("story.html", "{% include \"story.html\" %}"),
        &[
            "the template themes/test/templates/story.html includes itself",
            "remove one of them",
        ],
    );
}

#[test]
fn names_windows_and_macos_cannot_store() {
    for (name, expected) in [
        (
            "content/stories/a:b.md",
            "`a:b` cannot be used in a web address",
        ),
        (
            "content/stories/what?.md",
            "`what?` cannot be used in a web address",
        ),
        (
            "content/stories/con.md",
            "`con` is a name Windows reserves for devices",
        ),
        ("content/stories/Upper.md", "rename the file to `upper`"),
    ] {
        fails_after(
            |t| t.file(name, "---\ntitle: T\ndate: 2020-01-01\nsummary: s\n---\n"),
            &[expected],
        );
    }
}

#[test]
fn partner_ids_cannot_escape_the_output_folder() {
    for id in ["../../etc", "/abs", "a/../../b", "C:\\\\x"] {
        fails_after(
            |t| {
                t.file(
                    "content/partners.yaml",
                    &format!("- id: \"{id}\"\n  name: X\n  type: ngo\n  region: global\n"),
                )
            },
            &[
                "cannot be used in a web address",
                "content/partners.yaml:1:",
            ],
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    fails_after(
        |t| {
            std::os::unix::fs::symlink("..", t.path("content/stories/loop")).expect("symlink");
            std::os::unix::fs::symlink("/nonexistent/x.md", t.path("content/stories/gone.md"))
                .expect("symlink");
            t
        },
        &[
            "this link points to a file or folder that does not exist",
            "content/stories/gone.md",
            "a folder link points back to one of its parent folders",
            "content/stories/loop",
        ],
    );
}

#[test]
fn missing_page_template() {
    fails_after(
        |t| {
            t.file(
                "content/about.md",
                "---\ntitle: About\ntemplate: landing.html\n---\n",
            )
        },
        &[
            "there is no template `landing.html`",
            "content/about.md:3:11",
        ],
    );
}

#[test]
fn a_file_that_vanishes_while_reading_is_reported() {
    let d = rally::load::read_text(
        std::path::Path::new("/nonexistent/story.md"),
        "content/stories/story.md",
    )
    .unwrap_err();
    assert!(d.message.contains("cannot read this file"), "{}", d.message);
    assert_eq!(
        d.help.as_deref(),
        Some("the file disappeared while the site was being read; build again")
    );
}

#[test]
fn impossible_and_malformed_dates() {
    for (date, expected) in [
        ("2023-02-29", "is not a day that exists in the calendar"),
        ("2024-13-01", "is not a day that exists in the calendar"),
        ("31/12/2020", "write it as YYYY-MM-DD"),
        ("2020", "is not a full date"),
        ("yesterday", "write it as YYYY-MM-DD"),
    ] {
        fails_after(
            |t| t.story("d", &format!("title: T\ndate: {date}\nsummary: s"), ""),
            &[expected, "content/stories/d.md:3:"],
        );
    }
}

/// Kill -9 a build at random moments, 50 times: public/ is always one complete site, the old
/// or the new, never a mix or a half-written folder.
#[test]
fn killed_builds_never_leave_a_broken_site() {
    let mut t = Test::new();
    for i in 0..300 {
        t = t.simple_story(&format!("s{i}"), "2020-01-01");
    }
    let t = t.run().success();
    let a = snapshot(&t.test.path("public"));
    let root = t.test.root().to_path_buf();
    // The B site differs in every story page.
    let flip = |version: &str| {
        for i in 0..300 {
            let p = root.join(format!("content/stories/s{i}.md"));
            fs::write(p, format!("---\ntitle: \"Story s{i} {version}\"\ndate: 2020-01-01\nsummary: s\n---\nText.\n")).expect("write");
        }
    };
    flip("B");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_rally"))
            .arg("build")
            .current_dir(&root)
            .output()
            .expect("build")
    };
    let started = Instant::now();
    assert!(run().status.success());
    let duration = started.elapsed();
    let b = snapshot(&root.join("public"));
    assert_ne!(a, b);
    let mut seed = 0x9e37_79b9_u64;
    let (mut saw_a, mut saw_b) = (0, 0);
    for round in 0..50 {
        // Alternate the sources so a completed build changes the site.
        flip(if round % 2 == 0 { "A2" } else { "B" });
        let expected_new = if round % 2 == 0 { None } else { Some(&b) };
        let before = snapshot(&root.join("public"));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = duration.mul_f64((seed % 1000) as f64 / 800.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_rally"))
            .arg("build")
            .current_dir(&root)
            .spawn()
            .expect("spawn");
        std::thread::sleep(wait.min(Duration::from_secs(5)));
        let _ = child.kill();
        let _ = child.wait();
        let after = snapshot(&root.join("public"));
        let complete_new = match expected_new {
            Some(b) => after == *b,
            None => after.iter().any(|(p, bytes)| {
                p.ends_with("s0/index.html") && String::from_utf8_lossy(bytes).contains("A2")
            }),
        };
        assert!(
            after == before || complete_new,
            "round {round}: public/ is neither the old nor the new site"
        );
        if after == before {
            saw_a += 1
        } else {
            saw_b += 1
        }
        // A finished new site is complete: same files as any full build.
        if after != before {
            let names: Vec<&String> = after.iter().map(|(p, _)| p).collect();
            let full: Vec<&String> = b.iter().map(|(p, _)| p).collect();
            assert_eq!(names, full, "round {round}: the new site lacks files");
        }
    }
    // Leftover staging folders of killed builds are cleaned up by the next build.
    assert!(run().status.success());
    let leftovers: Vec<String> = fs::read_dir(&root)
        .expect("root")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rally-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!(
        "killed 50 builds: {saw_a} left the old site, {saw_b} had already swapped in the new one"
    );
}

/// Every file of the site folder outside public/, for checking a refused build left the
/// sources alone.
fn sources(t: &Test) -> Vec<(String, Vec<u8>)> {
    snapshot(t.root())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public"))
        .collect()
}

/// Like [`fails_after`], also checking that the sources are unchanged and that rally took
/// less than `limit` (debug builds are slow; the limits are generous).
fn refused_within(limit: Duration, change: impl FnOnce(Test) -> Test, expected: &[&str]) {
    let good = Test::new().simple_story("ok", "2020-01-01").run().success();
    let before = snapshot(&good.test.path("public"));
    let t = change(good.then()).ready();
    let files = sources(&t);
    let started = Instant::now();
    let failed = t.run().failure(1).stderr_has(expected);
    let took = started.elapsed();
    assert!(took < limit, "took {took:?}");
    assert_eq!(
        before,
        snapshot(&failed.test.path("public")),
        "public/ changed"
    );
    assert_eq!(files, sources(&failed.test), "sources changed");
}

const PARTNER: &str = "name: P\ntype: ngo\nregion: global";

/// The HTML parser under the partner sanitiser takes time proportional to the nesting depth
/// for every element: 50,000 nested quotes took 12 s and 100,000 took 53 s (release build).
/// Text nested that deep is refused at once, with its place.
#[test]
fn a_hundred_thousand_nested_quotes_in_a_partner_are_refused_quickly() {
    refused_within(
        Duration::from_secs(10),
        |t| {
            t.partner(
                "p",
                PARTNER,
                &format!("Intro.\n\n{}deep\n", "> ".repeat(100_000)),
            )
        },
        &[
            "error: this text is nested more than 256 levels deep",
            "content/partners/p.md:8:513",
            "remove the extra levels",
        ],
    );
}

#[test]
fn deep_raw_html_in_a_partner_is_refused_quickly() {
    for (body, at) in [
        ("<div>".repeat(100_000), "content/partners/p.md:6:1281"),
        // End tags that close nothing do not make it shallower.
        ("<div></span>".repeat(100_000), "content/partners/p.md:6:"),
        (
            "<span><div></span>".repeat(100_000),
            "content/partners/p.md:6:",
        ),
        // Nor does `/>`, which HTML ignores on a div.
        ("<div/>".repeat(100_000), "content/partners/p.md:6:"),
    ] {
        refused_within(
            Duration::from_secs(10),
            |t| t.partner("p", PARTNER, &format!("{body}\n")),
            &["this text is nested more than 256 levels deep", at],
        );
    }
}

#[test]
fn deep_text_inside_a_partner_embed_is_refused() {
    refused_within(
        Duration::from_secs(10),
        |t| {
            t.partner(
                "p",
                PARTNER,
                &format!(
                    "Intro.\n\n{{{{< quote by=\"A\" >}}}}\n{}deep\n{{{{< /quote >}}}}\n",
                    "> ".repeat(100_000)
                ),
            )
        },
        &[
            "the text of this `quote` is nested more than 256 levels deep",
            "content/partners/p.md:8:1",
        ],
    );
}

#[test]
fn deep_but_real_partner_text_builds() {
    // Far deeper than any real text, still under the limit.
    let lists: String = (0..60)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    Test::new()
        .partner(
            "p",
            PARTNER,
            &format!(
                "{lists}\n{}deep quote\n\n{}<b>deep</b> HTML{}\n",
                "> ".repeat(100),
                "<div>".repeat(100),
                "</div>".repeat(100)
            ),
        )
        .run()
        .success()
        .page("partners/p/", "level 59")
        .page("partners/p/", "deep quote")
        .page("partners/p/", "<b>deep</b> HTML");
}

/// Each embed's marker used to be replaced in the whole page built so far: 20,000 partner
/// embeds in one story took 23 s (release build).
#[test]
fn twenty_thousand_partner_embeds_in_one_story_build_quickly() {
    let body: String = (0..20_000)
        .map(|i| format!("{{{{< partner p{} >}}}}\n\n", i % 2))
        .collect();
    let t = Test::new()
        .partner("p0", "name: Zero\ntype: ngo\nregion: global", "")
        .partner("p1", "name: One\ntype: ngo\nregion: global", "")
        .story("s", "title: S\ndate: 2020-01-01\nsummary: s", &body)
        .ready();
    let started = Instant::now();
    let out = t.run().success();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let page = out.output("stories/s/");
    assert_eq!(page.matches("<partner-embed").count(), 20_000);
    assert!(!page.contains("rally:embed"));
    // In order, each where it was written.
    let names: Vec<&str> = page
        .split("<partner-embed href=\"/partners/")
        .skip(1)
        .map(|s| &s[..2])
        .collect();
    assert!(
        names
            .iter()
            .enumerate()
            .all(|(i, n)| *n == ["p0", "p1"][i % 2])
    );
}

/// 20,000 mistakes in one 800 KB file are reported in seconds: each snippet is cut from the
/// lines around its mistake, not from the whole file (before: 36 s in a release build).
#[test]
fn twenty_thousand_errors_in_one_file_are_reported_quickly() {
    let body = "Some text here.\n\n{{< quote by=\"a\" >}}\n\n".repeat(20_000);
    let started = Instant::now();
    let out = fails_after(
        |t| t.story("many", "title: Many\ndate: 2020-01-01\nsummary: s", &body),
        &[
            "content/stories/many.md:8:1",
            "content/stories/many.md:79996:1",
        ],
    );
    assert!(
        out.contains("found 20000 errors"),
        "{}",
        &out[out.len() - 300..]
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
}
