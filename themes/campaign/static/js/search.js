// campaign theme: the search page. Searches the index rally builds with Pagefind (one per
// language, chosen by <html lang>) as the visitor types; results are links, reached with Tab
// or the arrow keys. Without JavaScript the page lists the sections instead.
const form = document.querySelector("form[data-search-bundle]");
const input = form && form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const more = document.querySelector("[data-search-more]");
const fallback = document.querySelector("[data-search-fallback]");
const PER_PAGE = 10;

let pagefind = null;
// Identifier → the entries it names ("ares69187" → the resolution A/RES/69/187).
let names = {};
let results = [];
let shown = 0;
let latest = 0;

function say(template, query, count) {
  status.textContent = (template || "").replace("{query}", query).replace("{count}", String(count));
}

// Pagefind marks the matched words with <mark>; the excerpt is parsed inertly (a <template>
// runs nothing and loads nothing) and only its text and marks are kept.
function excerpt(html) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  const t = document.createElement("template");
  t.innerHTML = html;
  t.content.childNodes.forEach(function (n) {
    if (n.nodeType === Node.ELEMENT_NODE && n.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = n.textContent;
      p.append(m);
    } else {
      p.append(document.createTextNode(n.textContent || ""));
    }
  });
  return p;
}

// As rally writes the names' keys: letters and digits only, lower case.
function nameKey(q) {
  return Array.from(q.toLowerCase()).filter(function (c) { return /[\p{L}\p{N}]/u.test(c); }).join("");
}

function item(data) {
  const li = document.createElement("li");
  const meta = data.meta || {};
  const kind = document.createElement("p");
  kind.className = "search-kind";
  kind.textContent = meta.kind || "";
  if (meta.detail) {
    const d = document.createElement("span");
    d.dir = "auto";
    d.textContent = meta.detail;
    kind.append(" · ", d);
  }
  const h = document.createElement("h2");
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = meta.title || data.url;
  h.append(a);
  li.append(kind, h, excerpt(data.excerpt || ""));
  return li;
}

// The entries the query names exactly (by symbol or acronym), shown first; Pagefind's own
// result for such an entry, when it comes, only lends it its excerpt.
let pinned = new Map();

async function showMore(ticket) {
  const next = results.slice(shown, shown + PER_PAGE);
  const data = await Promise.all(next.map(function (r) { return r.data(); }));
  if (ticket !== latest) return;
  data.forEach(function (d) {
    const li = pinned.get(d.url);
    if (li) {
      li.querySelector(".search-excerpt").replaceWith(excerpt(d.excerpt || ""));
    } else {
      list.append(item(d));
    }
  });
  shown += next.length;
  more.hidden = shown >= results.length;
}

async function run(query, ticket) {
  const q = query.trim();
  const url = new URL(location.href);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!q) {
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    return;
  }
  const search = await pagefind.search(q);
  if (ticket !== latest || !search) return;
  results = search.results;
  shown = 0;
  list.replaceChildren();
  pinned = new Map();
  (names[nameKey(q)] || []).forEach(function (n) {
    const li = item({ url: n.url, excerpt: "", meta: n });
    pinned.set(n.url, li);
    list.append(li);
  });
  await showMore(ticket);
  if (ticket !== latest) return;
  const count = Math.max(results.length, pinned.size);
  say(count ? form.dataset.results : form.dataset.none, q, count);
}

let timer;
function schedule(delay) {
  clearTimeout(timer);
  const ticket = ++latest;
  timer = setTimeout(function () {
    run(input.value, ticket).catch(failed);
  }, delay);
}

function failed(e) {
  status.textContent = form.dataset.failed || "";
  fallback.classList.add("is-shown");
  console.error(e);
}

// Down from the field goes to the first result; up and down move between results.
function arrows(e) {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  const links = Array.prototype.slice.call(list.querySelectorAll("h2 a"));
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  let next;
  if (e.target === input) {
    if (e.key !== "ArrowDown") return;
    next = links[0];
  } else if (at !== -1) {
    next = e.key === "ArrowDown" ? links[at + 1] : at === 0 ? input : links[at - 1];
  }
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

async function start() {
  const q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  status.textContent = form.dataset.loading || "";
  const bundle = form.dataset.searchBundle;
  const lang = (document.documentElement.lang || "").toLowerCase();
  const loadNames = fetch(bundle + "names." + lang + ".json")
    .then(function (r) { return r.ok ? r.json() : {}; })
    .catch(function () { return {}; });
  pagefind = await import(bundle + "pagefind.js");
  // Result addresses are indexed with the site's base path already.
  await pagefind.options({ baseUrl: "/", excerptLength: 24 });
  await pagefind.init();
  names = await loadNames;
  status.textContent = "";
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    schedule(0);
  });
  input.addEventListener("input", function () { schedule(120); });
  document.addEventListener("keydown", arrows);
  more.addEventListener("click", function () {
    const first = list.children.length;
    showMore(latest).then(function () {
      const link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    }).catch(failed);
  });
  if (q) schedule(0);
  else input.focus();
}

if (form && input && status && list && more && fallback) {
  start().catch(failed);
}
