//! Who the dev server answers: this machine only, Host and Origin checked.
//!
//! A web page on any site can make the browser send requests to `127.0.0.1:1111`; the
//! browser's same-origin rule keeps it from reading the answers, unless the page's own name
//! resolves to this machine (DNS rebinding: `evil.example` first points at the attacker, then
//! at 127.0.0.1). Such requests carry `Host: evil.example`, so the server answers only the
//! names and addresses of this machine, and refuses requests made by pages of other sites
//! (their `Origin`).
//!
//! Bound to a loopback address (the default), the allowed hosts are `localhost`
//! (and `*.localhost`) and loopback addresses. Bound to another address or to all of them
//! (`0.0.0.0`, `::`), also this machine's own addresses and host name. Names given with
//! `--allow-host` are allowed in both cases. Names match without regard to case or a
//! trailing dot; the port in the Host header is not checked (a forwarded port may differ).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, Uri, header};

/// The rule of one server.
pub struct Access {
    /// The port the server listens on.
    port: u16,
    /// Bound to a non-loopback address: this machine's addresses and name are allowed too.
    network: bool,
    /// Allowed names besides the loopback ones: `--allow-host`, and the host name when on the
    /// network. Normalised (see [`normalize_name`]).
    names: Vec<String>,
    /// The address the server is bound to, when it is one address of the network.
    bound: Option<IpAddr>,
    /// This machine's addresses (when on the network), read again now and then on a miss, as
    /// a laptop's address changes with the network it joins.
    addrs: Mutex<(Instant, Vec<IpAddr>)>,
}

/// How often, at most, the machine's addresses are read again.
const REFRESH: Duration = Duration::from_secs(2);

impl Access {
    /// The rule for a server listening on `local`, with the `--allow-host` names (already
    /// checked by [`normalize_name`]).
    pub fn new(local: SocketAddr, allow: Vec<String>) -> Access {
        let network = !local.ip().is_loopback();
        let mut names = allow;
        let mut addrs = Vec::new();
        if network {
            names.extend(host_names());
            addrs = machine_addresses();
        }
        Access {
            port: local.port(),
            network,
            names,
            bound: (network && !local.ip().is_unspecified()).then(|| canonical(local.ip())),
            addrs: Mutex::new((Instant::now(), addrs)),
        }
    }

    /// Ok, or the plain-text reason a request is refused (sent with 403).
    pub fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), String> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(h), None) => h.to_str().ok(),
            (None, _) => return Err(refusal_no_host()),
            (Some(_), Some(_)) => None,
        };
        let parsed = host.and_then(split_host_port);
        let Some((_, host_port)) = parsed.filter(|(h, _)| self.allows(h)) else {
            return Err(refusal_host(host.unwrap_or("")));
        };
        // A request line with a full address (`GET http://evil.example/`) names the host too.
        if let Some(a) = uri.authority()
            && !split_host_port(a.as_str()).is_some_and(|(h, _)| self.allows(&h))
        {
            return Err(refusal_host(a.as_str()));
        }
        let mut origins = headers.get_all(header::ORIGIN).iter();
        match (origins.next(), origins.next()) {
            (None, _) => Ok(()),
            (Some(o), None) => {
                let text = o.to_str().unwrap_or("");
                if self.allows_origin(text, host_port) {
                    Ok(())
                } else {
                    Err(refusal_origin(text))
                }
            }
            (Some(o), Some(_)) => Err(refusal_origin(o.to_str().unwrap_or(""))),
        }
    }

    /// Whether a host (without its port) is this machine.
    fn allows(&self, host: &Host) -> bool {
        match host {
            Host::Name(n) => {
                n == "localhost" || n.ends_with(".localhost") || self.names.iter().any(|a| a == n)
            }
            Host::Ip(ip) => {
                is_loopback(*ip) || (self.network && self.is_machine_address(canonical(*ip)))
            }
        }
    }

    fn is_machine_address(&self, ip: IpAddr) -> bool {
        if self.bound == Some(ip) {
            return true;
        }
        let Ok(mut cache) = self.addrs.lock() else {
            return false;
        };
        if !cache.1.contains(&ip) && cache.0.elapsed() >= REFRESH {
            *cache = (Instant::now(), machine_addresses());
        }
        cache.1.contains(&ip)
    }

    /// An `Origin` is allowed when it is `http://` (or `https://`, behind a proxy) and an
    /// allowed host, on the server's port or the port the request was sent to.
    fn allows_origin(&self, origin: &str, host_port: Option<u16>) -> bool {
        let (default_port, rest) = if let Some(r) = origin.strip_prefix("http://") {
            (80, r)
        } else if let Some(r) = origin.strip_prefix("https://") {
            (443, r)
        } else {
            return false; // `null`, other schemes
        };
        let Some((host, port)) = split_host_port(rest) else {
            return false;
        };
        let port = port.unwrap_or(default_port);
        self.allows(&host) && (port == self.port || Some(port) == host_port.or(Some(80)))
    }
}

