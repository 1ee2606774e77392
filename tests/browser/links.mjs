// Every link inside a built site resolves: each href/src/srcset/poster/action of every HTML
// page, each url() of every CSS file, each <loc>/href/id of the XML files (sitemap, feeds,
// and the links inside feed entries), each address in the JSON Feeds and open data (JSON
// and CSV), robots.txt's sitemaps, both ends of each `_redirects` rule and each path of
// `_headers` that points inside the site must name an existing file (`/x/` → x/index.html)
// under the base path, and each `#fragment` must match an id (or <a name>) in the target
// page. No browser, no packages.
//
//   node links.mjs SITE_DIR [--base-url URL]
//
// With --base-url, absolute links to that address (canonical links, sitemap, feed, social
// images) are checked too. Prints every broken link; exits 1 if there is one.
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const root = path.resolve(args[0] || "");
const baseIdx = args.indexOf("--base-url");
const base = baseIdx > 0 ? new URL(args[baseIdx + 1]) : null;
const basePath = base ? base.pathname.replace(/\/?$/, "/") : "/";
if (!args[0] || !fs.existsSync(path.join(root, "index.html"))) {
  console.log(`ERROR usage: node links.mjs SITE_DIR [--base-url URL] (no index.html in ${root})`);
  process.exit(2);
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/// The start tags of an HTML document as {name, attrs, line}, skipping comments and the
/// contents of script, style and textarea elements.
function tags(html) {
  const out = [];
  const re = /<!--[\s\S]*?-->|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  const attrRe = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  let m;
  while ((m = re.exec(html))) {
    if (!m[1]) continue;
    const name = m[1].toLowerCase();
    const attrs = {};
    let a;
    while ((a = attrRe.exec(m[2] || ""))) {
      const k = a[1].toLowerCase();
      if (!(k in attrs)) attrs[k] = decode(a[2] ?? a[3] ?? a[4] ?? "");
    }
    out.push({ name, attrs, index: m.index });
    if (name === "script" || name === "style" || name === "textarea") {
      const end = html.toLowerCase().indexOf(`</${name}`, re.lastIndex);
      re.lastIndex = end < 0 ? html.length : end;
    }
  }
  return out;
}

function lineOf(text, index) {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const files = walk(root);
const rel = (f) => path.relative(root, f).split(path.sep).join("/");
const texts = new Map();
const idsCache = new Map();

function idsOf(file) {
  if (!idsCache.has(file)) {
    const ids = new Set();
    for (const t of tags(fs.readFileSync(file, "utf8"))) {
      if (t.attrs.id) ids.add(t.attrs.id);
      if (t.name === "a" && t.attrs.name) ids.add(t.attrs.name);
    }
    idsCache.set(file, ids);
  }
  return idsCache.get(file);
}

/// The file a site path (after the base path) names, or null.
function target(sitePath) {
  let p;
  try {
    p = decodeURIComponent(sitePath);
  } catch {
    return { error: "not valid percent-encoding" };
  }
  const file = path.join(root, path.normalize("/" + p));
  if (!file.startsWith(root)) return { error: "leaves the site" };
  const exists = (f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  };
  if (p === "" || p.endsWith("/")) {
    const index = path.join(file, "index.html");
    return exists(index) ? { file: index } : { error: `no ${rel(index)}` };
  }
  if (exists(file)) return { file };
  if (exists(path.join(file, "index.html"))) return { file: path.join(file, "index.html"), note: "folder without a trailing slash" };
  return { error: `no ${rel(file)}` };
}

const broken = [];
let checked = 0;
let fragments = 0;

/// Checks one reference `ref` found in `from` (a file of the site).
function check(from, ref, where) {
  ref = ref.trim();
  if (!ref) return;
  let url;
  const fromUrl = new URL("http://site.invalid" + basePath + rel(from));
  try {
    url = new URL(ref, fromUrl);
  } catch {
    broken.push(`${where}: ${JSON.stringify(ref)} is not a valid URL`);
    return;
  }
  let internal = url.host === "site.invalid" && url.protocol === "http:";
  if (!internal && base && url.protocol === base.protocol && url.host === base.host) internal = true;
  if (!internal) return; // mailto:, tel:, data:, other sites
  checked++;
  if (!url.pathname.startsWith(basePath)) {
    broken.push(`${where}: ${JSON.stringify(ref)} is outside the site's base path ${basePath}`);
    return;
  }
  const sitePath = url.pathname.slice(basePath.length);
  const t = target(sitePath);
  if (t.error) {
    broken.push(`${where}: ${JSON.stringify(ref)} → ${t.error}`);
    return;
  }
  if (url.hash && url.hash !== "#" && t.file.endsWith(".html")) {
    fragments++;
    let frag;
    try {
      frag = decodeURIComponent(url.hash.slice(1));
    } catch {
      frag = url.hash.slice(1);
    }
    if (!idsOf(t.file).has(frag) && frag.toLowerCase() !== "top") {
      broken.push(`${where}: ${JSON.stringify(ref)} → no id="${frag}" in ${rel(t.file)}`);
    }
  }
}

const URL_ATTRS = ["href", "src", "poster", "action", "data", "cite", "formaction"];
let pages = 0;

for (const file of files) {
  const name = rel(file);
  if (file.endsWith(".html")) {
    pages++;
    const html = fs.readFileSync(file, "utf8");
    texts.set(file, html);
    for (const t of tags(html)) {
      const where = () => `${name}:${lineOf(html, t.index)} <${t.name}>`;
      for (const a of URL_ATTRS) if (a in t.attrs) check(file, t.attrs[a], `${where()} ${a}`);
      for (const a of ["srcset", "imagesrcset"]) {
        if (a in t.attrs) {
          for (const part of t.attrs[a].split(",")) {
            const u = part.trim().split(/\s+/)[0];
            if (u) check(file, u, `${where()} ${a}`);
          }
        }
      }
      if (t.name === "meta" && t.attrs.content && /(^|:)(image|url)$/i.test(t.attrs.property || t.attrs.name || "")) {
        const c = t.attrs.content;
        if (/^(\/|https?:)/.test(c)) check(file, c, `${where()} content`);
      }
    }
  } else if (file.endsWith(".css")) {
    const css = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
    for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g)) {
      const u = m[1] ?? m[2] ?? m[3];
      if (u && !u.startsWith("#")) check(file, u, `${name}:${lineOf(css, m.index)} url()`);
    }
    for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/g)) check(file, m[1] ?? m[2], `${name}:${lineOf(css, m.index)} @import`);
  } else if (file.endsWith(".xml") && base) {
    const xml = fs.readFileSync(file, "utf8");
    for (const m of xml.matchAll(/<loc>([^<]*)<\/loc>|<link\b[^>]*\bhref="([^"]*)"|<(?:icon|logo|id)>([^<]*)</g)) {
      const u = decode((m[1] ?? m[2] ?? m[3]).trim());
      if (u.startsWith(base.origin)) check(file, u, `${name}:${lineOf(xml, m.index)}`);
    }
    // A feed's entries: the links and pictures of their HTML content (escaped in the XML).
    for (const m of xml.matchAll(/<content type="html">([^<]*)<\/content>/g)) {
      for (const t of tags(decode(m[1]))) {
        for (const a of ["href", "src"]) if (a in t.attrs) check(file, t.attrs[a], `${name}:${lineOf(xml, m.index)} content <${t.name}> ${a}`);
      }
    }
  } else if (file.endsWith(".json") && base && !name.startsWith("pagefind/")) {
    // JSON Feeds and open data: every string that is an address of the site, and the links
    // of HTML content.
    const visit = (v, where) => {
      if (typeof v === "string") {
        if (v.startsWith(base.origin) || (v.startsWith("/") && !v.startsWith("//"))) check(file, v, where);
        else if (/<(a|img)\b/.test(v)) {
          for (const t of tags(v)) for (const a of ["href", "src"]) if (a in t.attrs) check(file, t.attrs[a], `${where} <${t.name}> ${a}`);
        }
      } else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) visit(x, `${where}.${k}`);
      }
    };
    visit(JSON.parse(fs.readFileSync(file, "utf8")), name);
  } else if (file.endsWith(".csv") && base) {
    const csv = fs.readFileSync(file, "utf8");
    for (const m of csv.matchAll(new RegExp(base.origin.replace(/[.]/g, "\\.") + "[^,\"\\r\\n]*", "g"))) check(file, m[0], `${name}:${lineOf(csv, m.index)}`);
  } else if (name === "robots.txt" && base) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/^Sitemap:\s*(\S+)/gim)) check(file, m[1], `${name} Sitemap`);
  } else if (name === "_redirects") {
    // Netlify's and Cloudflare's format: from to status; both ends inside the site.
    for (const [i, line] of fs.readFileSync(file, "utf8").split("\n").entries()) {
      const f = line.trim().split(/\s+/);
      if (!line.trim() || line.trim().startsWith("#")) continue;
      if (f.length !== 3) broken.push(`${name}:${i + 1}: not "from to status": ${JSON.stringify(line)}`);
      for (const u of f.slice(0, 2)) check(file, u, `${name}:${i + 1}`);
    }
  } else if (name === "_headers") {
    for (const [i, line] of fs.readFileSync(file, "utf8").split("\n").entries()) {
      if (!line.trim() || line.trim().startsWith("#") || /^\s/.test(line)) continue;
      checked++;
      if (!line.startsWith(basePath)) broken.push(`${name}:${i + 1}: ${JSON.stringify(line)} is outside the site's base path ${basePath}`);
      else if (!line.includes("*")) check(file, line.trim(), `${name}:${i + 1}`);
    }
  }
}

for (const b of broken) console.log(`BROKEN ${b}`);
console.log(`links: ${pages} pages, ${checked} internal links (${fragments} with a #fragment), ${broken.length} broken`);
process.exitCode = broken.length ? 1 : 0;
