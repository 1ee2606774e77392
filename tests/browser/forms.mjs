// Submits the endorse and sign-up forms of a built fixture site with JavaScript off, to a
// same-site endpoint (`/submit/`) served here: the endpoint records each POST and answers
// 303 to the thank-you page, which the browser must then show. Prints the bodies received.
// Usage: node forms.mjs <public-folder>
import { launch, serveStatic, Checks, run } from "./lib.mjs";
import http from "node:http";

run(async () => {
  const root = process.argv[2];
  const site = await serveStatic(root);
  const received = [];
  // In front of the static server: POST /submit/ is the endpoint, everything else is the site.
  const front = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/submit/") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push(Object.fromEntries(new URLSearchParams(body)));
        res.writeHead(303, { Location: "/thanks/" });
        res.end();
      });
      return;
    }
    const up = http.request(site.url + req.url, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise((r) => front.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${front.address().port}`;
  const checks = new Checks("forms");
  const browser = await launch();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const fill = { organisation: "Org \"A\" <b>", name: "Ana", email: "ana@example.org", country: "Chile", message: "We join." };
    for (const [kind, fields] of [["endorse", ["organisation", "name", "email", "country", "message"]], ["signup", ["name", "email"]]]) {
      await page.goto(`${base}/act/`);
      const form = page.locator(`form[id^="${kind}-"]`);
      for (const f of fields) await form.locator(`[name="${f}"]`).fill(fill[f]);
      await Promise.all([page.waitForURL(`${base}/thanks/`), form.locator('button[type="submit"]').click()]);
      checks.ok((await page.textContent("h1"))?.includes("Thank you"), `${kind}: the thank-you page is shown`);
      const got = received.at(-1) || {};
      for (const f of fields) checks.eq(got[f], fill[f], `${kind}: field ${f} received`);
      checks.eq(got._gotcha, "", `${kind}: honeypot received empty`);
      checks.ok(!!got._next && got._next.endsWith("/thanks/"), `${kind}: _next names the thank-you page (${got._next})`);
    }
    console.log(JSON.stringify(received));
  } finally {
    await browser.close();
    front.close();
    await site.close();
  }
  checks.report();
});
