//! The dev server's connections: its own accept loop over hyper, so that slow and idle
//! connections are bounded and can never starve the server.
//!
//! - **Header timeout** ([`HEADER_TIMEOUT`], 10 s): a client has that long to send a
//!   request's headers, counted from when the connection is ready for one. hyper starts the
//!   same clock again when a keep-alive connection goes idle after an answer, so it also
//!   closes keep-alive connections idle for that long; slowloris clients, who send a header
//!   line every few seconds, are cut at the deadline whatever they send. A response being
//!   sent is not timed: the live-reload event stream stays open as long as the browser
//!   wants.
//! - **Connection limit** (at most [`MAX_CONNECTIONS`], fewer when the open-file limit is
//!   low: two descriptors per connection, a socket and a file being read, after 64 kept for
//!   the rest of the process: the watcher, rebuilds reading the site). When it is reached, a
//!   new connection closes the connection that has been idle longest (no request in
//!   progress: waiting for one, or dribbling its headers), so a flood of idle connections can
//!   not keep a browser out; only when every connection is busy answering (event streams,
//!   pages being sent) is the newcomer refused at once, with 503.

use std::convert::Infallible;
use std::io::ErrorKind;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, TryAcquireError};

/// How long a client has to send a request's headers, and how long a keep-alive connection
/// may wait idle for the next request. Browsers send headers at once and open a new
/// connection when an idle one was closed, so this is only felt by clients that hold
/// connections without using them.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections open at once. A browser opens at most six to one address, one of
/// which each open tab's live-reload stream keeps; a few colleagues' browsers fit many times.
pub const MAX_CONNECTIONS: usize = 256;

/// File descriptors kept for the process itself, outside the connection limit.
const RESERVED_FDS: u64 = 64;
/// The fewest connections allowed, however low the open-file limit.
const MIN_CONNECTIONS: usize = 8;

/// The limits of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl Limits {
    /// The defaults, with the connection limit fitted to this process's open-file limit.
    /// Tests shorten them with `RALLY_SERVE_HEADER_TIMEOUT_MS` (1 to 600000) and
    /// `RALLY_SERVE_MAX_CONNECTIONS` (which can only lower the limit).
    pub fn from_env() -> Limits {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        Limits::new(
            open_file_limit(),
            var("RALLY_SERVE_HEADER_TIMEOUT_MS"),
            var("RALLY_SERVE_MAX_CONNECTIONS"),
        )
    }

    fn new(open_files: Option<u64>, timeout_ms: Option<u64>, max: Option<u64>) -> Limits {
        let fitted = connection_limit(open_files);
        Limits {
            header_timeout: timeout_ms
                .filter(|ms| (1..=600_000).contains(ms))
                .map_or(HEADER_TIMEOUT, Duration::from_millis),
            max_connections: max.filter(|n| *n >= 1).map_or(fitted, |n| {
                usize::try_from(n).unwrap_or(usize::MAX).min(fitted)
            }),
        }
    }
}

/// The connection limit for an open-file limit (None: unlimited or unknown).
fn connection_limit(open_files: Option<u64>) -> usize {
    match open_files {
        None => MAX_CONNECTIONS,
        Some(n) => {
            let fit = n.saturating_sub(RESERVED_FDS) / 2;
            usize::try_from(fit)
                .unwrap_or(usize::MAX)
                .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
        }
    }
}

/// This process's soft limit on open files.
fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Serves `router` on `listener` until the process stops.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) {
    let registry = Arc::new(Registry::new(limits.max_connections));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // A connection that failed before it was accepted is no concern; anything
                // else (out of file descriptors) gets a moment to pass.
                if !matches!(
                    e.kind(),
                    ErrorKind::ConnectionAborted
                        | ErrorKind::ConnectionReset
                        | ErrorKind::ConnectionRefused
                        | ErrorKind::Interrupted
                ) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        let Some(slot) = registry.admit().await else {
            refuse(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let builder = builder.clone();
        let router = router.clone();
        tokio::spawn(async move {
            {
                let service = Tracking {
                    inner: TowerToHyperService::new(router),
                    state: slot.state.clone(),
                };
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                tokio::select! {
                    _ = conn => {}
                    _ = slot.state.evict.notified() => {}
                }
                // The connection, and its socket, end here, before the slot is given back.
            }
            drop(slot);
        });
    }
}

/// Answers a connection there is no room for, without waiting for it, and closes it.
fn refuse(stream: TcpStream) {
    const BODY: &str = "rally serve has too many open connections; close some preview tabs \
                        and reload\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.try_write(answer.as_bytes());
}

/// What the registry knows of one open connection.
struct ConnState {
    /// Requests in progress: from reading the request to the end of sending its answer.
    busy: AtomicUsize,
    /// When it last started or finished a request, in milliseconds since the registry began.
    last_active: AtomicU64,
    /// Told when the connection must close to make room.
    evict: Notify,
    clock: Instant,
}

impl ConnState {
    fn touch(&self) {
        let ms = u64::try_from(self.clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_active.store(ms, Ordering::Relaxed);
    }
}

/// The open connections, and the permits that bound them.
struct Registry {
    permits: Arc<Semaphore>,
    conns: Mutex<Vec<(u64, Arc<ConnState>)>>,
    next: AtomicU64,
    clock: Instant,
}

/// One admitted connection: removed from the registry, and its permit returned, on drop.
struct Slot {
    id: u64,
    state: Arc<ConnState>,
    registry: Arc<Registry>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut conns) = self.registry.conns.lock() {
            conns.retain(|(id, _)| *id != self.id);
        }
    }
}

