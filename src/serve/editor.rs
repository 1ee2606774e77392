//! The content editor of `rally serve`, under `/__rally/edit/`: its page and scripts (served
//! from the binary) and a small JSON API over [`crate::edit`] (list, open, save).
//!
//! Who may use it: the server answers this machine only ([`super::access`], Host and Origin
//! checked on every request). Each API call must also carry this server's token in the
//! `X-Rally-Editor` header; the token is in the editor's page, which another website cannot
//! read. A save must besides come with an `Origin` of this server and a JSON body, so a form
//! or script on another website, open in the same browser, can neither read nor write.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::http::Shared;
use crate::edit::save::{SaveError, save};
use crate::edit::{self, Change, paths};

/// Where the editor lives: under the prefix the live-reload stream uses, which no site
/// page can have (rally never writes names that start with `_` there).
pub const PREFIX: &str = "/__rally/edit/";

/// The header each API call carries, with the server's token.
pub const TOKEN_HEADER: &str = "x-rally-editor";

const PAGE: &str = include_str!("editor/index.html");
const SCRIPT: &str = include_str!("editor/editor.js");
const FIELDS: &str = include_str!("editor/fields.js");
const TOOLBAR: &str = include_str!("editor/toolbar.js");
const TABLE: &str = include_str!("editor/table.js");
const STYLE: &str = include_str!("editor/editor.css");

/// A new random token for this server's editor: 128 bits, as hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: a token from the clock and the process, still unguessable
        // enough for a machine-local server, and never empty.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = (t ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Answers a request under [`PREFIX`] (`rest` is the path after it).
pub async fn handle(
    shared: &Arc<Shared>,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let rest = uri.path().strip_prefix(PREFIX).unwrap_or("");
    let get = method == Method::GET || method == Method::HEAD;
    match (rest, get) {
        ("", true) => page(shared),
        ("editor.js", true) => asset(SCRIPT, "text/javascript; charset=utf-8"),
        ("fields.js", true) => asset(FIELDS, "text/javascript; charset=utf-8"),
        ("toolbar.js", true) => asset(TOOLBAR, "text/javascript; charset=utf-8"),
        ("table.js", true) => asset(TABLE, "text/javascript; charset=utf-8"),
        ("editor.css", true) => asset(STYLE, "text/css; charset=utf-8"),
        (api, _) if api.starts_with("api/") => {
            if let Err(r) = token_ok(shared, headers) {
                return r;
            }
            match (api, method) {
                ("api/files", Method::GET) => files(shared).await,
                ("api/file", Method::GET) => open(shared, uri).await,
                ("api/source", Method::GET) => source(shared, uri),
                ("api/schema", Method::GET) => schema(shared, uri).await,
                ("api/save", Method::POST) => match write_ok(headers) {
                    Ok(()) => save_request(shared, body).await,
                    Err(r) => r,
                },
                ("api/upload", Method::POST) => match upload_ok(headers) {
                    Ok(()) => upload_request(shared, uri, body).await,
                    Err(r) => r,
                },
                ("api/new", Method::POST) => match write_ok(headers) {
                    Ok(()) => new_request(shared, body).await,
                    Err(r) => r,
                },
                ("api/check", Method::POST) => match write_ok(headers) {
                    Ok(()) => check_request(shared, body).await,
                    Err(r) => r,
                },
                ("api/save", _) => refuse(StatusCode::METHOD_NOT_ALLOWED, "a save is a POST"),
                _ => refuse(StatusCode::NOT_FOUND, "no such editor call"),
            }
        }
        (_, false) => refuse(StatusCode::METHOD_NOT_ALLOWED, "only GET here"),
        _ => refuse(StatusCode::NOT_FOUND, "no such editor file"),
    }
}

fn page(shared: &Shared) -> Response {
    let html = PAGE.replace("{{token}}", &shared.editor_token);
    let mut r = (StatusCode::OK, html).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    no_store(h);
    // Its own scripts and styles only, never inside another site's frame.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'",
        ),
    );
    r
}

fn asset(text: &'static str, kind: &'static str) -> Response {
    let mut r = (StatusCode::OK, text).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    no_store(h);
    r
}

