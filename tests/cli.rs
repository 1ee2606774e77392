//! The command line: subcommands, exit codes, scaffolding and output-folder safety.

use std::fs;

use crate::support::{Test, snapshot};

#[test]
fn check_writes_nothing() {
    Test::new()
        .simple_story("a", "2020-01-01")
        .args(&["check"])
        .run()
        .success()
        .stderr_has(&["checked 1 content files: 1 warning (the site builds)"])
        .missing("");
}

#[test]
fn check_fails_on_errors() {
    Test::new()
        .story("a", "title: T\ndate: 2020-01-01", "")
        .args(&["check"])
        .run()
        .failure(1)
        .stderr_has(&["missing required key `summary`", "found 1 error"]);
}

#[test]
fn usage_errors_exit_with_2() {
    Test::new()
        .args(&["bulid"])
        .run()
        .failure(2)
        .stderr_has(&["unrecognized subcommand"]);
    Test::new().args(&["new", "poem", "x"]).run().failure(2);
}

#[test]
fn help_lists_every_command() {
    let out = Test::new().args(&["--help"]).run().success();
    for cmd in ["build", "check", "serve", "new", "init", "completions"] {
        assert!(out.stdout.contains(cmd), "{}", out.stdout);
    }
    let out = Test::new().args(&["build", "--help"]).run().success();
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(out.stdout.contains(flag), "{}", out.stdout);
    }
}

#[test]
fn missing_site_yaml_explains_what_to_do() {
    Test::new()
        .remove("site.yaml")
        .run()
        .failure(1)
        .stderr_has(&["no site.yaml in", "rally init DIR"]);
}

#[test]
fn new_story_has_every_field_and_builds_as_draft() {
    let t = Test::new()
        .args(&["new", "story", "Geneva: the launch"])
        .run()
        .success();
    // The writer is told the story is a draft, and how to publish it.
    assert_eq!(
        t.stdout,
        "created content/stories/geneva-the-launch.md\n\
         It is a draft: it stays out of the published site until you change `draft: true` to \
         `draft: false` in it. `rally serve` shows drafts, so you can preview it there.\n"
    );
    let text = t.test.read("content/stories/geneva-the-launch.md");
    for key in [
        "title: \"Geneva: the launch\"",
        "date: ",
        "summary:",
        "tags:",
        "resolutions:",
        "partners:",
        "draft: true",
    ] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    // A draft is left out of a normal build but builds with --drafts.
    t.then()
        .args(&["build", "--drafts"])
        .run()
        .success()
        .exists("stories/geneva-the-launch/");
}

#[test]
fn new_refuses_to_overwrite() {
    let t = Test::new().simple_story("a-title", "2020-01-01");
    let before = t.read("content/stories/a-title.md");
    let t = t
        .args(&["new", "story", "A title"])
        .run()
        .failure(1)
        .stderr_has(&["already exists", "never overwrites"]);
    assert_eq!(t.test.read("content/stories/a-title.md"), before);
}

#[test]
fn new_entries_of_every_kind_build() {
    let mut t = Test::new();
    for (kind, title, file) in [
        (
            "resolution",
            "New York Declaration",
            "resolutions/new-york-declaration",
        ),
        ("partner", "Save the Children", "partners/save-the-children"),
        ("page", "Take action", "take-action"),
    ] {
        // Not drafts: nothing more to say than where the file is.
        let out = t.args(&["new", kind, title]).run().success();
        assert_eq!(out.stdout, format!("created content/{file}.md\n"));
        t = out.then();
    }
    t.run()
        .success()
        .exists("resolutions/new-york-declaration/")
        .exists("partners/save-the-children/")
        .exists("take-action/");
}

