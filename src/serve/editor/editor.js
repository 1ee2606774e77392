// rally's content editor: lists the content files, opens one as a form, saves the changed
// fields only, keeps unsaved work in this browser, and never overwrites a file that changed
// on disk since it was opened. Served by `rally serve` only.
"use strict";
(() => {
  const token = document.querySelector('meta[name="rally-token"]').content;
  const $ = (id) => document.getElementById(id);
  const api = (path, init = {}) =>
    fetch("/__rally/edit/api/" + path, {
      ...init,
      headers: { "X-Rally-Editor": token, ...(init.headers || {}) },
    }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => ({})) }));

  // The open file: its path, version, fields as opened, and how each is edited.
  let file = null;
  const draftKey = (path) => "rally-draft:" + path;

  function notice(text, error = false) {
    const n = $("notice");
    n.textContent = text;
    n.classList.toggle("error", error);
  }

  // --- The file list -------------------------------------------------------------------
  async function loadFiles() {
    const r = await api("files");
    const list = $("file-list");
    list.textContent = "";
    let folder = null;
    // The site's own pages and lists first, then each collection's folder.
    const depth = (p) => (p.split("/").length > 2 ? 1 : 0);
    const files = (r.body.files || []).slice().sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const path of files) {
      const dir = path.split("/").slice(1, -1)[0] || "pages and lists";
      if (dir !== folder) {
        folder = dir;
        const li = document.createElement("li");
        li.className = "folder";
        li.textContent = dir;
        list.append(li);
      }
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "?path=" + encodeURIComponent(path);
      a.textContent = path.replace(/^content\//, "");
      a.dataset.path = path;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        history.pushState(null, "", a.href);
        openFile(path);
      });
      li.append(a);
      list.append(li);
    }
    filter();
  }

  function filter() {
    const q = $("filter").value.trim().toLowerCase();
    for (const a of $("file-list").querySelectorAll("a")) {
      a.parentElement.hidden = q !== "" && !a.dataset.path.toLowerCase().includes(q);
      if (file && a.dataset.path === file.path) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  // --- Fields ----------------------------------------------------------------------------
  const isDate = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
  const isScalarList = (v) => Array.isArray(v) && v.every((i) => typeof i === "string");

  // How a value is edited: its control, how to read it back, and how to set it.
  function control(field) {
    const id = "f-" + field.key;
    const v = field.value;
    const wrap = document.createElement("div");
    wrap.className = "field";
    wrap.dataset.key = field.key;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = field.key;
    wrap.append(label);
    let input, read, write, help = null;
    if (typeof v === "boolean") {
      wrap.removeChild(label);
      label.className = "check";
      input = document.createElement("input");
      input.type = "checkbox";
      input.id = id;
      label.prepend(input);
      wrap.append(label);
      read = () => input.checked;
      write = (x) => (input.checked = !!x);
    } else if (typeof v === "number") {
      input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      read = () => (input.value === "" ? null : Number(input.value));
      write = (x) => (input.value = x ?? "");
    } else if (isScalarList(v)) {
      input = document.createElement("textarea");
      input.rows = Math.max(2, v.length + 1);
      input.dir = "auto";
      read = () => input.value.split("\n").map((s) => s.trim()).filter((s) => s !== "");
      write = (x) => (input.value = (x || []).join("\n"));
      help = "One per line.";
    } else if (v === null || typeof v === "string") {
      const long = typeof v === "string" && (v.length > 90 || v.includes("\n"));
      input = document.createElement(long ? "textarea" : "input");
      if (long) input.rows = 4;
      else input.type = isDate(v) ? "date" : "text";
      input.dir = "auto";
      read = () => (input.value === "" && v === null ? null : input.value);
      write = (x) => (input.value = x ?? "");
    } else {
      // Lists of maps and other shapes: shown as written, edited in a text editor for now.
      const pre = document.createElement("pre");
      pre.id = id;
      pre.tabIndex = 0;
      pre.textContent = field.text;
      wrap.append(pre);
      hint(wrap, id, "This field is shown as written; change it in a text editor.");
      return { key: field.key, wrap, read: () => v, write: () => {}, original: v };
    }
    input.id = id;
    if (input.type !== "checkbox") wrap.append(input);
    if (help) hint(wrap, id, help);
    write(v);
    input.addEventListener("input", changed);
    input.addEventListener("change", changed);
    return { key: field.key, wrap, read, write, original: v };
  }

  function hint(wrap, id, text) {
    const p = document.createElement("p");
    p.className = "hint";
    p.id = id + "-hint";
    p.textContent = text;
    wrap.append(p);
    wrap.querySelector("input,textarea,pre")?.setAttribute("aria-describedby", p.id);
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // The changes the form holds, as the save sends them.
  function changes() {
    if (file.textMode) {
      return $("body").value === file.text ? [] : [{ op: "whole", text: $("body").value }];
    }
    const out = [];
    for (const c of file.controls) {
      const now = c.read();
      if (!same(now, c.original)) out.push({ op: "set", key: c.key, value: now });
    }
    if ($("body").value !== file.body) out.push({ op: "body", text: $("body").value });
    return out;
  }

  // After each keystroke: mark changed fields and keep the draft in this browser.
  function changed() {
    if (!file) return;
    for (const c of file.controls) c.wrap.classList.toggle("changed", !same(c.read(), c.original));
    const list = changes();
    if (list.length === 0) localStorage.removeItem(draftKey(file.path));
    else localStorage.setItem(draftKey(file.path), JSON.stringify({ base: file.version, changes: list }));
  }

  // --- Opening ---------------------------------------------------------------------------
  async function openFile(path, keep = null) {
    const r = await api("file?path=" + encodeURIComponent(path));
    if (r.status !== 200) {
      $("intro").hidden = false;
      $("editor").hidden = true;
      $("intro").querySelector("p").textContent = r.body.error || "This file cannot be opened.";
      return;
    }
    const o = r.body;
    const textMode = !Array.isArray(o.fields);
    file = { path: o.path, version: o.version, body: o.body ?? "", text: o.text, textMode, controls: [] };
    $("intro").hidden = true;
    $("editor").hidden = false;
    $("conflict").hidden = true;
    const title = (o.fields || []).find((f) => f.key === "title" || f.key === "name");
    $("file-title").textContent = title ? String(title.value) : o.path.split("/").pop();
    $("file-path").textContent = o.path;
    document.title = $("file-title").textContent + " · rally editor";
    const fields = $("fields");
    fields.textContent = "";
    for (const f of o.fields || []) {
      const c = control(f);
      file.controls.push(c);
      fields.append(c.wrap);
    }
    const body = $("body");
    $("body-field").querySelector("label").textContent = textMode ? "The file's text" : "Text (Markdown)";
    body.value = textMode ? o.text : o.body;
    notice(o.problem ? "The front matter cannot be read as a form (" + o.problem + "): edit the text." : "");
    // Unsaved work from before (this tab or one that was closed), or kept through a reload.
    const saved = keep || JSON.parse(localStorage.getItem(draftKey(o.path)) || "null");
    if (saved && saved.changes && saved.changes.length) {
      restore(saved.changes);
      if (!keep) notice("Your unsaved changes from last time are back in the form.");
      if (saved.base !== file.version && !keep) {
        notice("Your unsaved changes from last time are back in the form, but the file has changed since: saving will show you both versions.");
        file.version = saved.base;
      }
    }
    const page = new URLSearchParams(location.search).get("page");
    const view = $("view-page");
    view.hidden = !page;
    if (page) view.href = page;
    changed();
    filter();
  }

  function restore(list) {
    for (const ch of list) {
      if (ch.op === "set") file.controls.find((c) => c.key === ch.key)?.write(ch.value);
      if (ch.op === "body" || ch.op === "whole") $("body").value = ch.text;
    }
  }

  // --- Saving ----------------------------------------------------------------------------
  async function save(e) {
    e?.preventDefault();
    const list = changes();
    if (list.length === 0) {
      notice("Nothing to save: no field was changed.");
      return;
    }
    $("save").disabled = true;
    const req = file.textMode
      ? { path: file.path, base: file.version, text: $("body").value }
      : { path: file.path, base: file.version, changes: list };
    const r = await api("save", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(req),
    }).catch(() => ({ status: 0, body: {} }));
    $("save").disabled = false;
    if (r.status === 200) {
      localStorage.removeItem(draftKey(file.path));
      await openFile(file.path);
      notice("Saved. The preview updates by itself.");
    } else if (r.status === 409) {
      showConflict(r.body, list);
    } else if (r.status === 0) {
      notice("rally serve did not answer: is it still running? Your changes are kept in this browser.", true);
    } else {
      notice((r.body.error || "The save was refused.") + " Your changes are kept in this browser.", true);
      if (r.body.key) document.getElementById("f-" + r.body.key)?.focus();
    }
  }

  function showConflict(body, list) {
    $("conflict").hidden = false;
    $("conflict-disk").textContent = body.disk ?? "(the file was deleted)";
    $("conflict-mine").textContent = list
      .map((c) => (c.op === "set" ? c.key + ": " + JSON.stringify(c.value) : c.op === "body" ? "Text:\n" + c.text : c.text))
      .join("\n\n");
    file.diskVersion = body.version;
    $("conflict").scrollIntoView({ block: "start" });
    $("keep-mine").focus();
  }

  // Keep mine: open the new version with my changes on top, then save.
  $("keep-mine").addEventListener("click", async () => {
    const list = changes();
    await openFile(file.path, { base: null, changes: list });
    await save();
  });
  $("take-disk").addEventListener("click", async () => {
    localStorage.removeItem(draftKey(file.path));
    await openFile(file.path);
    notice("Loaded the version on disk; your changes were dropped.");
  });
  $("discard").addEventListener("click", async () => {
    localStorage.removeItem(draftKey(file.path));
    await openFile(file.path);
    notice("Unsaved changes discarded.");
  });
  $("editor").addEventListener("submit", save);
  $("body").addEventListener("input", changed);
  $("filter").addEventListener("input", filter);
  addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s" && file) save(e);
  });
  addEventListener("popstate", () => start());

  async function start() {
    const params = new URLSearchParams(location.search);
    let path = params.get("path");
    if (!path && params.get("page")) {
      const r = await api("source?page=" + encodeURIComponent(params.get("page")));
      path = r.body.path;
    }
    if (path) await openFile(path);
  }
  loadFiles().then(start);
})();
