//! The browser editor's save path on the real campaign content: a change to one field
//! changes that field's lines and no other byte, in every bundled content file.

use rally::edit::{Change, apply, open};
use serde_json::{Value, json};

/// Every Markdown file of the bundled site's `content/`, by path from the site root.
fn bundled_markdown() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A different value of the same shape, as a form would send after an edit.
fn changed(v: &Value) -> Option<Value> {
    Some(match v {
        Value::String(s) => json!(format!("{s} (edited: \"quoted\", colon: yes)")),
        Value::Number(n) => json!(n.as_i64().map_or(1, |n| n + 1)),
        Value::Bool(b) => json!(!b),
        Value::Array(items) if items.iter().all(|i| i.is_string()) => {
            let mut items = items.clone();
            items.push(json!("added-item"));
            Value::Array(items)
        }
        Value::Object(map) if map.values().all(|v| v.is_string()) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        json!(format!("{} (edited)", v.as_str().unwrap_or(""))),
                    )
                })
                .collect(),
        ),
        _ => return None,
    })
}

#[test]
fn changing_one_field_changes_only_its_lines_in_every_bundled_file() {
    let files = bundled_markdown();
    assert!(files.len() > 20, "the bundled site has its content");
    let mut checked = 0;
    for (path, text) in &files {
        let before = open(path, text).unwrap_or_else(|p| panic!("{path}: {p:?}"));
        for field in &before.fields {
            let Some(new) = changed(&field.value) else {
                continue;
            };
            let set = Change::Set {
                key: field.key.clone(),
                value: new.clone(),
            };
            let out = apply(path, text, &[set]).unwrap_or_else(|p| panic!("{path}: {p:?}"));
            // Every byte before the key's line and after its block is the same.
            let old_lines: Vec<&str> = text.split_inclusive('\n').collect();
            let new_lines: Vec<&str> = out.split_inclusive('\n').collect();
            let same_start = old_lines
                .iter()
                .zip(&new_lines)
                .take_while(|(a, b)| a == b)
                .count();
            let same_end = old_lines
                .iter()
                .rev()
                .zip(new_lines.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            // The field's block: its key's line and the indented lines below it.
            let key_line = format!("{}:", field.key);
            let first = old_lines
                .iter()
                .position(|l| l.starts_with(&key_line))
                .unwrap_or_else(|| panic!("{path}: no line for `{}`", field.key));
            let block_end = first
                + 1
                + old_lines[first + 1..]
                    .iter()
                    .take_while(|l| l.starts_with([' ', '\t', '-']) || l.trim().is_empty())
                    .count();
            let changed_end = old_lines.len() - same_end.min(old_lines.len() - same_start);
            assert!(
                same_start >= first && changed_end <= block_end,
                "{path}: changing `{}` changed lines {same_start}..{changed_end}, outside its block {first}..{block_end}",
                field.key
            );
            // Read back: that field has the new value, every other field and the body are as
            // they were.
            let after = open(path, &out).unwrap();
            assert_eq!(after.body, before.body, "{path}");
            assert_eq!(after.fields.len(), before.fields.len(), "{path}");
            for (a, b) in after.fields.iter().zip(&before.fields) {
                assert_eq!(a.key, b.key, "{path}");
                if a.key == field.key {
                    assert_eq!(a.value, new, "{path}: {}", a.key);
                } else {
                    assert_eq!(a.value, b.value, "{path}: {}", a.key);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} fields checked");
}

#[test]
fn changing_one_field_of_a_partner_row_changes_only_its_lines() {
    use rally::edit::rows::{RowChange, apply as apply_rows, rows};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("content/partners.yaml")).unwrap();
    let table = rows(&text).unwrap();
    assert!(table.len() > 10);
    let mut checked = 0;
    for (i, row) in table.iter().enumerate() {
        for (key, value) in &row.values {
            let Some(new) = changed(value) else { continue };
            let out = apply_rows(
                &text,
                &[RowChange::Set {
                    row: i,
                    key: key.clone(),
                    value: new.clone(),
                }],
            )
            .unwrap_or_else(|p| panic!("row {i} {key}: {p:?}"));
            let old: Vec<&str> = text.split_inclusive('\n').collect();
            let new_lines: Vec<&str> = out.split_inclusive('\n').collect();
            let start = old
                .iter()
                .zip(&new_lines)
                .take_while(|(a, b)| a == b)
                .count();
            let end = old
                .iter()
                .rev()
                .zip(new_lines.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            // Only the key's own line(s) differ.
            let differing = &old[start..old.len() - end.min(old.len() - start)];
            assert!(
                differing.first().is_some_and(|l| {
                    let l = l.trim_start().trim_start_matches("- ");
                    l.starts_with(&format!("{key}:"))
                }) || differing.iter().all(|l| l.starts_with("    ")),
                "row {i} `{key}`: changed {differing:?}"
            );
            let after = rows(&out).unwrap();
            assert_eq!(after.len(), table.len());
            for (j, (a, b)) in after.iter().zip(&table).enumerate() {
                for (k, v) in &b.values {
                    let want = if j == i && k == key { &new } else { v };
                    assert_eq!(
                        &a.values[k], want,
                        "row {j} `{k}` after changing row {i} `{key}`"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} fields checked");
}
