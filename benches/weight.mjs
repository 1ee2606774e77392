// Page weight: what a phone downloads to show one page of a built site. Serves the folder
// (tests/browser/lib.mjs's static server: no compression, as the worst static host), opens
// the page in headless Chromium at a phone's width and a desktop's, scrolls to the end (so
// lazy pictures load) and sums the bytes of every response, by kind.
//
//   node benches/weight.mjs PUBLIC_DIR /stories/x/
//
// Run by `cargo bench --bench images -- --weight` (docs/performance.md, "Photos").

import { launch, serveStatic } from "../tests/browser/lib.mjs";

const [root, page] = process.argv.slice(2);
const server = await serveStatic(root);
const browser = await launch();
const views = [
  ["phone 390 px, 3x", { width: 390, height: 844 }, 3],
  ["phone 390 px, 2x", { width: 390, height: 844 }, 2],
  ["desktop 1280 px, 1x", { width: 1280, height: 800 }, 1],
];
for (const [label, viewport, deviceScaleFactor] of views) {
  const context = await browser.newContext({ viewport, deviceScaleFactor, isMobile: viewport.width < 500 });
  const p = await context.newPage();
  const got = [];
  p.on("response", async (r) => {
    try {
      const body = await r.body();
      got.push([new URL(r.url()).pathname, r.headers()["content-type"] || "", body.length]);
    } catch {
      // A redirect has no body.
    }
  });
  await p.goto(server.url + page, { waitUntil: "load" });
  // Above the fold first, as a visitor sees it; then the whole page.
  await p.waitForTimeout(300);
  const first = got.reduce((s, [, , n]) => s + n, 0);
  await p.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  await p.waitForLoadState("networkidle");
  const byKind = {};
  let total = 0;
  for (const [, type, n] of got) {
    const kind = type.split(";")[0].split("/").pop() || "other";
    byKind[kind] = (byKind[kind] || 0) + n;
    total += n;
  }
  const kb = (n) => (n / 1024).toFixed(1) + " KiB";
  const pictures = got.filter(([, t]) => t.startsWith("image/")).map(([u, , n]) => `${u} (${kb(n)})`);
  console.log(`${label}: ${kb(first)} on opening, ${kb(total)} after scrolling to the end`);
  console.log(`  by kind: ${Object.entries(byKind).map(([k, n]) => `${k} ${kb(n)}`).join(", ")}`);
  console.log(`  pictures: ${pictures.join(", ") || "none"}`);
  await context.close();
}
await browser.close();
await server.close();