#[test]
fn init_creates_a_buildable_site() {
    let t = Test::new().args(&["init", "fresh"]).run().success();
    let root = t.test.path("fresh");
    assert!(root.join("site.yaml").exists());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rally"))
        .args(["build", "--root"])
        .arg(&root)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let story = fs::read_to_string(root.join("public/stories/welcome/index.html")).expect("story");
    assert!(story.contains("/resolutions/example-resolution/"));
    // Never into a folder with files.
    t.then()
        .args(&["init", "fresh"])
        .run()
        .failure(1)
        .stderr_has(&["exists and is not empty"]);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let t = Test::new()
        .simple_story("a", "2020-01-01")
        .args(&["build", "--output", "content"])
        .run()
        .failure(1)
        .stderr_has(&["refusing to write the site into", "sources"]);
    assert!(t.test.path("content/stories/a.md").exists());
    let t = t
        .then()
        .file("mine/notes.txt", "precious")
        .args(&["build", "--output", "mine"])
        .run()
        .failure(1)
        .stderr_has(&["not empty and was not made by rally"]);
    assert_eq!(t.test.read("mine/notes.txt"), "precious");
}

#[test]
fn output_elsewhere_and_rebuilt_in_place() {
    let t = Test::new()
        .simple_story("a", "2020-01-01")
        .args(&["build", "--output", "dist/site"])
        .run()
        .success();
    let first = snapshot(&t.test.path("dist/site"));
    assert!(first.iter().any(|(p, _)| p.ends_with("index.html")));
    let t = t
        .then()
        .args(&["build", "--output", "dist/site"])
        .run()
        .success();
    assert_eq!(first, snapshot(&t.test.path("dist/site")));
    let leftovers: Vec<_> = fs::read_dir(t.test.path("dist")).expect("dist").collect();
    assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
}

#[test]
fn unwritable_output_keeps_the_old_site() {
    let t = Test::new()
        .simple_story("a", "2020-01-01")
        .file("blocker", "a file where a folder should be")
        .args(&["build", "--output", "blocker/public"])
        .run()
        .failure(1)
        .stderr_has(&["could not write the site"]);
    assert_eq!(t.test.read("blocker"), "a file where a folder should be");
}

/// A good build says one thing: what it built. Anything else on stderr is noise a writer
/// would take for a problem.
#[test]
fn a_clean_build_prints_one_summary_line() {
    let out = Test::new()
        .simple_story("a", "2020-01-01")
        .simple_story("b", "2020-02-01")
        .run()
        .success();
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr:\n{}", out.stderr);
    assert!(lines[0].starts_with("built "), "stderr:\n{}", out.stderr);
}

/// Every option used daily has a one-letter form, and none clashes with `-h` or `-V`.
#[test]
fn short_flags() {
    let t = Test::new()
        .story(
            "d",
            "title: D\ndate: 2020-01-01\nsummary: s\ndraft: true",
            "",
        )
        .args(&[
            "build",
            "-D",
            "-r",
            ".",
            "-o",
            "out",
            "-b",
            "https://example.org/campaign",
        ])
        .run()
        .success();
    let page = fs::read_to_string(t.test.path("out/stories/d/index.html")).expect("the draft");
    assert!(page.contains("<h1>D</h1>"), "{page}");
    assert!(page.contains("href=\"/campaign/stories/\""), "{page}");
    t.then().args(&["check", "-D", "-r", "."]).run().success();
    let help = Test::new()
        .args(&["serve", "--help"])
        .run()
        .success()
        .stdout;
    for flag in ["-r, --root", "-p, --port", "-O, --open"] {
        assert!(help.contains(flag), "{flag} missing:\n{help}");
    }
}

/// serve shows drafts unless told `--no-drafts`: one switch in the help; `--drafts`, the
/// habit from build, is accepted and changes nothing, and both together are a contradiction.
#[test]
fn serve_has_one_drafts_switch() {
    let help = Test::new()
        .args(&["serve", "--help"])
        .run()
        .success()
        .stdout;
    assert!(help.contains("--no-drafts"), "{help}");
    assert!(!help.contains("--drafts"), "{help}");
    let out = Test::new()
        .args(&["serve", "--drafts", "--no-drafts"])
        .run()
        .failure(2);
    assert_eq!(
        out.stderr,
        "error: `--drafts` and `--no-drafts` contradict each other: serve shows drafts unless \
         you give `--no-drafts`, so give only that one to hide them\n\n\
         Usage: rally serve [OPTIONS]\n\n\
         For more information, try '--help'.\n"
    );
}

