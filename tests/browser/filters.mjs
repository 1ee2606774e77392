// The partner directory and resolutions timeline filters in headless Chromium, with and
// without JavaScript.
//
//   node filters.mjs SITE_DIR PARTNERS RESOLUTIONS [SEARCH]
//
// PARTNERS and RESOLUTIONS are how many of each the site has (counted from content/ by the
// caller); SEARCH is a partner name to type (default "unicef").
import { launch, serveStatic, Checks, run, until } from "./lib.mjs";

/// What the list shows: the visible items' data attributes and the live count's text.
async function state(page, listId) {
  return page.evaluate((listId) => {
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const list = document.getElementById(listId);
    const items = [...list.querySelectorAll("[data-item]")];
    const shown = items.filter(visible);
    const groups = [...list.querySelectorAll("[data-group]")];
    const form = document.querySelector(`form[data-filter="${listId}"]`);
    const count = form && form.querySelector("[data-count]");
    const empty = list.parentNode.querySelector("[data-empty]");
    return {
      total: items.length,
      shown: shown.map((i) => ({ ...i.dataset, link: (i.querySelector("a[href]") || {}).pathname })),
      // groups (headings) still visible although every item in them is hidden
      emptyGroupsShown: groups.filter((g) => visible(g) && !g.querySelector("[data-item]:not([hidden])")).length,
      groupsShown: groups.filter(visible).length,
      formShown: !!form && visible(form),
      // Without the invisible marks (U+2068, U+2069) that keep numbers in their order in
      // right-to-left text: what a reader sees.
      count: count ? count.textContent.replace(/[\u2068\u2069]/g, "").trim() : null,
      emptyShown: !!empty && visible(empty),
    };
  }, listId);
}

/// The `<option>`s of a select: value, label and the count in the label's "(n)".
async function options(page, sel) {
  return page.$$eval(`${sel} option`, (os) =>
    os.map((o) => ({ value: o.value, label: o.textContent.trim(), n: +((o.textContent.match(/\((\d+)\)\s*$/) || [])[1] || NaN) })),
  );
}

/// Waits until the live count reads `text` (the search box updates after a short pause).
async function countIs(page, listId, text) {
  try {
    await until(`count "${text}"`, async () => (await state(page, listId)).count === text, 3000, 50);
  } catch {
    /* reported by the caller's comparison */
  }
  return state(page, listId);
}

function few(list, n = 6) {
  return list.slice(0, n).join("; ") + (list.length > n ? `; ... (${list.length - n} more)` : "");
}

/// Picks the option with the most items that still narrows the list.
function narrowing(opts, total) {
  return opts.filter((o) => o.value && o.n > 0 && o.n < total).sort((a, b) => b.n - a.n)[0];
}

async function partners(browser, base, expected, search, checks) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + "/partners/");
  const L = "partner-list";
  const all = `Showing all ${expected} organisations.`;

  let s = await state(page, L);
  checks.ok(s.formShown, "partners: the filter form is shown when JavaScript runs");
  checks.eq(s.total, expected, "partners: cards in the directory");
  checks.eq(s.shown.length, expected, "partners: cards visible before filtering");
  checks.eq(s.count, all, "partners: live count before filtering");

  // Typing a name narrows the list to the matching cards.
  const before = s.count;
  await page.fill("#filter-name", search);
  s = await until("the search to apply", async () => {
    const st = await state(page, L);
    return st.count !== before ? st : null;
  }, 3000, 50).catch(() => state(page, L));
  checks.ok(s.shown.length >= 1 && s.shown.length < expected,
    `partners: searching "${search}" narrows the list (showing ${s.shown.length} of ${expected})`);
  const bad = s.shown.filter((i) => !(i.name || "").includes(search.toLowerCase()));
  checks.ok(!bad.length, `partners: searching "${search}" shows ${bad.length} cards that do not match: ${few(bad.map((i) => i.name))}`);
  checks.ok(s.shown.some((i) => (i.link || "").includes(search.toLowerCase())),
    `partners: searching "${search}" shows its card (visible: ${s.shown.map((i) => i.link).join(", ")})`);
  checks.eq(s.count, `Showing ${s.shown.length} of ${expected} organisations.`, `partners: live count after searching "${search}"`);
  checks.eq(s.emptyGroupsShown, 0, "partners: type headings with no matching card are hidden");
  checks.ok(!s.emptyShown, "partners: the 'no match' message stays hidden while cards match");

  // Clearing the box restores every card.
  await page.fill("#filter-name", "");
  s = await countIs(page, L, all);
  checks.eq(s.shown.length, expected, "partners: cards visible after clearing the search");
  checks.eq(s.count, all, "partners: live count after clearing the search");

  // A region narrows to exactly that region's cards, as many as its option says.
  const region = narrowing(await options(page, "#filter-region"), expected);
  if (checks.ok(!!region, "partners: a region option that narrows the list")) {
    await page.selectOption("#filter-region", region.value);
    s = await countIs(page, L, `Showing ${region.n} of ${expected} organisations.`);
    checks.eq(s.shown.length, region.n, `partners: cards visible for region "${region.label}"`);
    checks.ok(s.shown.every((i) => i.region === region.value),
      `partners: region "${region.value}" shows other regions: ${few(s.shown.filter((i) => i.region !== region.value).map((i) => `${i.name} (${i.region})`))}`);
    checks.eq(s.count, `Showing ${region.n} of ${expected} organisations.`, `partners: live count for region "${region.label}"`);
    checks.eq(s.emptyGroupsShown, 0, `partners: headings with no card in region "${region.label}" are hidden`);
  }

  // Nothing matches: the message appears, and its button clears the filters.
  await page.selectOption("#filter-region", "");
  await page.fill("#filter-name", "zzzz-no-such-partner");
  s = await countIs(page, L, `Showing 0 of ${expected} organisations.`);
  checks.eq(s.shown.length, 0, "partners: cards visible for a name that matches nothing");
  checks.ok(s.emptyShown, "partners: the 'no organisations match' message appears");
  checks.eq(s.groupsShown, 0, "partners: no empty type heading is left when nothing matches");
  await page.click("[data-empty] [data-reset]");
  s = await countIs(page, L, all);
  checks.eq(s.shown.length, expected, "partners: cards visible after 'Clear the filters'");
  checks.ok(!s.emptyShown, "partners: the 'no match' message goes after 'Clear the filters'");
  checks.eq(await page.inputValue("#filter-name"), "", "partners: 'Clear the filters' empties the search box");

  // The form's own Clear button.
  await page.fill("#filter-name", search);
  await until("the search to apply", async () => (await state(page, L)).shown.length < expected, 3000, 50).catch(() => {});
  await page.click('form[data-filter="partner-list"] button[type=reset]');
  s = await countIs(page, L, all);
  checks.eq(s.shown.length, expected, "partners: cards visible after the Clear button");

  for (const e of errors) checks.fail(`partners: JavaScript error: ${e}`);
  await page.context().close();
}

