// Shared helpers for the browser checks: a tiny static server for a built site and a
// headless Chromium from the system (no browser download: playwright-core only drives it).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.RALLY_CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch() {
  const { chromium } = require("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/// The file a URL path names in a built site (`/x/` → x/index.html), or null.
export function fileFor(root, urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (p.includes("\0")) return null;
  let file = path.join(root, path.normalize(p));
  if (!file.startsWith(path.resolve(root))) return null;
  if (p.endsWith("/")) file = path.join(file, "index.html");
  try {
    if (fs.statSync(file).isDirectory()) return null;
    return file;
  } catch {
    return null;
  }
}

/// The rules of a `_headers` file, as Netlify and Cloudflare Pages read it: a path (`*`
/// matches anything) at the start of a line, then its headers indented, `Name: value`.
export function parseHeaders(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (/^\s/.test(line)) {
      const i = line.indexOf(":");
      if (i < 0 || !rules.length) throw new Error(`_headers: not a header: ${JSON.stringify(line)}`);
      rules[rules.length - 1].headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    } else {
      if (!line.startsWith("/")) throw new Error(`_headers: not a path: ${JSON.stringify(line)}`);
      const pattern = new RegExp("^" + line.trim().split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
      rules.push({ path: line.trim(), pattern, headers: {} });
    }
  }
  return rules;
}

/// Serves `root` on 127.0.0.1 (free port), like a static host: `/x/` → `/x/index.html`,
/// `/x` → 301 to `/x/` when that is a folder, unknown paths → 404.html with status 404.
/// `headers` are added to every response (a Content-Security-Policy, as a host would send).
/// When the site has a `_headers` file, its rules are applied as a host would, and the
/// Content-Security-Policy reports violations to the server: `cspReports` lists them.
export async function serveStatic(root, headers = {}) {
  root = path.resolve(root);
  const headersFile = path.join(root, "_headers");
  const rules = fs.existsSync(headersFile) ? parseHeaders(fs.readFileSync(headersFile, "utf8")) : [];
  const cspReports = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (req.method === "POST" && url.pathname === "/__csp-report") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        cspReports.push(body);
        res.writeHead(204);
        res.end();
      });
      return;
    }
    const own = {};
    for (const r of rules) {
      if (r.pattern.test(url.pathname)) Object.assign(own, r.headers);
    }
    if (own["Content-Security-Policy"]) {
      own["Content-Security-Policy"] += "; report-uri /__csp-report";
    }
    let file = fileFor(root, url.pathname);
    if (!file && !url.pathname.endsWith("/") && fileFor(root, url.pathname + "/")) {
      res.writeHead(301, { Location: url.pathname + "/" });
      res.end();
      return;
    }
    let status = 200;
    if (!file) {
      status = 404;
      file = fileFor(root, "/404.html");
      if (!file) {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("not found\n");
        return;
      }
    }
    const body = fs.readFileSync(file);
    res.writeHead(status, {
      "Content-Type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      ...own,
      ...headers,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    rules,
    cspReports,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/// Polls `fn` (async, may throw while a page navigates) until it returns a truthy value.
export async function until(what, fn, timeoutMs = 10000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/// Collects failures; `report()` prints them and sets the exit code.
export class Checks {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.passed = 0;
  }
  ok(cond, message) {
    if (cond) this.passed++;
    else this.failures.push(message);
    return cond;
  }
  fail(message) {
    this.failures.push(message);
  }
  eq(actual, expected, message) {
    return this.ok(
      JSON.stringify(actual) === JSON.stringify(expected),
      `${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
  report() {
    for (const f of this.failures) console.log(`FAIL ${f}`);
    console.log(`${this.name}: ${this.passed} checks passed, ${this.failures.length} failed`);
    process.exitCode = this.failures.length ? 1 : 0;
  }
}

/// Runs `main`, printing any exception and exiting non-zero (2: the check could not run).
export function run(main) {
  main().catch((e) => {
    console.log(`ERROR ${e && e.stack ? e.stack : e}`);
    process.exitCode = 2;
  });
}
