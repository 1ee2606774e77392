// `partners.yaml` as a table: one line per partner, and a form for the one being edited
// (built from the partner type's schema, as every other form), saved as changes to that row
// only. A new partner is added at the end of the list; a removed one takes its lines with it.
"use strict";
window.RallyTable = (() => {
  const el = (tag, props = {}, ...kids) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

  // `save(rowChanges)` sends `{op: "rows", rows}` and resolves true when saved.
  function mount({ container, path, rows, columns: sheet, schema, choices, save, notice }) {
    container.textContent = "";
    let props = (schema && schema.properties) || {};
    if (sheet) {
      // A spreadsheet: its columns, each cell as text (choices stay choices).
      const typed = props;
      props = {};
      for (const c of sheet) {
        const base = c.split(".")[0];
        const p = typed[base] || {};
        const { p: r } = window.RallyFields.resolve(p, (schema && schema.$defs) || {});
        const choice = Array.isArray(r.enum) || Array.isArray(r.oneOf) || p["x-rally-ref"] === "countries";
        props[c] = choice ? p : { type: "string", description: (p.description || "") + (r.type === "array" ? " Several: separate them with ;" : "") };
      }
    }
    const required = new Set((schema && schema.required) || []);
    const defs = (schema && schema.$defs) || {};
    const columns = ["id", "name", "type", "region", "country"].filter((c) => c in props || (c === "id" && !sheet));

    const list = el("div", { className: "table-list" });
    const editor = el("div", { className: "row-editor", hidden: true });
    container.append(list, editor);

    const filterId = "rows-filter";
    const filter = el("input", { type: "search", id: filterId, autocomplete: "off" });
    const add = el("button", { type: "button", textContent: "Add a partner" });
    const table = el("table", { className: "rows" });
    table.append(el("caption", { textContent: `${rows.length} partners in ${path}` }));
    const head = el("tr");
    for (const c of [...columns, ""]) head.append(el("th", { scope: "col", textContent: c ? c[0].toUpperCase() + c.slice(1) : "" }));
    table.append(el("thead", {}, head));
    const body = el("tbody");
    rows.forEach((r, i) => {
      const tr = el("tr");
      for (const c of columns) {
        const v = r.values[c];
        tr.append(el("td", { textContent: Array.isArray(v) ? v.join(", ") : v ?? "", dir: "auto" }));
      }
      const edit = el("button", { type: "button", className: "secondary", textContent: "Edit" });
      edit.setAttribute("aria-label", `Edit ${r.values.name || r.values.id || "row " + (i + 1)}`);
      edit.addEventListener("click", () => open(i));
      tr.append(el("td", {}, edit));
      body.append(tr);
    });
    table.append(body);
    filter.addEventListener("input", () => {
      const q = filter.value.trim().toLowerCase();
      for (const tr of body.children) tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q);
    });
    add.addEventListener("click", () => open(null));
    list.append(
      el("div", { className: "table-tools" }, el("label", { htmlFor: filterId, textContent: "Find a partner" }), filter, add),
      el("div", { className: "table-scroll" }, table),
    );

    // The form of row `i` (null: a new partner).
    function open(i) {
      const values = i === null ? {} : rows[i].values;
      list.hidden = true;
      editor.hidden = false;
      editor.textContent = "";
      const title = el("h2", { tabIndex: -1, textContent: i === null ? "New partner" : `Partner ${i + 1}: ${values.name || values.id}` });
      editor.append(title);
      const keys = sheet
        ? sheet
        : [...Object.keys(values), ...Object.keys(props).filter((k) => !(k in values)).sort((a, b) => required.has(b) - required.has(a))];
      const controls = keys.map((key) =>
        window.RallyFields.build({
          key,
          value: key in values ? values[key] : null,
          present: key in values,
          prop: props[key],
          required: required.has(key) || key === "id",
          defs,
          choices,
          onChange: () => {},
        }),
      );
      for (const c of controls) editor.append(c.wrap);
      const saveButton = el("button", { type: "button", textContent: i === null ? "Add this partner" : "Save this partner" });
      const back = el("button", { type: "button", className: "secondary", textContent: "Back to the list" });
      const actions = el("p", { className: "actions" }, saveButton, back);
      if (i !== null) {
        const del = el("button", { type: "button", className: "secondary danger", textContent: "Remove this partner" });
        del.addEventListener("click", async () => {
          if (!confirm(`Remove ${values.name || values.id} from ${path}?`)) return;
          await save([{ op: "delete", row: i }]);
        });
        actions.append(del);
      }
      editor.append(actions);
      back.addEventListener("click", () => {
        editor.hidden = true;
        list.hidden = false;
      });
      saveButton.addEventListener("click", async () => {
        const missing = controls.filter((c) => c.required && empty(c.read()));
        for (const e of editor.querySelectorAll(".field-error")) e.remove();
        for (const c of missing) c.wrap.append(el("p", { className: "field-error", textContent: "This field is required." }));
        if (missing.length) {
          missing[0].wrap.querySelector("input,select,textarea")?.focus();
          notice("Not saved: fill in the required fields.", true);
          return;
        }
        if (i === null) {
          const out = {};
          for (const c of controls) if (!empty(c.read())) out[c.key] = c.read();
          await save([{ op: "add", values: out, order: keys }]);
          return;
        }
        const changes = [];
        for (const c of controls) {
          const now = c.read();
          if (same(now, c.original) || (empty(now) && !c.present)) continue;
          changes.push(empty(now) && !c.required ? { op: "unset", row: i, key: c.key } : { op: "set", row: i, key: c.key, value: now });
        }
        if (!changes.length) return notice("Nothing to save: no field was changed.");
        await save(changes);
      });
      title.focus();
    }
  }

  return { mount };
})();
