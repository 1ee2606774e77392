//! The dev server's HTTP side (axum): serves the in-memory site, GET and HEAD only, never a
//! file outside it, with the live-reload script and the error overlay in every HTML page.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

use super::access::Access;
use crate::render::{Output, OutputFile, PathOrEmbedded};

/// Where the browser listens for changes.
pub const EVENTS_PATH: &str = "/__rally/events";

/// What the server shows: the last good site and, while a rebuild fails, the problems.
pub struct Snapshot {
    pub output: Arc<Output>,
    /// Plain-text problems of the failed rebuild, shown over every page.
    pub problems: Option<Arc<str>>,
    /// Which content file each page shows, per language: the "Edit this page" links.
    pub sources: Vec<Arc<crate::render::Sources>>,
}

pub struct Shared {
    pub snapshot: RwLock<Snapshot>,
    /// JSON messages for the browsers (see `reload_message`).
    pub events: broadcast::Sender<String>,
    /// Which Host and Origin the server answers.
    pub access: Access,
    /// The site folder, symbolic links resolved: files are sent only from inside it.
    pub real_root: PathBuf,
    /// The editor's token (see [`super::editor`]).
    pub editor_token: String,
    /// The editor's checks and previews of unsaved drafts.
    pub preview: Arc<super::preview::Preview>,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(handle)
        // A content file may be up to 5 MB (see `load`); its JSON a little more.
        .layer(axum::extract::DefaultBodyLimit::max(12 << 20))
        .with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(why) = shared.access.check(&headers, &uri) {
        let mut r = (StatusCode::FORBIDDEN, why).into_response();
        let h = r.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        return r;
    }
    if uri.path().starts_with(super::editor::PREFIX) {
        return super::editor::handle(&shared, method, &uri, &headers, body).await;
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = (
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are allowed\n",
        )
            .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if uri.path() == EVENTS_PATH {
        return events(&shared).into_response();
    }
    let Some(key) = output_key(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let (output, problems, source) = match shared.snapshot.read() {
        Ok(s) => (
            s.output.clone(),
            s.problems.clone(),
            (s.sources.iter())
                .find_map(|m| m.get(key.as_str()))
                .map(|path| edit_link(path, uri.path())),
        ),
        Err(_) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "server state unavailable\n",
            )
                .into_response();
        }
    };
    let head = method == Method::HEAD;
    if let Some(file) = output.get(key.as_str()) {
        return respond(
            &shared,
            StatusCode::OK,
            &key,
            file,
            (problems.as_deref(), source.as_deref()),
            head,
        )
        .await;
    }
    // `/stories` → `/stories/` when that is a page.
    if !key.ends_with(".html") && output.contains_key(format!("{key}/index.html").as_str()) {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match output.get("404.html") {
        Some(file) => {
            respond(
                &shared,
                StatusCode::NOT_FOUND,
                "404.html",
                file,
                (problems.as_deref(), None),
                head,
            )
            .await
        }
        None => {
            let body = format!(
                "<!doctype html><title>Not found</title><p>Not found.</p>{}",
                inject(problems.as_deref(), None)
            );
            html_response(StatusCode::NOT_FOUND, body.into_bytes(), head)
        }
    }
}

/// The output map key for a request path, or None for paths that try to leave the site
/// (`..`, backslashes, NUL) or are not valid UTF-8 once decoded.
pub fn output_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => segments.push(s),
        }
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

async fn respond(
    shared: &Shared,
    status: StatusCode,
    key: &str,
    file: &OutputFile,
    (problems, link): (Option<&str>, Option<&str>),
    head: bool,
) -> Response {
    let bytes: Vec<u8> = match file {
        OutputFile::Bytes(b) => b.to_vec(),
        OutputFile::Copy(PathOrEmbedded::Embedded(b)) => b.to_vec(),
        OutputFile::Copy(PathOrEmbedded::Path(p, _)) => {
            match read_inside(&shared.real_root, p).await {
                Some(b) => b,
                None => return (StatusCode::NOT_FOUND, FILE_GONE).into_response(),
            }
        }
        // The engine keeps every page; only `rally build` streams them out.
        OutputFile::Written => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "page not kept in memory\n",
            )
                .into_response();
        }
    };
    if key.ends_with(".html") {
        let mut html = String::from_utf8_lossy(&bytes).into_owned();
        let script = inject(problems, link);
        match html.rfind("</body>") {
            Some(i) => html.insert_str(i, &script),
            None => html.push_str(&script),
        }
        return html_response(status, html.into_bytes(), head);
    }
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(bytes.clone())
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type(key)) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The answer for a file of the site that can no longer be sent.
const FILE_GONE: &str =
    "file not found: it disappeared, or is now a link to something outside the site folder\n";

/// A site file's bytes, read only if its real path (at the moment of reading) is inside the
/// site: the file may have been replaced by a link since the site was loaded.
async fn read_inside(real_root: &std::path::Path, path: &std::path::Path) -> Option<Vec<u8>> {
    let (root, path) = (real_root.to_path_buf(), path.to_path_buf());
    tokio::task::spawn_blocking(move || {
        // The resized copies of photos live in the site's (hidden) cache folder.
        let real = crate::load::real_path_inside(&root, &path)
            .or_else(|| crate::images::cached_file_inside(&root, &path))?;
        std::fs::read(real).ok()
    })
    .await
    .ok()
    .flatten()
}

