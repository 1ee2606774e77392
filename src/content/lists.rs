//! Partner list files (`content/partners.yaml`, `content/partners.csv`): many partners in
//! one file, read row by row so that one bad row costs only itself, and the rows that fail
//! still named, for references to them to say why they are missing.

use std::ops::Range;
use std::sync::Arc;

use super::{Collection, Doc, Parsed, Partner, Unreadable, check, check_id, csv_rows};
use crate::diagnostics::Diagnostic;
use crate::frontmatter;
use crate::source::SourceText;

/// Where the partner `id` is in a list file (`partners.yaml`, `partners.csv`): the span of
/// its id in its row, for `rally new` to point at; rows that fail to parse count too.
pub fn find_list_row(file: &SourceText, id: &str) -> Option<Range<usize>> {
    let list = read_list(file);
    let row = list.rows.iter().find(|r| r.id.as_deref() == Some(id))?;
    let text = &file.text[row.span.clone()];
    let at = text.find(id).map_or(row.span.start, |i| row.span.start + i);
    Some(at..at + id.len())
}

/// The rows of a partner list file, a spreadsheet or YAML.
pub(super) fn read_list(file: &SourceText) -> frontmatter::Rows<Partner> {
    if file.path.ends_with(".csv") {
        csv_rows::parse(&file.path, &file.text)
    } else {
        frontmatter::parse_rows::<Partner>(&file.path, &file.text)
    }
}

pub(super) fn parse_partner_list(
    file: &SourceText,
) -> (Vec<Parsed>, Vec<Diagnostic>, Vec<Unreadable>) {
    let list = read_list(file);
    let unreadable = |id: &str, at: String| Unreadable {
        collection: Collection::Partners,
        id: id.to_string(),
        bundle: None,
        at,
    };
    if let Some(whole) = list.whole {
        let at = whole.place();
        let gone = list.rows.iter().filter_map(|r| r.id.as_deref());
        let gone = gone.map(|id| unreadable(id, at.clone())).collect();
        return (vec![], vec![whole], gone);
    }
    let mut out = Vec::new();
    let mut errs = Vec::new();
    let mut gone = Vec::new();
    for (n, row) in list.rows.into_iter().enumerate() {
        let span = row.span;
        let partner = match row.result {
            Ok(p) => p,
            Err(d) => {
                if let Some(id) = &row.id {
                    gone.push(unreadable(id, d.place()));
                }
                errs.push(d);
                continue;
            }
        };
        let Some(id) = partner.id.clone() else {
            let number = if file.path.ends_with(".csv") {
                crate::diagnostics::line_col(&file.text, span.start).0
            } else {
                n + 1
            };
            errs.push(
                Diagnostic::error(format!("row {number} of {} has no `id`", file.path))
                    .at(&file.path, &file.text, span.start..span.start + 1)
                    .help(format!(
                        "add `id: {}`: rows of a list file need an id for their address \
                         (lowercase letters, digits and hyphens)",
                        slug::slugify(partner.acronym.as_deref().unwrap_or(&partner.name))
                    )),
            );
            continue;
        };
        let doc = Doc {
            id: id.clone(),
            file: file.clone(),
            meta_span: span.clone(),
            body: span.end..span.end,
            bundle: None,
            meta: partner,
            shape: Default::default(),
            translation: None,
        };
        if let Err(suggestion) = check_id(&id) {
            let d = doc
                .error_at("id", &id, format!("`{id}` cannot be used in a web address"))
                .help(format!(
                    "use only lowercase letters, digits and hyphens, e.g. `{suggestion}`"
                ));
            gone.push(unreadable(&id, d.place()));
            errs.push(d);
            continue;
        }
        let p = Parsed::Partner(Arc::new(doc));
        errs.extend(check(&p));
        if !file.path.ends_with(".csv") {
            let draft = matches!(&p, Parsed::Partner(d) if d.meta.draft);
            errs.extend(frontmatter::silent_losses(
                &file.path, &file.text, span, draft,
            ));
        }
        out.push(p);
    }
    (out, errs, gone)
}