/// Run in a folder of the site, rally works on the site (the nearest folder above with
/// site.yaml), says so, and prints paths that work from where the writer is.
#[test]
fn commands_find_the_site_from_a_subfolder() {
    let t = Test::new()
        .simple_story("a", "2020-01-01")
        .in_folder("content/stories")
        .args(&["new", "page", "Take action"])
        .run()
        .success();
    let root = t.test.root().canonicalize().expect("real path");
    let using = format!("using the site in {}\n", root.display());
    assert_eq!(t.stderr, using);
    assert_eq!(t.stdout, "created ../take-action.md\n");
    assert!(t.test.path("content/take-action.md").exists());
    assert!(!t.test.path("content/stories/content").exists());
    let in_content =
        |t: crate::support::Outcome, args: &[&str]| t.then().in_folder("content").args(args).run();
    // build writes into the site's public/, named from where rally runs.
    let t = in_content(t, &["build"])
        .success()
        .stderr_has(&[&using, "into ../public\n"])
        .exists("take-action/");
    assert!(!t.test.path("content/public").exists());
    let t = in_content(t, &["check"])
        .success()
        .stderr_has(&[&using, "checked 2 content files"]);
    // --output is inside the site folder wherever rally runs, and still never a source.
    in_content(t, &["build", "--output", "content"])
        .failure(1)
        .stderr_has(&[&using, "refusing to write the site into ../content"]);
}

/// Outside any site, `rally new` refuses instead of starting a stray content/ folder.
#[test]
fn new_outside_a_site_refuses() {
    let t = Test::new()
        .remove("site.yaml")
        .args(&["new", "story", "X"])
        .run()
        .failure(1);
    let cwd = t.test.root().canonicalize().expect("real path");
    assert_eq!(
        t.stderr,
        format!(
            "error: no site.yaml in {} or any folder above it\n \
             = help: run rally inside a site folder (one with site.yaml and content/) or one of \
             its folders, pass --root DIR, or create a new site with `rally init DIR`\n\n\
             error: found 1 error\n",
            cwd.display()
        )
    );
    assert!(!t.test.path("content").exists());
}

/// `rally new partner "Save the Children"` in a site whose partner list `list` has a row for
/// it: refused, with the whole message pointing at `at` (file:line:col) with its snippet
/// (`line`, then `marks`), and nothing written.
fn new_partner_is_refused(list: &str, text: &str, at: &str, line: &str, marks: &str) -> Test {
    let t = Test::new()
        .file(list, text)
        .args(&["new", "partner", "Save the Children"])
        .run()
        .failure(1);
    let n = line.split_once(' ').map_or("", |(n, _)| n);
    let pad = " ".repeat(n.len());
    assert_eq!(
        t.stderr,
        format!(
            "error: a partner with id `save-the-children` already exists\n\
             {pad} ┌─ {at}\n\
             {pad} │\n\
             {line}\n\
             {pad} │ {marks}\n\
             {pad} │\n\
             {pad} = help: the partner is already listed here: edit this row to change it, or, \
             for a different organisation, choose another name (the id is made from the name)\n\n\
             error: found 1 error\n"
        )
    );
    assert!(!t.test.path("content/partners").exists());
    t.then()
}

/// The README's own example: a partner already listed as a row of partners.yaml. A second
/// entry with its id would break the next build, so `rally new` refuses and names the row.
#[test]
fn new_refuses_an_id_listed_in_partners_yaml() {
    new_partner_is_refused(
        "content/partners.yaml",
        "# Partners that joined at the launch\n\
         - id: unicef\n  name: UNICEF\n  type: un-agency\n  region: global\n\n\
         - id: save-the-children\n  name: Save the Children\n  type: ngo\n  region: global\n",
        "content/partners.yaml:7:7",
        "7 │ - id: save-the-children",
        "      ^^^^^^^^^^^^^^^^^",
    )
    .run()
    .success();
}