/// A host from a Host header, URL or `--allow-host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

/// Splits `name`, `name:port`, `1.2.3.4:port` or `[v6]:port` into the host and its port.
/// None for anything else (paths, user names, characters a host name never has).
pub fn split_host_port(s: &str) -> Option<(Host, Option<u16>)> {
    let s = s.trim();
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = inside.parse().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?.parse().ok()?),
        };
        return Some((Host::Ip(IpAddr::V6(ip)), port));
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
            None => (s, None),
        }
    };
    let name = normalize_name(host)?;
    match name.parse::<Ipv4Addr>() {
        Ok(ip) => Some((Host::Ip(IpAddr::V4(ip)), port)),
        Err(_) => Some((Host::Name(name), port)),
    }
}

/// `--allow-host NAME`, checked while the command line is read.
pub fn parse_allowed_host(name: &str) -> Result<String, String> {
    normalize_name(name).ok_or_else(|| {
        "not a host name: give a name such as preview.example.org, without http:// or a port"
            .to_string()
    })
}

/// A host name in the form names are compared in: lowercase, without a trailing dot. None
/// when it is not a host name (empty, or with characters other than letters, digits, `-`,
/// `_` and dots).
pub fn normalize_name(name: &str) -> Option<String> {
    let n = name.strip_suffix('.').unwrap_or(name);
    let ok = !n.is_empty()
        && n.len() <= 253
        && !n.starts_with('.')
        && !n.contains("..")
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| n.to_ascii_lowercase())
}

fn is_loopback(ip: IpAddr) -> bool {
    canonical(ip).is_loopback()
}

/// `::ffff:1.2.3.4` is 1.2.3.4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// This machine's addresses (every interface, loopback included).
pub fn machine_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|list| list.into_iter().map(|i| canonical(i.ip())).collect())
        .unwrap_or_default()
}

/// This machine's host name, and `NAME.local` (its name on the local network, where the
/// network announces names) when the name has no dot.
pub fn host_names() -> Vec<String> {
    let Some(name) = host_name() else {
        return Vec::new();
    };
    let mut out = vec![name.clone()];
    if !name.contains('.') {
        out.push(format!("{name}.local"));
    }
    out
}

/// This machine's host name, normalised.
pub fn host_name() -> Option<String> {
    #[cfg(unix)]
    {
        let uname = rustix::system::uname();
        let name = uname.nodename().to_str().ok()?;
        normalize_name(name)
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME")
            .ok()
            .and_then(|n| normalize_name(&n))
    }
}

/// The addresses colleagues on the network can open for a server listening on all addresses
/// of a family (`0.0.0.0`: IPv4 only; `::`: both): every interface address except loopback,
/// link-local and those of containers and virtual machines on this machine.
pub fn network_addresses(bound: IpAddr) -> Vec<IpAddr> {
    let Ok(list) = if_addrs::get_if_addrs() else {
        return Vec::new();
    };
    let mut out: Vec<IpAddr> = list
        .into_iter()
        .filter(|i| {
            !["docker", "br-", "veth", "virbr", "cni", "podman"]
                .iter()
                .any(|p| i.name.starts_with(p))
        })
        .map(|i| canonical(i.ip()))
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
        .filter(|ip| match ip {
            IpAddr::V4(v4) => !v4.is_link_local(),
            IpAddr::V6(v6) => !v6.is_unicast_link_local() && bound.is_ipv6(),
        })
        .collect();
    // IPv4 first: shorter to type.
    out.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    out.dedup();
    out
}

fn refusal_host(host: &str) -> String {
    let shown = shown(host);
    let name = split_host_port(host)
        .and_then(|(h, _)| match h {
            Host::Name(n) => Some(n),
            Host::Ip(_) => None,
        })
        .unwrap_or_else(|| "NAME".into());
    format!(
        "rally serve refused this request: `{shown}` is not a name of this computer.\n\
         The preview answers only requests addressed to this computer (localhost, 127.0.0.1, \
         or its own addresses when started with --bind), so that web pages of other sites \
         cannot read it.\n\
         If `{shown}` does lead to this computer (a tunnel or a name on your network), start \
         the preview with: rally serve --allow-host {name}\n"
    )
}

fn refusal_no_host() -> String {
    "rally serve refused this request: it does not say which address it was sent to (no \
     Host header).\nOpen the preview in a web browser at the address rally printed. A name \
     that leads to this computer can be allowed with: rally serve --allow-host NAME\n"
        .to_string()
}

