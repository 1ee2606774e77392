// Right-to-left layout of the campaign theme in headless Chromium, on the Arabic story page and
// its English original, at 390 and 1280 px:
//  - the Arabic page is <html dir="rtl">; the header's brand starts at the right edge of the
//    header (at the left in English), the menu runs from right to left after it, the search
//    box ends the row at the left, and on narrow screens the opened menu's first item starts
//    on the right;
//  - nothing overflows sideways (nor can the page be scrolled sideways);
//  - document symbols (A/RES/69/187) keep `direction: ltr` inside the Arabic text;
//  - arrows that point along the line are turned round;
//  - the page mirrors as a whole: set the same page left to right, and every box of it lands
//    where its mirror image was, with left and right margins, paddings, borders, insets and
//    alignments swapped (what catches a stray `margin-left` or `text-align: right` anywhere).
//
//   node rtl.mjs SITE_DIR [ARABIC_PAGE_PATH]
import { launch, serveStatic, Checks, run } from "./lib.mjs";

/// The Arabic translation of a story that cites a document with a symbol and has a newer story.
const AR_PATH = "/ar/stories/campaign-launch-human-rights-council-2012/";
/// Its English original: the same path without the language prefix.
const enPath = (ar) => ar.replace(/^\/ar\//, "/");

const WIDTHS = [390, 1280];
/// How far, in CSS pixels, an edge may be from where it should be.
const NEAR = 2;
/// Boxes laid out left to right on purpose, left out of the mirror comparison: the play symbol
/// of a video points the way the video runs, in every language.
const KEEP_PHYSICAL = [".embed-video__play"];

/// The header: brand, menu items (1280 px) or the opened menu's first item and the menu
/// button (390 px), and the header's content box.
async function header(page, width) {
  if (width < 768) {
    const toggle = page.locator(".nav-toggle");
    await toggle.waitFor({ state: "visible" });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await page.locator("#site-menu").waitFor({ state: "visible" });
  }
  return page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, width: r.width };
    };
    const inner = document.querySelector(".header-inner");
    const s = getComputedStyle(inner);
    const ir = inner.getBoundingClientRect();
    const links = [...document.querySelectorAll("#site-menu > li > a")];
    // Where the first item's words are, not its box (a block as wide as the menu when folded).
    const range = document.createRange();
    range.selectNodeContents(links[0]);
    const text = range.getBoundingClientRect();
    const toggle = document.querySelector(".nav-toggle");
    const search = document.querySelector(".header-search");
    return {
      W: document.documentElement.clientWidth,
      start: ir.left + parseFloat(s.paddingLeft),
      end: ir.right - parseFloat(s.paddingRight),
      brand: box(document.querySelector(".brand")),
      items: links.map(box),
      firstText: { left: text.left, right: text.right },
      menu: box(document.querySelector("#site-menu")),
      toggle: toggle && toggle.getClientRects().length ? box(toggle) : null,
      search: search ? box(search) : null,
    };
  });
}

function checkHeader(h, rtl, where, checks) {
  const near = (a, b) => Math.abs(a - b) <= NEAR;
  const px = (v) => Math.round(v * 10) / 10;
  if (rtl) {
    checks.ok(
      near(h.brand.right, h.end) && h.brand.right > h.W / 2,
      `${where}: the brand should start at the header's right edge (${px(h.end)}), its right edge is at ${px(h.brand.right)}`,
    );
  } else {
    checks.ok(
      near(h.brand.left, h.start) && h.brand.left < h.W / 2,
      `${where}: the brand should start at the header's left edge (${px(h.start)}), its left edge is at ${px(h.brand.left)}`,
    );
  }
  // The search box ends the header row; the menu (or its button) comes just before it.
  const ending = h.search || h.toggle || h.items[h.items.length - 1];
  checks.ok(
    rtl ? near(ending.left, h.start) : near(ending.right, h.end),
    `${where}: the search box should be at the header's ${rtl ? "left" : "right"} edge (${px(rtl ? h.start : h.end)}), it spans ${px(ending.left)}..${px(ending.right)}`,
  );
  const before = (b) =>
    h.search ? (rtl ? b.left >= h.search.right && b.left - h.search.right < 48 : b.right <= h.search.left && h.search.left - b.right < 48) : true;
  if (h.toggle) {
    // 390 px: the menu button comes just before the search button; the opened menu's first
    // item starts on the reading side.
    checks.ok(
      before(h.toggle),
      `${where}: the menu button should come just before the search box, it spans ${px(h.toggle.left)}..${px(h.toggle.right)}`,
    );
    checks.ok(
      rtl
        ? h.firstText.right > h.W / 2 && h.W - h.firstText.right < 48
        : h.firstText.left < h.W / 2 && h.firstText.left < 48,
      `${where}: the first menu item should start at the ${rtl ? "right" : "left"}, its words span ${px(h.firstText.left)}..${px(h.firstText.right)} of ${h.W}`,
    );
  } else {
    // 1280 px: the menu follows the brand, item after item in reading order, and ends at the
    // header's other edge.
    const [first, last] = [h.items[0], h.items[h.items.length - 1]];
    checks.ok(
      rtl ? first.right <= h.brand.left && near(first.right, h.menu.right) : first.left >= h.brand.right && near(first.left, h.menu.left),
      `${where}: the first menu item should come right after the brand on its ${rtl ? "left" : "right"} (item ${px(first.left)}..${px(first.right)}, brand ${px(h.brand.left)}..${px(h.brand.right)})`,
    );
    const order = h.items.every((it, i) => i === 0 || (rtl ? it.right <= h.items[i - 1].left + 0.5 : it.left >= h.items[i - 1].right - 0.5));
    checks.ok(order, `${where}: the menu items should run ${rtl ? "right to left" : "left to right"}: ${h.items.map((b) => px(b.left)).join(", ")}`);
    checks.ok(
      before(last),
      `${where}: the last menu item should end just before the search box, it spans ${px(last.left)}..${px(last.right)}`,
    );
  }
}