fn no_store(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn json_response(status: StatusCode, value: serde_json::Value) -> Response {
    let mut r = (status, value.to_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    no_store(h);
    r
}

fn refuse(status: StatusCode, why: &str) -> Response {
    json_response(status, json!({ "error": why }))
}

/// The call carries this server's token.
fn token_ok(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let given = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
    match given {
        Some(t) if same(t.as_bytes(), shared.editor_token.as_bytes()) => Ok(()),
        _ => Err(refuse(
            StatusCode::FORBIDDEN,
            "the editor's calls need its token: open the editor from rally serve's address",
        )),
    }
}

/// A save names its origin (checked against this server by [`super::access`] before any
/// handler runs) and is JSON, which a plain HTML form on another site cannot send.
fn write_ok(headers: &HeaderMap) -> Result<(), Response> {
    if headers.get(header::ORIGIN).is_none() {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "a save must come from the editor's page (no Origin header)",
        ));
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
    {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "a save must come from the editor's page",
        ));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a save is sent as JSON",
        ));
    }
    Ok(())
}

/// An upload comes from the editor's page (its Origin) with the picture's bytes as the body:
/// a content type that a form on another site cannot send without the browser asking
/// this server first (which it refuses).
fn upload_ok(headers: &HeaderMap) -> Result<(), Response> {
    if headers.get(header::ORIGIN).is_none()
        || (headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()))
            .is_some_and(|s| s != "same-origin")
    {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "an upload must come from the editor's page",
        ));
    }
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("image/") || kind.starts_with("application/octet-stream") {
        Ok(())
    } else {
        Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "an upload is the picture's bytes",
        ))
    }
}

/// Puts a dropped picture beside its entry (`path=`), named from `name=`.
async fn upload_request(shared: &Shared, uri: &Uri, body: Bytes) -> Response {
    use crate::edit::upload;
    let q = query(uri);
    let (Some(rel), Some(name)) = (q.get("path").cloned(), q.get("name").cloned()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "which entry and which file? (path=, name=)",
        );
    };
    let root = shared.real_root.clone();
    let done = tokio::task::spawn_blocking(move || {
        let ext = upload::kind(&body).ok_or((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "this file is not a picture rally can publish (JPEG, PNG, GIF, WebP, AVIF, or an SVG drawing without scripts)".to_string(),
        ))?;
        let (entry, folder) =
            upload::bundle_of(&root, &rel).map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e))?;
        let used = upload::write_new(&folder, &upload::clean_name(&name, ext), &body)
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e))?;
        let warning = (body.len() > upload::LARGE).then(|| {
            format!(
                "this picture is {:.1} MB: pages with it load slowly on phones; a smaller one (under {} MB) is better",
                body.len() as f64 / f64::from(1 << 20),
                upload::LARGE >> 20
            )
        });
        Ok(json!({ "path": entry, "name": used, "moved": entry != rel, "warning": warning }))
    })
    .await;
    match done {
        Ok(Ok(v)) => json_response(StatusCode::OK, v),
        Ok(Err((status, why))) => refuse(status, &why),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the upload failed"),
    }
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn query(uri: &Uri) -> HashMap<String, String> {
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

/// The content files the editor can open, by path from the site folder.
async fn files(shared: &Shared) -> Response {
    let root = shared.real_root.clone();
    let list = tokio::task::spawn_blocking(move || {
        let mut out: Vec<String> = walkdir::WalkDir::new(root.join("content"))
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !crate::load::is_ignored(&e.file_name().to_string_lossy()))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&root).ok()?;
                let rel = rel.to_str()?.replace('\\', "/");
                paths::content_path(&root, &rel).ok().map(|_| rel)
            })
            .collect();
        out.sort();
        out
    })
    .await
    .unwrap_or_default();
    let langs = languages(&shared.real_root);
    let embeds: Vec<_> = crate::link::embed_signatures()
        .map(|(name, args, block)| json!({ "name": name, "args": args, "block": block }))
        .collect();
    json_response(
        StatusCode::OK,
        json!({ "files": list, "languages": langs, "embeds": embeds }),
    )
}

/// A file's fields (Markdown entries) or its text (lists), with its version.
async fn open(shared: &Shared, uri: &Uri) -> Response {
    let q = query(uri);
    let Some(rel) = q.get("path").cloned() else {
        return refuse(StatusCode::BAD_REQUEST, "which file? (path=content/…)");
    };
    let root = shared.real_root.clone();
    let read = tokio::task::spawn_blocking(move || {
        let path = paths::content_path(&root, &rel).map_err(|r| (StatusCode::FORBIDDEN, r.0))?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| (StatusCode::NOT_FOUND, format!("cannot read `{rel}`: {e}")))?;
        if rel.ends_with(".md") {
            match edit::open(&rel, &text) {
                Ok(o) => {
                    let mut v = json!(o);
                    if let Some(original) = original_of(&root, &rel, &o) {
                        v["original"] = original;
                    }
                    Ok(v)
                }
                // Front matter the form cannot read: still editable as text.
                Err(p) => Ok(json!({
                    "path": rel, "version": edit::version(&text), "text": text, "problem": p.message
                })),
            }
        } else {
            let mut v = json!({ "path": rel, "version": edit::version(&text), "text": text });
            // A YAML list of partners opens as a table (a spreadsheet, as text).
            if (rel.ends_with(".yaml") || rel.ends_with(".yml"))
                && let Ok(rows) = edit::rows::rows(&text)
            {
                v["rows"] = json!(rows);
            }
            if rel.ends_with(".csv")
                && let Ok((columns, rows)) = edit::csv::rows(&text)
            {
                v["rows"] = json!(rows);
                v["columns"] = json!(columns);
            }
            Ok(v)
        }
    })
    .await;
    match read {
        Ok(Ok(v)) => json_response(StatusCode::OK, v),
        Ok(Err((status, why))) => refuse(status, &why),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the read failed"),
    }
}