#[test]
fn new_refuses_an_id_listed_in_partners_csv() {
    new_partner_is_refused(
        "content/partners.csv",
        "id,name,type,region\n\
         unicef,UNICEF,un-agency,global\n\
         save-the-children,\"Save the Children\",ngo,global\n",
        "content/partners.csv:3:1",
        "3 │ save-the-children,\"Save the Children\",ngo,global",
        "^^^^^^^^^^^^^^^^^",
    );
}

/// A bundle folder (`stories/x/index.md`) has the id too: a second `x.md` would collide.
#[test]
fn new_refuses_an_id_taken_by_a_bundle() {
    let t = Test::new()
        .file(
            "content/stories/geneva/index.md",
            "---\ntitle: Geneva\ndate: 2020-01-01\nsummary: s\n---\n",
        )
        .args(&["new", "story", "Geneva"])
        .run()
        .failure(1);
    assert_eq!(
        t.stderr,
        "error: a story with id `geneva` already exists\n  \
         --> content/stories/geneva/index.md\n \
         = help: rally never overwrites a file: edit content/stories/geneva/index.md, or choose \
         another title (the file name is made from it)\n\n\
         error: found 1 error\n"
    );
    assert!(!t.test.path("content/stories/geneva.md").exists());
}

/// Into a folder with files, init refuses and says how to go on; with --force it adds the
/// missing files and keeps every existing one byte for byte, listing them.
#[test]
fn init_force_adds_the_skeleton_and_keeps_every_existing_file() {
    let t = Test::new()
        .file("mine/site.yaml", "title: \"Our own\"\n")
        .file(
            "mine/content/about.md",
            "---\ntitle: Ours\n---\nOur words.\n",
        )
        .file("mine/notes.txt", "precious")
        .args(&["init", "mine"])
        .run()
        .failure(1);
    assert_eq!(
        t.stderr,
        "error: mine exists and is not empty\n \
         = help: rally init creates a new site in an empty or new folder, so that nothing is \
         overwritten. To add the missing files of a site to this folder, keeping every file \
         already there as it is, run `rally init --force mine`\n\n\
         error: found 1 error\n"
    );
    let before = snapshot(&t.test.path("mine"));
    let t = t.then().args(&["init", "--force", "mine"]).run().success();
    assert_eq!(
        t.stdout,
        "kept (already there): mine/site.yaml\n\
         created mine/content/stories/welcome.md\n\
         created mine/content/resolutions/example-resolution.md\n\
         created mine/content/partners/example-partner.md\n\
         kept (already there): mine/content/about.md\n\
         created mine/.gitignore\n\
         \n\
         next: cd mine && rally build\n"
    );
    let after = snapshot(&t.test.path("mine"));
    for file in &before {
        assert!(after.contains(file), "{} changed", file.0);
    }
    assert_eq!(after.len(), before.len() + 4);
}

/// `rally completions SHELL` prints a script that completes every command.
#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Test::new().args(&["completions", shell]).run().success();
        for cmd in ["build", "check", "serve", "new", "init", "completions"] {
            assert!(out.stdout.contains(cmd), "{shell}: {cmd} missing");
        }
        assert!(out.stdout.contains("no-drafts"), "{shell}");
        assert_eq!(out.stderr, "");
    }
    let bash = Test::new().args(&["completions", "bash"]).run().success();
    let script = bash.test.path("rally.bash");
    fs::write(&script, &bash.stdout).expect("write");
    // The script is valid bash (checked, not run), where bash is installed.
    if let Ok(out) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Test::new()
        .args(&["completions", "tcsh"])
        .run()
        .failure(2)
        .stderr_has(&[
            "invalid value 'tcsh'",
            "possible values: bash, elvish, fish",
        ]);
}

/// A row that does not build yet (a typo in its type) still holds its id.
#[test]
fn new_refuses_an_id_of_a_row_that_fails() {
    new_partner_is_refused(
        "content/partners.yaml",
        "- id: save-the-children\n  name: Save the Children\n  type: charity\n  region: global\n",
        "content/partners.yaml:1:7",
        "1 │ - id: save-the-children",
        "      ^^^^^^^^^^^^^^^^^",
    );
}
