// Lighthouse scores of the bundled site: builds it with rally into a temporary folder, serves
// that folder over a tiny local HTTP server (what a static host does, without the dev server's
// live-reload script or drafts), and runs Lighthouse 12 in headless Chromium on the home page,
// a story, "Take action" and the partners page, with the mobile and desktop presets. Prints
// the four category scores (0-100) per page and preset.
//
//   cd tests/lighthouse && npm ci --ignore-scripts && node run.mjs [options]
//
// Options:
//   --rally PATH     the rally binary (default: ../../target/debug/rally; run `cargo build`
//                    first)
//   --site DIR       the site folder (default: the repository root, the bundled site)
//   --port N         the port of the local server (default: 4390)
//   --chrome PATH    Chromium or Chrome (default: $CHROME_PATH or /usr/bin/chromium)
//   --preset P       mobile, desktop or both (default: both)
//   --min N          exit with status 1 if a score is below N (default: 0, never)
//   --json FILE      also write the scores as JSON
//   --report DIR     also write each full HTML report there
//
// See docs/performance.md.

import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");

function options(argv) {
  const o = {
    rally: path.join(repo, "target", "debug", "rally"),
    site: repo,
    port: 4390,
    chrome: process.env.CHROME_PATH || "/usr/bin/chromium",
    preset: "both",
    min: 0,
    json: null,
    report: null,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    const value = argv[i + 1];
    if (!(key in o) || value === undefined) {
      console.error(`unknown option or missing value: ${argv[i]} (see the top of run.mjs)`);
      process.exit(2);
    }
    o[key] = ["port", "min"].includes(key) ? Number(value) : value;
  }
  return o;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".xml": "application/xml",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// A static server over `root`, as a plain static host serves a rally build: `/x/` is
// `/x/index.html`, everything else is the file or `404.html`.
function serve(root, port) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    let file = path.join(root, path.normalize(rel));
    let status = 200;
    if (!file.startsWith(root) || !isFile(file)) {
      if (isFile(path.join(file, "index.html"))) {
        res.writeHead(301, { Location: `${rel}/` });
        return res.end();
      }
      file = path.join(root, "404.html");
      status = 404;
      if (!isFile(file)) {
        res.writeHead(404);
        return res.end("not found");
      }
    }
    res.writeHead(status, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Cache-Control": "max-age=3600",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

// The first story of the build that is not a list page.
function aStory(out) {
  const dir = path.join(out, "stories");
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "page" && isFile(path.join(dir, d.name, "index.html")))
    .map((d) => d.name)
    .sort();
  if (!names.length) throw new Error(`no story in ${dir}`);
  return `/stories/${names[0]}/`;
}

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

async function main() {
  const o = options(process.argv.slice(2));
  const out = mkdtempSync(path.join(os.tmpdir(), "rally-lighthouse-"));
  let server;
  let chrome;
  try {
    const built = spawnSync(o.rally, ["build", "--root", o.site, "--output", out, "--color=never"], {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (built.status !== 0) {
      throw new Error(`rally build failed (${o.rally}):\n${built.stderr || built.error}`);
    }
    server = await serve(out, o.port);
    const origin = `http://127.0.0.1:${o.port}`;
    const pages = [
      ["home", "/"],
      ["story", aStory(out)],
      ["take-action", "/take-action/"],
      ["partners", "/partners/"],
    ];
    chrome = await chromeLauncher.launch({
      chromePath: o.chrome,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const presets = o.preset === "both" ? ["mobile", "desktop"] : [o.preset];
    const rows = [];
    for (const preset of presets) {
      for (const [name, url] of pages) {
        const flags = { port: chrome.port, output: o.report ? "html" : "json", logLevel: "error", onlyCategories: CATEGORIES };
        const config = preset === "desktop" ? desktopConfig : undefined;
        const result = await lighthouse(origin + url, flags, config);
        const lhr = result.lhr;
        if (lhr.runtimeError) throw new Error(`${url} (${preset}): ${lhr.runtimeError.message}`);
        const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));
        const failing = CATEGORIES.flatMap((c) =>
          lhr.categories[c].auditRefs
            .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 0.9)
            .map((r) => `${c}: ${r.id} (${Math.round(lhr.audits[r.id].score * 100)})`),
        );
        rows.push({ page: name, url, preset, ...scores, failing });
        if (o.report) {
          mkdirSync(o.report, { recursive: true });
          writeFileSync(path.join(o.report, `${name}-${preset}.html`), result.report);
        }
      }
    }
    const head = ["page", "preset", "perf", "a11y", "best-pr.", "seo"];
    console.log(head.map((h, i) => (i < 2 ? h.padEnd(12) : h.padStart(9))).join(""));
    for (const r of rows) {
      console.log([r.page.padEnd(12), r.preset.padEnd(12), ...CATEGORIES.map((c) => String(r[c]).padStart(9))].join(""));
    }
    for (const r of rows.filter((r) => r.failing.length)) {
      console.log(`\n${r.page} (${r.preset}) ${r.url}, audits below 90:\n  ${r.failing.join("\n  ")}`);
    }
    if (o.json) writeFileSync(o.json, JSON.stringify(rows, null, 2) + "\n");
    const low = rows.filter((r) => CATEGORIES.some((c) => r[c] < o.min));
    if (low.length) {
      console.error(`\n${low.length} page(s) have a score below ${o.min}`);
      process.exitCode = 1;
    }
  } finally {
    if (chrome) await chrome.kill();
    if (server) server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});