impl Registry {
    fn new(max: usize) -> Registry {
        Registry {
            permits: Arc::new(Semaphore::new(max.max(1))),
            conns: Mutex::new(Vec::new()),
            next: AtomicU64::new(0),
            clock: Instant::now(),
        }
    }

    /// A slot for a new connection: a free one, or one made by closing the connection idle
    /// longest. None when every connection is busy.
    async fn admit(self: &Arc<Self>) -> Option<Slot> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(TryAcquireError::Closed) => return None,
            Err(TryAcquireError::NoPermits) => {
                if !self.evict_idlest() {
                    return None;
                }
                // The evicted connection's task gives its permit back as soon as it runs.
                tokio::time::timeout(Duration::from_secs(1), self.permits.clone().acquire_owned())
                    .await
                    .ok()?
                    .ok()?
            }
        };
        let state = Arc::new(ConnState {
            busy: AtomicUsize::new(0),
            last_active: AtomicU64::new(0),
            evict: Notify::new(),
            clock: self.clock,
        });
        state.touch();
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut conns) = self.conns.lock() {
            conns.push((id, state.clone()));
        }
        Some(Slot {
            id,
            state,
            registry: self.clone(),
            _permit: permit,
        })
    }

    /// Tells the connection idle longest to close; false when none is idle.
    fn evict_idlest(&self) -> bool {
        let Ok(mut conns) = self.conns.lock() else {
            return false;
        };
        let idlest = conns
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| s.busy.load(Ordering::Relaxed) == 0)
            .min_by_key(|(_, (_, s))| s.last_active.load(Ordering::Relaxed))
            .map(|(i, _)| i);
        match idlest {
            Some(i) => {
                let (_, state) = conns.swap_remove(i);
                state.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// The router, counting the requests in progress on its connection.
struct Tracking {
    inner: TowerToHyperService<Router>,
    state: Arc<ConnState>,
}

impl Service<Request<Incoming>> for Tracking {
    type Response = hyper::Response<TrackedBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, req: Request<Incoming>) -> Self::Future {
        let busy = Busy::start(&self.state);
        let answer = self.inner.call(req);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| TrackedBody { body, _busy: busy }))
        })
    }
}

/// A request in progress, until its answer has been sent (or dropped).
struct Busy(Arc<ConnState>);

impl Busy {
    fn start(state: &Arc<ConnState>) -> Busy {
        state.busy.fetch_add(1, Ordering::Relaxed);
        state.touch();
        Busy(state.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A response body that keeps its connection counted as busy while it is being sent.
struct TrackedBody {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_fits_the_open_file_limit() {
        assert_eq!(connection_limit(None), MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(256)), 96);
        assert_eq!(connection_limit(Some(1024)), MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(20)), MIN_CONNECTIONS);
        // Connections, two descriptors each, leave the reserve free.
        let n = 256;
        assert!(connection_limit(Some(n)) as u64 * 2 + RESERVED_FDS <= n);
    }

    #[test]
    fn limits_are_finite_and_only_lowered_from_outside() {
        let d = Limits::new(Some(1024), None, None);
        assert_eq!(d.header_timeout, HEADER_TIMEOUT);
        assert!(HEADER_TIMEOUT > Duration::ZERO && HEADER_TIMEOUT <= Duration::from_secs(30));
        assert_eq!(d.max_connections, MAX_CONNECTIONS);
        let t = Limits::new(Some(256), Some(400), Some(10_000));
        assert_eq!(t.header_timeout, Duration::from_millis(400));
        assert_eq!(t.max_connections, 96);
        // Nonsense falls back to the defaults.
        let z = Limits::new(Some(256), Some(0), Some(0));
        assert_eq!(z.header_timeout, HEADER_TIMEOUT);
        assert_eq!(z.max_connections, 96);
        assert_eq!(Limits::new(None, None, Some(3)).max_connections, 3);
    }

    #[tokio::test]
    async fn a_full_registry_closes_the_idlest_connection_not_a_busy_one() {
        let r = Arc::new(Registry::new(2));
        let a = r.admit().await.expect("a");
        tokio::time::sleep(Duration::from_millis(5)).await;
        let b = r.admit().await.expect("b");
        let _streaming = Busy::start(&a.state); // a is older, but busy
        let evicted = b.state.clone();
        let waiter = tokio::spawn(async move {
            evicted.evict.notified().await;
            drop(b);
        });
        let c = r.admit().await.expect("room made by closing b");
        waiter.await.expect("b was told to close");
        // Now a is busy and c is idle: c goes next; with both busy, newcomers are refused.
        let _c_busy = Busy::start(&c.state);
        assert!(r.admit().await.is_none());
    }
}