fn refusal_origin(origin: &str) -> String {
    format!(
        "rally serve refused this request: it was made by a page of another site (Origin: \
         {}).\nThe preview answers only its own pages, so that web pages of other sites cannot \
         read it. If that site is this computer under another name, start the preview with: \
         rally serve --allow-host NAME\n",
        shown(origin)
    )
}

/// A client-supplied value, safe to show: the characters of addresses only, at most 100.
fn shown(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._:[]/@".contains(*c))
        .take(100)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(v) = host {
            h.insert(header::HOST, HeaderValue::from_str(v).expect("value"));
        }
        if let Some(v) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(v).expect("value"));
        }
        h
    }

    fn loopback() -> Access {
        Access::new(
            SocketAddr::from(([127, 0, 0, 1], 1111)),
            vec!["preview.example".into()],
        )
    }

    #[test]
    fn hosts_are_split_and_normalised() {
        assert_eq!(
            split_host_port("LocalHost.:1111"),
            Some((Host::Name("localhost".into()), Some(1111)))
        );
        assert_eq!(
            split_host_port("[::1]:80"),
            Some((Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)), Some(80)))
        );
        assert_eq!(
            split_host_port("[0:0:0:0:0:0:0:1]"),
            Some((Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)), None))
        );
        assert_eq!(
            split_host_port("127.0.0.1"),
            Some((Host::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)), None))
        );
        for bad in [
            "", ":80", "a:b", "a:99999", "[::1", "[::1]x", "a b", "a/b", "user@a", "a..b", "::1",
        ] {
            assert_eq!(split_host_port(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn loopback_server_answers_loopback_names_only() {
        let a = loopback();
        let uri = Uri::from_static("/");
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.2",
            "localhost",
            "LOCALHOST.:1111",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
            "app.localhost:1111",
            "Preview.Example.:8080",
        ] {
            assert!(a.check(&headers(Some(ok), None), &uri).is_ok(), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example",
            "10.0.0.1:1111",
            "0.0.0.0:1111",
            "[fe80::1]:1111",
            "sub.preview.example",
            "",
        ] {
            let e = a.check(&headers(Some(bad), None), &uri).expect_err(bad);
            assert!(e.contains("--allow-host"), "{e}");
        }
        assert!(a.check(&headers(None, None), &uri).is_err());
        let abs = Uri::from_static("http://evil.example/");
        assert!(a.check(&headers(Some("localhost"), None), &abs).is_err());
    }

    #[test]
    fn origins_must_be_this_server() {
        let a = loopback();
        let uri = Uri::from_static("/");
        let h = Some("127.0.0.1:1111");
        for ok in [
            "http://127.0.0.1:1111",
            "http://localhost:1111",
            "http://[::1]:1111",
            "https://preview.example:1111",
        ] {
            assert!(a.check(&headers(h, Some(ok)), &uri).is_ok(), "{ok}");
        }
        // Behind a forwarded port, the page's origin has the port the browser used.
        assert!(
            a.check(
                &headers(
                    Some("preview.example:8080"),
                    Some("http://preview.example:8080")
                ),
                &uri
            )
            .is_ok()
        );
        for bad in [
            "null",
            "http://evil.example:1111",
            "http://127.0.0.1:2222",
            "http://127.0.0.1",
            "file://",
            "http://127.0.0.1:1111.evil.example",
            "http://user@127.0.0.1:1111",
        ] {
            let e = a.check(&headers(h, Some(bad)), &uri).expect_err(bad);
            assert!(e.contains("--allow-host"), "{e}");
        }
    }

    #[test]
    fn on_the_network_the_machine_is_allowed_too() {
        let a = Access::new(SocketAddr::from(([0, 0, 0, 0], 1111)), Vec::new());
        let uri = Uri::from_static("/");
        for ip in machine_addresses() {
            let host = SocketAddr::new(ip, 1111).to_string();
            assert!(a.check(&headers(Some(&host), None), &uri).is_ok(), "{host}");
        }
        if let Some(name) = host_name() {
            assert!(a.check(&headers(Some(&name), None), &uri).is_ok(), "{name}");
            assert!(loopback().check(&headers(Some(&name), None), &uri).is_err());
        }
        assert!(a.check(&headers(Some("evil.example"), None), &uri).is_err());
        assert!(a.check(&headers(Some("192.0.2.254"), None), &uri).is_err());
    }

    #[test]
    fn refusals_show_only_printable_text() {
        let e = refusal_host("evil\u{7}.example\n<script>");
        assert!(e.contains("`evil.examplescript`"), "{e}");
        assert!(!e.contains('\u{7}') && !e.contains('<'));
    }
}