/// Sideways overflow, document symbols and the direction of the arrows.
async function details(page) {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    window.scrollTo(-10000, 0);
    const scrollLeft = window.scrollX;
    window.scrollTo(10000, 0);
    const scrollRight = window.scrollX;
    window.scrollTo(0, 0);
    const symbols = [...document.querySelectorAll(".symbol, .ref-symbol")].map((el) => ({
      text: el.textContent.trim(),
      direction: getComputedStyle(el).direction,
    }));
    const arrows = [...document.querySelectorAll(
        ":is(.pn-label, .back-link, .more-link, .pagination-step) [aria-hidden='true'], .button > [aria-hidden='true']",
      )].map(
      (el) => ({ text: el.textContent, transform: getComputedStyle(el).transform }),
    );
    return {
      html: { lang: document.documentElement.lang, dir: document.documentElement.dir, direction: getComputedStyle(document.documentElement).direction },
      W,
      scrollWidth,
      scrollLeft,
      scrollRight,
      symbols,
      arrows,
    };
  });
}

/// Every box of the page and the sided properties of it and of its ::before and ::after.
/// Boxes inside an element with its own `dir` (symbols, addresses) keep their direction in
/// both layouts and are left out; so are inline boxes, which bidi reorders.
async function layout(page, keep) {
  return page.evaluate((keep) => {
    const SIDED = [
      ["margin-left", "margin-right"],
      ["padding-left", "padding-right"],
      ["border-left-width", "border-right-width"],
      ["border-left-style", "border-right-style"],
      ["border-left-color", "border-right-color"],
      ["border-top-left-radius", "border-top-right-radius"],
      ["border-bottom-left-radius", "border-bottom-right-radius"],
      ["left", "right"],
    ];
    const ALIGN = ["text-align", "float", "clear"];
    const sided = (s) => {
      const out = {};
      for (const [a, b] of SIDED) {
        out[a] = s.getPropertyValue(a);
        out[b] = s.getPropertyValue(b);
      }
      if (s.position === "static") {
        delete out.left;
        delete out.right;
      }
      for (const p of ALIGN) out[p] = s.getPropertyValue(p);
      return out;
    };
    const name = (el) => {
      let n = el.tagName.toLowerCase();
      if (el.id) n += "#" + el.id;
      else if (el.classList.length) n += "." + [...el.classList].join(".");
      const p = el.parentElement;
      return p && p !== document.body ? name(p) + " > " + n : n;
    };
    const root = document.documentElement;
    const out = [];
    let i = 0;
    for (const el of document.body.querySelectorAll("*")) {
      i++;
      if (!(el instanceof HTMLElement)) continue;
      const own = el.closest("[dir]");
      if (own && own !== root) continue;
      if (keep.some((sel) => el.closest(sel))) continue;
      const s = getComputedStyle(el);
      if (s.display === "none" || s.display === "contents" || s.display === "inline") continue;
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const entry = { i, display: s.display, name: name(el), left: r.left, right: r.right, width: r.width, top: r.top, style: sided(s) };
      for (const pseudo of ["::before", "::after"]) {
        const ps = getComputedStyle(el, pseudo);
        if (ps.content !== "none" && ps.content !== "normal" && ps.display !== "none") entry[pseudo] = sided(ps);
      }
      out.push(entry);
    }
    return { W: root.clientWidth, boxes: out };
  }, keep);
}

/// The mirror image of a left-to-right box's sided properties.
function mirrored(style) {
  const out = { ...style };
  const swap = (a, b) => {
    if (a in style || b in style) [out[a], out[b]] = [style[b], style[a]];
  };
  swap("margin-left", "margin-right");
  swap("padding-left", "padding-right");
  swap("border-left-width", "border-right-width");
  swap("border-left-style", "border-right-style");
  swap("border-left-color", "border-right-color");
  swap("border-top-left-radius", "border-top-right-radius");
  swap("border-bottom-left-radius", "border-bottom-right-radius");
  swap("left", "right");
  const flip = { left: "right", right: "left" };
  for (const p of ["text-align", "float", "clear"]) if (style[p] in flip) out[p] = flip[style[p]];
  return out;
}

