//! `rally check`: everything a build would check, pages rendered and dropped, then the
//! linter's advice and, with `--external`, the links to other sites.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::WriteColor;

use super::*;

/// Pages of `rally check`: rendered (so template errors are found), then dropped.
struct Discard;

impl crate::render::PageSink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn check(
    root: &Path,
    drafts: bool,
    external: bool,
    format: Format,
    err: &mut dyn WriteColor,
) -> ExitCode {
    let Built {
        sources,
        out,
        mut diags,
        files,
        left_out,
    } = load_and_build(root, None, drafts, Some(&Discard));
    if let Some(sources) = &sources {
        diags.extend(crate::lint::lint(sources));
        diags.extend(crate::lint::unpublished(sources));
        if external {
            diags.extend(check_external(sources, err, format));
        }
    }
    diags.sort();
    let failed = out.is_none() || diags.has_errors();
    if format == Format::Json {
        let list: Vec<serde_json::Value> = diags.iter().map(Diagnostic::to_json).collect();
        let summary = serde_json::json!({
            "files": files,
            "errors": diags.error_count(),
            "warnings": diags.warning_count(),
            "problems": list,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        report(err, &diags);
        let skipped = left_out.sentence().map_or(String::new(), |s| {
            format!(
                "; {} (`--drafts` checks them too)",
                s.replace("published", "checked")
            )
        });
        let _ = writeln!(
            err,
            "checked {files} content files: {}{skipped}",
            diags.summary()
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks external links, reusing answers younger than a day from the cache.
fn check_external(
    sources: &load::Sources,
    err: &mut dyn WriteColor,
    format: Format,
) -> Vec<Diagnostic> {
    use crate::lint::LinkStatus;
    let links = crate::lint::external_links(sources);
    let cache_file = cache_dir().map(|d| d.join("external-links.json"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache: std::collections::BTreeMap<String, (u64, LinkStatus)> = cache_file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let fresh = |url: &str, cache: &std::collections::BTreeMap<String, (u64, LinkStatus)>| {
        cache
            .get(url)
            .filter(|(t, s)| *s == LinkStatus::Ok && now.saturating_sub(*t) < 24 * 3600)
            .is_some()
    };
    let todo: Vec<String> = links
        .iter()
        .map(|l| l.url.clone())
        .filter(|u| !fresh(u, &cache))
        .collect();
    if format == Format::Human {
        let _ = writeln!(
            err,
            "checking {} external links ({} known good from the last day)...",
            todo.len(),
            links.len() - todo.len()
        );
    }
    let results = crate::lint::check_links(&todo, 8, std::time::Duration::from_secs(10));
    for (url, status) in todo.iter().zip(results) {
        cache.insert(url.clone(), (now, status));
    }
    if let Some(f) = &cache_file
        && let Some(dir) = f.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(text) = serde_json::to_string(&cache)
    {
        let _ = std::fs::write(f, text);
    }
    let mut out = Vec::new();
    for link in &links {
        let Some((_, status)) = cache.get(&link.url) else {
            continue;
        };
        let (message, help) = match status {
            LinkStatus::Ok => continue,
            LinkStatus::Broken(code) => (
                format!("the link to {} answers {code}", link.url),
                if *code == 404 || *code == 410 {
                    "the page is gone: find its new address or link to an archived copy".to_string()
                } else {
                    "the site answered with an error; check the address in a browser".to_string()
                },
            ),
            LinkStatus::Unreachable(why) => (
                format!("could not reach {} ({why})", link.url),
                "this may be a passing network problem: check the address in a browser before changing it".to_string(),
            ),
        };
        for (file, text, span) in &link.places {
            out.push(
                Diagnostic::warning(message.clone())
                    .at(file, text, span.clone())
                    .help(help.clone()),
            );
        }
    }
    out
}

/// Where rally keeps its cache: `$RALLY_CACHE_DIR`, else the user's cache folder.
fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("RALLY_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("rally"))
}