async function resolutions(browser, base, expected, checks) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + "/resolutions/");
  const L = "resolution-list";
  const all = `Showing all ${expected} documents.`;

  let s = await state(page, L);
  checks.ok(s.formShown, "resolutions: the filter form is shown when JavaScript runs");
  checks.eq(s.total, expected, "resolutions: items in the timeline");
  checks.eq(s.shown.length, expected, "resolutions: items visible before filtering");
  checks.eq(s.count, all, "resolutions: live count before filtering");

  const body = narrowing(await options(page, "#filter-body"), expected);
  if (checks.ok(!!body, "resolutions: a body option that narrows the list")) {
    await page.selectOption("#filter-body", body.value);
    s = await countIs(page, L, `Showing ${body.n} of ${expected} documents.`);
    checks.eq(s.shown.length, body.n, `resolutions: items visible for body "${body.label}"`);
    checks.ok(s.shown.every((i) => i.body === body.value),
      `resolutions: body "${body.value}" shows items of other bodies: ${few(s.shown.filter((i) => i.body !== body.value).map((i) => i.link))}`);
    checks.eq(s.count, `Showing ${body.n} of ${expected} documents.`, `resolutions: live count for body "${body.label}"`);
    checks.eq(s.emptyGroupsShown, 0, `resolutions: years with no item of "${body.label}" are hidden`);

    // Body and kind together: the intersection.
    const kinds = await options(page, "#filter-kind");
    const pairs = kinds.filter((k) => k.value).map((k) => ({ k, n: s.shown.filter((i) => i.kind === k.value).length }));
    const pair = pairs.filter((p) => p.n > 0 && p.n < body.n)[0] || pairs.filter((p) => p.n > 0)[0];
    if (pair) {
      await page.selectOption("#filter-kind", pair.k.value);
      s = await countIs(page, L, `Showing ${pair.n} of ${expected} documents.`);
      checks.eq(s.shown.length, pair.n, `resolutions: items for "${body.label}" and "${pair.k.label}"`);
      checks.ok(s.shown.every((i) => i.body === body.value && i.kind === pair.k.value),
        `resolutions: "${body.label}" + "${pair.k.label}" shows other items`);
    }

    await page.click('form[data-filter="resolution-list"] button[type=reset]');
    s = await countIs(page, L, all);
    checks.eq(s.shown.length, expected, "resolutions: items visible after 'Show all'");
    checks.eq(s.count, all, "resolutions: live count after 'Show all'");
  }
  for (const e of errors) checks.fail(`resolutions: JavaScript error: ${e}`);
  await page.context().close();
}

/// Without JavaScript every card and item is there and visible, and the (JS-only) filter
/// form is not shown.
async function noScript(browser, base, expectedPartners, expectedResolutions, checks) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const [path, list, expected, what] of [
    ["/partners/", "partner-list", expectedPartners, "partner cards"],
    ["/resolutions/", "resolution-list", expectedResolutions, "resolutions"],
  ]) {
    await page.goto(base + path);
    const s = await state(page, list);
    checks.eq(s.total, expected, `no JavaScript: ${what} on ${path}`);
    checks.eq(s.shown.length, expected, `no JavaScript: ${what} visible on ${path}`);
    checks.ok(!s.formShown, `no JavaScript: the filter form on ${path} is hidden (it needs JavaScript)`);
    checks.ok(!s.emptyShown, `no JavaScript: the 'no match' message on ${path} is hidden`);
  }
  await context.close();
}

run(async () => {
  const [siteDir, p, r, search = "unicef"] = process.argv.slice(2);
  const expectedPartners = Number(p);
  const expectedResolutions = Number(r);
  if (!siteDir || !(expectedPartners > 0) || !(expectedResolutions > 0)) {
    throw new Error("usage: node filters.mjs SITE_DIR PARTNERS RESOLUTIONS [SEARCH]");
  }
  const checks = new Checks("filters");
  const server = await serveStatic(siteDir);
  const browser = await launch();
  try {
    await partners(browser, server.url, expectedPartners, search, checks);
    await resolutions(browser, server.url, expectedResolutions, checks);
    await noScript(browser, server.url, expectedPartners, expectedResolutions, checks);
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