/// The Arabic page, then the same page set left to right: each box must be the other's mirror
/// image. Reports the first few boxes that are not, with what differs.
async function checkMirror(page, where, checks) {
  const rtl = await layout(page, KEEP_PHYSICAL);
  await page.evaluate(() => {
    document.documentElement.dir = "ltr";
  });
  const ltr = await layout(page, KEEP_PHYSICAL);
  await page.evaluate(() => {
    document.documentElement.dir = "rtl";
  });
  // Boxes that are laid out alike both ways (an arrow turned round is a box only right to left).
  const byIndex = new Map(ltr.boxes.map((b) => [b.i, b]));
  const pairs = rtl.boxes.filter((r) => byIndex.get(r.i)?.display === r.display).map((r) => [r, byIndex.get(r.i)]);
  if (!checks.ok(pairs.length > 50, `${where}: only ${pairs.length} boxes to compare`)) return;
  const W = rtl.W;
  const wrong = [];
  for (const [r, l] of pairs) {
    const problems = [];
    {
      if (Math.abs(r.width - l.width) > 1 || Math.abs(r.left - (W - l.right)) > 1 || Math.abs(r.top - l.top) > 1) {
        problems.push(`box at ${Math.round(r.left)}..${Math.round(r.right)} (top ${Math.round(r.top)}), mirror of ${Math.round(W - l.right)}..${Math.round(W - l.left)} (top ${Math.round(l.top)}) expected`);
      }
      for (const part of ["style", "::before", "::after"]) {
        if (!(part in r) && !(part in l)) continue;
        if (!(part in r) || !(part in l)) {
          problems.push(`${part} shown in one direction only`);
          continue;
        }
        const want = mirrored(l[part]);
        for (const p of Object.keys(want)) {
          if (want[p] !== r[part][p]) problems.push(`${part === "style" ? "" : part + " "}${p}: ${r[part][p]}, mirror of left to right: ${want[p]}`);
        }
      }
    }
    if (problems.length) wrong.push(`${r.name}: ${problems.join("; ")}`);
  }
  checks.ok(!wrong.length, `${where}: ${wrong.length} box(es) do not mirror, e.g.\n    ${wrong.slice(0, 8).join("\n    ")}`);
}

async function checkPage(browser, base, path, rtl, checks) {
  for (const width of WIDTHS) {
    const where = `${path} @${width}px`;
    const context = await browser.newContext({ viewport: { width, height: 900 }, reducedMotion: "reduce" });
    const page = await context.newPage();
    const response = await page.goto(base + path);
    if (!checks.ok(response && response.ok(), `${where}: not found (status ${response && response.status()})`)) {
      await context.close();
      continue;
    }
    await page.evaluate(() => document.fonts.ready);

    const d = await details(page);
    if (rtl) {
      checks.eq(d.html, { lang: "ar", dir: "rtl", direction: "rtl" }, `${where}: <html> lang, dir and direction`);
    } else {
      checks.eq(d.html.direction, "ltr", `${where}: <html> direction`);
    }
    checks.ok(d.scrollWidth <= d.W, `${where}: the page is ${d.scrollWidth} px wide in a ${d.W} px window (horizontal overflow)`);
    checks.ok(d.scrollLeft === 0 && d.scrollRight === 0, `${where}: the page scrolls sideways (to ${d.scrollLeft} and ${d.scrollRight})`);
    checks.ok(d.symbols.length > 0, `${where}: no document symbol (.symbol, .ref-symbol) on the page to check`);
    for (const s of d.symbols) checks.eq(s.direction, "ltr", `${where}: direction of the symbol ${s.text}`);
    checks.ok(d.arrows.length > 0, `${where}: no arrow (older/newer story, back, more) on the page to check`);
    for (const a of d.arrows) {
      const turned = /^matrix\(-1, 0, 0, 1,/.test(a.transform);
      checks.ok(turned === rtl, `${where}: the arrow ${a.text} should ${rtl ? "be turned round (transform: scaleX(-1))" : "not be turned"}, its transform is ${a.transform}`);
    }
    if (rtl) await checkMirror(page, where, checks);
    checkHeader(await header(page, width), rtl, where, checks);
    await context.close();
  }
}

run(async () => {
  const [root, arPath = AR_PATH] = process.argv.slice(2);
  if (!root) throw new Error("usage: node rtl.mjs SITE_DIR [ARABIC_PAGE_PATH]");
  const server = await serveStatic(root);
  const browser = await launch();
  const checks = new Checks("rtl");
  try {
    await checkPage(browser, server.url, arPath, true, checks);
    await checkPage(browser, server.url, enPath(arPath), false, checks);
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
