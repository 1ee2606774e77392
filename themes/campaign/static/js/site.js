// campaign theme: progressive enhancement only; without JS every list is complete.
(function () {
  "use strict";
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // Printed links show their full address (the print stylesheet reads data-href): a
  // reader of the paper cannot follow "/resolutions/…".
  $$(".prose a[href], .ref-list a[href], .facts a[href], .link-list a[href], .page-head a.button[href]").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) !== "#") a.setAttribute("data-href", a.href);
  });

  // <form data-filter=LIST_ID>: [data-attr=K] matches data-K exactly, [data-search=K] as a substring.
  $$("form[data-filter]").forEach(function (form) {
    var list = document.getElementById(form.getAttribute("data-filter"));
    if (!list) return;
    var items = $$("[data-item]", list);
    var groups = $$("[data-group]", list);
    var count = form.querySelector("[data-count]");
    var empty = list.parentNode.querySelector("[data-empty]");
    var controls = $$("[data-attr], [data-search]", form);
    var timer;

    function update(announce) {
      var shown = 0;
      items.forEach(function (item) {
        var ok = controls.every(function (c) {
          var v = c.value.trim().toLowerCase();
          if (!v) return true;
          if (c.hasAttribute("data-attr")) return item.getAttribute("data-" + c.getAttribute("data-attr")) === v;
          return (item.getAttribute("data-" + c.getAttribute("data-search")) || "").indexOf(v) !== -1;
        });
        item.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector("[data-item]:not([hidden])"); });
      if (empty) empty.hidden = shown > 0;
      if (count && announce !== false) {
        // The sentences come in the page's language from the theme's strings, with
        // {shown} and {all} where the numbers go.
        var all = items.length;
        var text = count.getAttribute(shown === all ? (all === 1 ? "data-one" : "data-all") : "data-some") || "";
        count.textContent = text.replace("{shown}", shown).replace("{all}", all);
      }
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function () { update(); });
    form.addEventListener("input", function (e) {
      if (!e.target.hasAttribute("data-search")) return;
      clearTimeout(timer);
      timer = setTimeout(update, 200);
    });
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    $$("[data-reset]", list.parentNode).forEach(function (b) {
      b.addEventListener("click", function () { form.reset(); (controls[0] || form).focus(); });
    });
    form.hidden = false;
    update();
  });

  // Narrow screens: the menu folds behind a button (open without JS).
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
    });
  }

  // Videos: nothing loads from the host until play is pressed.
  $$("figure[data-embed]").forEach(function (fig) {
    var link = fig.querySelector("a");
    if (!link) return;
    link.addEventListener("click", function (e) {
      e.preventDefault();
      var f = document.createElement("iframe");
      f.src = fig.getAttribute("data-embed");
      f.title = fig.getAttribute("data-title");
      f.allow = "autoplay; fullscreen; picture-in-picture";
      f.allowFullscreen = true;
      link.replaceWith(f);
      f.focus();
    });
  });

  // <button data-copy=INPUT_ID> copies the input's value.
  $$("button[data-copy]").forEach(function (btn) {
    var input = document.getElementById(btn.getAttribute("data-copy"));
    var status = btn.closest(".copy-field").querySelector("[data-copy-status]");
    if (!input || !navigator.clipboard) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = status.getAttribute("data-done");
      }, function () {
        input.select();
        status.textContent = status.getAttribute("data-by-hand");
      });
    });
  });
})();