/// For a translation (`x.es.md`): its original's fields and body, the language, and whether
/// the original changed since it was translated (`stale`: true, false, or null when the
/// translation does not say which version it translates).
fn original_of(root: &std::path::Path, rel: &str, t: &edit::Opened) -> Option<serde_json::Value> {
    use crate::content::translations::{TRANSLATED_FROM, split_code, version_hash};
    let (original, code) = split_code(rel)?;
    let path = paths::content_path(root, &original).ok()?;
    let text = std::fs::read_to_string(path).ok()?;
    let o = edit::open(&original, &text).ok()?;
    let now = version_hash(&text);
    let then = (t.fields.iter())
        .find(|f| f.key == TRANSLATED_FROM)
        .and_then(|f| f.value.as_str().map(str::to_string));
    Some(json!({
        "path": original,
        "lang": code,
        "fields": o.fields,
        "body": o.body,
        "version": now,
        "stale": then.map(|then| then != now),
    }))
}

/// The site's languages (code, name), the default first, from site.yaml as it is now.
fn languages(root: &std::path::Path) -> Vec<serde_json::Value> {
    let Ok(text) = crate::load::read_text(&root.join(crate::config::CONFIG_FILE), "site.yaml")
    else {
        return Vec::new();
    };
    crate::config::SiteConfig::parse(&text)
        .map(|c| {
            (c.languages().iter())
                .map(|l| json!({ "code": &*l.code, "name": l.name, "dir": l.dir.as_str() }))
                .collect()
        })
        .unwrap_or_default()
}

/// What the editor sends to create an entry (`rally new`) or a translation (`rally new
/// --lang`).
#[derive(Deserialize)]
struct NewRequest {
    collection: Option<String>,
    title: Option<String>,
    /// A translation of this file into `lang`.
    translate: Option<String>,
    lang: Option<String>,
}

/// Creates a file as `rally new` does (never over an existing one) and names it.
async fn new_request(shared: &Shared, body: Bytes) -> Response {
    let req: NewRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("unreadable request: {e}")),
    };
    let root = shared.real_root.clone();
    let made = tokio::task::spawn_blocking(move || {
        if let (Some(of), Some(lang)) = (&req.translate, &req.lang) {
            paths::content_path(&root, of).map_err(|r| r.0)?;
            let (collection, id, _) = crate::content::classify(of)?;
            let t = crate::scaffold::new_translation(&root, collection, &id, lang)
                .map_err(|d| plain(&d))?;
            return Ok(t.path.to_string_lossy().replace('\\', "/"));
        }
        let collection = (req.collection.as_deref())
            .and_then(crate::collection::Collection::from_name)
            .ok_or("which collection? (stories, resolutions, partners or pages)")?;
        let title = req.title.as_deref().unwrap_or("").trim();
        let c = crate::scaffold::new_entry(&root, collection, title, crate::date::Date::today())
            .map_err(|d| plain(&d))?;
        Ok::<String, String>(c.path.to_string_lossy().replace('\\', "/"))
    })
    .await;
    match made {
        Ok(Ok(path)) => json_response(StatusCode::OK, json!({ "path": path })),
        Ok(Err(why)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &why),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the file was not made"),
    }
}

/// A diagnostic as one line of text with its help, for the editor's messages.
fn plain(d: &crate::diagnostics::Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}: {h}", d.message),
        None => d.message.clone(),
    }
}

/// The content file shown at a page's address (`page=/stories/x/`).
fn source(shared: &Shared, uri: &Uri) -> Response {
    let q = query(uri);
    let key = q.get("page").and_then(|p| super::http::output_key(p));
    let found = key.and_then(|k| {
        let snap = shared.snapshot.read().ok()?;
        let k = if k.ends_with(".html") {
            k
        } else {
            format!("{k}/index.html")
        };
        let k = k.trim_start_matches('/').replace("//", "/");
        snap.sources.iter().find_map(|s| s.get(&k).cloned())
    });
    match found {
        Some(path) => json_response(StatusCode::OK, json!({ "path": path })),
        None => refuse(StatusCode::NOT_FOUND, "no content file makes this page"),
    }
}

