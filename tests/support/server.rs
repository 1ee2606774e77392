//! A `rally serve` process for the tests: started on a free port on a fixture site, its
//! printed lines and live-reload events read in the background, requests made over HTTP or
//! raw connections.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Test;

/// `rally serve` on a fixture site, on a free port, with its printed lines and events.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// The first line the server printed (with the address).
    pub first_line: String,
    /// The lines it printed after that.
    pub lines: mpsc::Receiver<String>,
    pub events: mpsc::Receiver<String>,
    pub agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

impl Server {
    pub fn start(t: &Test) -> Server {
        Server::launch(t, &[], &[])
    }

    /// `rally serve --port 0` on the site with more arguments and environment variables.
    pub fn launch(t: &Test, args: &[&str], envs: &[(&str, &str)]) -> Server {
        Server::spawn(t, Command::new(env!("CARGO_BIN_EXE_rally")), args, envs)
    }

    /// The same, with at most `n` open file descriptors (the shell's `ulimit -n`).
    #[cfg(unix)]
    pub fn launch_with_nofile(t: &Test, n: u32) -> Server {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\"")])
            .arg(env!("CARGO_BIN_EXE_rally"));
        Server::spawn(t, cmd, &[], &[])
    }

    pub fn spawn(t: &Test, mut cmd: Command, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut child = cmd
            .args(["serve", "--port", "0", "--root"])
            .arg(t.root())
            .args(args)
            .env("NO_COLOR", "1")
            .envs(t.cache_env())
            .envs(envs.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rally serve");
        // Every line the server prints, read in the background so that it never writes
        // into a closed pipe.
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_default();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        // Listen to the event stream in the background.
        let (tx, events) = mpsc::channel();
        let stream_url = format!("{url}/__rally/events");
        std::thread::spawn(move || {
            let Ok(resp) = ureq::Agent::new_with_defaults().get(&stream_url).call() else {
                return;
            };
            let reader = BufReader::new(resp.into_body().into_reader());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    return;
                }
            }
        });
        let s = Server {
            child,
            url,
            first_line: line,
            lines,
            events,
            agent: agent(),
        };
        s.wait_for("ready", |m| m == "{}");
        s
    }

    /// `host:port` of the server, for raw connections.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    pub fn port(&self) -> u16 {
        self.addr()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }

    /// Sends one raw request (`Connection: close` is up to the caller) and reads the answer
    /// until the server closes the connection or 3 seconds pass: the status and the text.
    pub fn raw(&self, request: &str) -> (u16, String) {
        self.raw_bytes(request.as_bytes())
    }

    /// [`Server::raw`] with a request that is not text (an uploaded picture).
    pub fn raw_bytes(&self, request: &[u8]) -> (u16, String) {
        let mut c = TcpStream::connect(self.addr()).expect("connect");
        c.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        c.write_all(request).expect("send");
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while Instant::now() < deadline {
            match c.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    // An event stream never ends: its first event is enough.
                    if got.windows(12).any(|w| w == b"event: ready") {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        let text = String::from_utf8_lossy(&got).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// A GET of `path` with the given Host header (and Origin, if any), over a raw connection.
    pub fn get_as(&self, path: &str, host: &str, origin: Option<&str>) -> (u16, String) {
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Connection: close\r\n\r\n"
        ))
    }

    /// The lines the server printed after the first, within `wait`.
    pub fn more_lines(&self, wait: Duration) -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        while let Ok(l) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            out.push(l);
        }
        out
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let mut resp = self
            .agent
            .get(&format!("{}{path}", self.url))
            .call()
            .expect("GET");
        let status = resp.status().as_u16();
        let mut body = String::new();
        let _ = resp.body_mut().as_reader().read_to_string(&mut body);
        (status, body)
    }

    /// Waits for an event for which `pred` holds; fails after 10 seconds.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => continue,
                Err(_) => panic!("no event for {what} within 10 s"),
            }
        }
    }
}