fn html_response(status: StatusCode, body: Vec<u8>, head: bool) -> Response {
    let len = body.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The Content-Type of an output path.
pub fn content_type(key: &str) -> &'static str {
    if key.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8";
    }
    if key.ends_with(".xml") {
        return "application/xml; charset=utf-8";
    }
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

fn events(shared: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let rx = shared.events.subscribe();
    let ready = stream::once(async { Ok(Event::default().event("ready").data("{}")) });
    let updates = stream::unfold(rx, |mut rx| async move {
        let data = match rx.recv().await {
            Ok(msg) => msg,
            // Too far behind: a full reload is always right.
            Err(broadcast::error::RecvError::Lagged(_)) => r#"{"reload":true}"#.to_string(),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(Event::default().data(data)), rx))
    });
    Sse::new(futures_util::StreamExt::chain(ready, updates)).keep_alive(KeepAlive::default())
}

/// The message browsers get after a rebuild: the URLs that changed (`/stories/a/`), whether
/// only CSS changed, and whether the error overlay must appear or go.
pub fn reload_message(paths: &[String], css_only: bool, error_changed: bool) -> String {
    let urls: Vec<String> = paths
        .iter()
        .take(500)
        .map(|p| match p.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{p}"),
        })
        .collect();
    serde_json::json!({
        "urls": urls,
        "all": paths.len() > 500,
        "css": css_only,
        "error": error_changed,
    })
    .to_string()
}

const LIVE_RELOAD: &str = r#"<script>(()=>{const k="rally-scroll:"+location.pathname,y=sessionStorage.getItem(k);if(y!==null){sessionStorage.removeItem(k);const go=()=>scrollTo(0,+y);document.readyState==="complete"?go():addEventListener("load",go)}const es=new EventSource("/__rally/events");es.onmessage=e=>{const m=JSON.parse(e.data);if(m.css){for(const l of document.querySelectorAll('link[rel="stylesheet"]')){const u=new URL(l.href);u.searchParams.set("rally",Date.now());l.href=u.href}return}const p=location.pathname,here=[p,p.replace(/index\.html$/,""),p.endsWith("/")?p:p+"/"];if(m.reload||m.all||m.error||(m.urls||[]).some(u=>here.includes(u))){sessionStorage.setItem(k,String(scrollY));location.reload()}}})();</script>"#;

/// The live-reload script, the "Edit this page" link when a content file makes the page,
/// and the error overlay while a rebuild fails.
fn inject(problems: Option<&str>, link: Option<&str>) -> String {
    let mut s = String::from(LIVE_RELOAD);
    if let Some(link) = link {
        s.push_str(link);
    }
    if let Some(p) = problems {
        s.push_str(&overlay(p));
    }
    s
}

/// A link to the editor for the page's content file (`path`), back to the page (`page`),
/// fixed in the page's end corner.
pub fn edit_link(path: &str, page: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let q = utf8_percent_encode(path, NON_ALPHANUMERIC);
    let back = utf8_percent_encode(page, NON_ALPHANUMERIC);
    format!(
        r#"<a id="rally-edit-link" href="{}?path={q}&amp;page={back}" style="position:fixed;inset-block-end:1rem;inset-inline-end:1rem;z-index:2147483646;background:#14141c;color:#fff;font:600 15px/1.2 system-ui,sans-serif;padding:.6rem .9rem;border-radius:6px;text-decoration:underline;box-shadow:0 2px 8px rgba(0,0,0,.3)">Edit this page</a>"#,
        super::editor::PREFIX
    )
}

/// The overlay: the same text as the terminal, over the last good page.
pub fn overlay(problems: &str) -> String {
    let mut escaped = String::with_capacity(problems.len());
    for c in problems.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
    format!(
        r#"<div id="rally-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,28,.94);color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem"><div style="max-width:60rem;margin:0 auto"><h2 style="margin:0 0 .5rem;color:#ffb4a8;font-size:1.4rem">rally could not rebuild the site</h2><p style="margin:0 0 1rem">The page behind this message is the last version that built. Fix the problem below and save: this message goes away by itself.</p><pre style="white-space:pre-wrap;background:#0b0b10;color:#f5f5f5;padding:1rem;border-radius:6px;font:14px/1.45 ui-monospace,monospace">{escaped}</pre><button type="button" onclick="this.closest('#rally-error-overlay').remove()" style="font:inherit;padding:.4rem 1rem;cursor:pointer">Hide until the next change</button></div></div>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_for_request_paths() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            output_key("/stories/a/").as_deref(),
            Some("stories/a/index.html")
        );
        assert_eq!(output_key("/css/site.css").as_deref(), Some("css/site.css"));
        assert_eq!(
            output_key("/stories/a%20b/").as_deref(),
            Some("stories/a b/index.html")
        );
    }

    #[test]
    fn paths_leaving_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%5c..%5cwin.ini",
            "/a\\b",
            "/%00",
            "/C:/x",
            "/%ff",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
        // An absolute path is just a key in the map, never a file-system path.
        assert_eq!(output_key("//etc/passwd").as_deref(), Some("etc/passwd"));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type("stories/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("report.pdf"), "application/pdf");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("photo.jpg"), "image/jpeg");
    }

    #[test]
    fn overlay_escapes_messages() {
        let o = overlay("error: <script>alert(1)</script>");
        assert!(o.contains("&lt;script&gt;") && !o.contains("<script>alert"));
    }
}