/// The form of the file at `path=`: its collection's schema and the pickers' choices.
async fn schema(shared: &Shared, uri: &Uri) -> Response {
    let q = query(uri);
    let Some(rel) = q.get("path") else {
        return refuse(StatusCode::BAD_REQUEST, "which file? (path=content/…)");
    };
    // From the editor's own engine (started here on first use): other rebuilds never pay
    // for them.
    let preview = shared.preview.clone();
    let choices = tokio::task::spawn_blocking(move || preview.choices())
        .await
        .unwrap_or_default();
    if matches!(
        rel.as_str(),
        "content/partners.yaml" | "content/partners.yml" | "content/partners.csv"
    ) {
        return json_response(
            StatusCode::OK,
            json!({
                "collection": "partners",
                "schema": crate::edit::schema::partner_row(),
                "choices": &*choices,
            }),
        );
    }
    if !rel.starts_with("content/") || !rel.ends_with(".md") {
        return refuse(StatusCode::NOT_FOUND, "only Markdown entries have a form");
    }
    let Ok((collection, _, _)) = crate::content::classify(rel) else {
        return refuse(StatusCode::NOT_FOUND, "not an entry of a collection");
    };
    json_response(
        StatusCode::OK,
        json!({
            "collection": collection,
            "schema": crate::edit::schema::of(collection),
            "choices": &*choices,
        }),
    )
}

/// What the editor sends to save.
#[derive(Deserialize)]
struct SaveRequest {
    path: String,
    /// The version the editor opened; absent for a new file.
    base: Option<String>,
    #[serde(default)]
    changes: Vec<Change>,
    /// The whole new text (a list file edited as text, or a new file).
    text: Option<String>,
}

/// Checks a draft through the real pipeline and renders its page, without writing anything.
async fn check_request(shared: &Shared, body: Bytes) -> Response {
    let req: SaveRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("unreadable check: {e}")),
    };
    let root = shared.real_root.clone();
    let preview = shared.preview.clone();
    let done = tokio::task::spawn_blocking(move || {
        let path =
            paths::content_path(&root, &req.path).map_err(|r| (StatusCode::FORBIDDEN, r.0))?;
        let draft = match (&req.text, std::fs::read_to_string(&path)) {
            (Some(t), _) => t.clone(),
            (None, Ok(disk)) => edit::apply(&req.path, &disk, &req.changes)
                .map_err(|p| (StatusCode::UNPROCESSABLE_ENTITY, p.message))?,
            (None, Err(e)) => {
                return Err((
                    StatusCode::NOT_FOUND,
                    format!("cannot read `{}`: {e}", req.path),
                ));
            }
        };
        preview.check(&req.path, &draft).ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "the check failed".to_string(),
        ))
    })
    .await;
    match done {
        Ok(Ok(checked)) => json_response(StatusCode::OK, json!(checked)),
        Ok(Err((status, why))) => refuse(status, &why),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the check failed"),
    }
}

async fn save_request(shared: &Shared, body: Bytes) -> Response {
    let req: SaveRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("unreadable save: {e}")),
    };
    let root = shared.real_root.clone();
    let done = tokio::task::spawn_blocking(move || {
        // A whole text replaces the file (over the version opened); changes edit it.
        let changes = match (&req.text, &req.base) {
            (Some(t), Some(_)) => vec![Change::Whole { text: t.clone() }],
            _ => req.changes.clone(),
        };
        let new_text = if req.base.is_none() {
            req.text.as_deref()
        } else {
            None
        };
        save(&root, &req.path, req.base.as_deref(), &changes, new_text)
    })
    .await;
    match done {
        Ok(Ok(text)) => json_response(
            StatusCode::OK,
            json!({ "version": edit::version(&text), "text": text }),
        ),
        Ok(Err(SaveError::Conflict { disk })) => json_response(
            StatusCode::CONFLICT,
            json!({
                "error": "the file changed on disk since you opened it: nothing was written",
                "disk": disk,
                "version": disk.as_deref().map(edit::version),
            }),
        ),
        Ok(Err(SaveError::Refused(why))) => refuse(StatusCode::FORBIDDEN, &why),
        Ok(Err(SaveError::Problem(p))) => json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": p.message, "key": p.key }),
        ),
        Ok(Err(SaveError::Io(why))) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the save failed"),
    }
}
