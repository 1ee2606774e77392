//! Every input the fuzzers ever crashed on (fuzz/regressions/<target>/) and every corpus
//! seed (fuzz/corpus/<target>/seed-*) runs through the same entry point as the fuzz target.
//! The fuzz runs themselves are not part of the suite (see docs/fuzzing.md).

use std::path::Path;

fn run(target: &str, f: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in [
        root.join("regressions").join(target),
        root.join("corpus").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if dir.ends_with(target)
                && dir.parent().is_some_and(|d| d.ends_with("corpus"))
                && !name.starts_with("seed-")
            {
                continue;
            }
            let data = std::fs::read(&p).expect("read input");
            f(&data);
            n += 1;
        }
    }
    n
}

#[test]
fn frontmatter_inputs() {
    assert!(run("frontmatter", rally::fuzzing::frontmatter) > 10);
}

#[test]
fn markdown_inputs() {
    assert!(run("markdown", rally::fuzzing::markdown) > 5);
}

#[test]
fn site_inputs() {
    assert!(run("site", rally::fuzzing::site) >= 2);
}
