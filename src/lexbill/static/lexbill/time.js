// lexbill time pages: live timer clocks and keyboard shortcuts for the review grid.
// Plain JS, no libraries; htmx (already on the page) does the row swaps. Every page works without this.
(function () {
  "use strict";

  // --- live timers: count on from the server's elapsed seconds --------------------------------------
  var loadedAt = Date.now();

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var since = Math.floor((Date.now() - loadedAt) / 1000);
    document.querySelectorAll(".timer-clock[data-elapsed]").forEach(function (el) {
      var base = parseInt(el.getAttribute("data-elapsed"), 10) || 0;
      el.textContent = clock(el.getAttribute("data-running") === "1" ? base + since : base);
    });
  }

  // --- grid keyboard ---------------------------------------------------------------------------------
  function grid() { return document.getElementById("time-grid"); }
  function rows() { var g = grid(); return g ? Array.prototype.slice.call(g.querySelectorAll("tbody tr.entry-row")) : []; }
  function focusedRow() { var g = grid(); return g ? g.querySelector("tr.entry-row.focused") : null; }

  function focusRow(row) {
    if (!row) return;
    rows().forEach(function (r) { r.classList.remove("focused"); });
    row.classList.add("focused");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows(), current = focusedRow(), i = all.indexOf(current);
    if (!all.length) return;
    focusRow(all[i < 0 ? 0 : Math.min(Math.max(i + step, 0), all.length - 1)]);
  }

  function edit(row) {
    if (row && row.hasAttribute("hx-get") && window.htmx) window.htmx.trigger(row, "lexbill:edit");
  }

  function cancel(row) {
    var link = row && row.querySelector(".cancel-link");
    if (link) link.click();
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var target = ev.target;
    var editing = target && target.closest ? target.closest("tr.entry-row.editing") : null;
    if (ev.key === "Escape" && editing) { ev.preventDefault(); cancel(editing); return; }
    // Esc in the filter (where `/` puts you) discards what was typed there (back to the filter in force)
    // and hands the keys back to the grid.
    var filters = target && target.closest ? target.closest("#time-filters") : null;
    if (ev.key === "Escape" && filters && grid()) {
      ev.preventDefault();
      if ("defaultValue" in target && target.tagName === "INPUT") target.value = target.defaultValue;
      target.blur();
      focusRow(focusedRow() || rows()[0]);
      return;
    }
    // Narratives are one paragraph: Enter saves the row, Shift+Enter still breaks the line.
    if (ev.key === "Enter" && editing && target.tagName === "TEXTAREA" && !ev.shiftKey) {
      var form = target.form;
      if (form) { ev.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (typing(target) || !grid()) return;
    switch (ev.key) {
      case "j": case "ArrowDown": ev.preventDefault(); move(1); break;
      case "k": case "ArrowUp": ev.preventDefault(); move(-1); break;
      case "x": {
        var box = focusedRow() && focusedRow().querySelector("input[type=checkbox]");
        if (box) { ev.preventDefault(); box.checked = !box.checked; }
        break;
      }
      case "e": case "Enter":
        if (target && target.closest && target.closest("a,button")) return;
        if (focusedRow()) { ev.preventDefault(); edit(focusedRow()); }
        break;
      case "n": ev.preventDefault(); window.location.href = grid().getAttribute("data-new-url"); break;
      case "/": {
        var q = document.getElementById("id_q");
        if (q) { ev.preventDefault(); q.focus(); q.select(); }
        break;
      }
    }
  });

  // A click on a row (not on its checkbox or links) opens the inline editor.
  document.addEventListener("click", function (ev) {
    var row = ev.target.closest ? ev.target.closest("#time-grid tr.entry-row") : null;
    if (!row || row.classList.contains("editing") || ev.target.closest("input,a,button,label,select,textarea")) return;
    focusRow(row);
    edit(row);
  });

  // Once htmx has settled a swapped row (before that it still wears the old row's attributes, for
  // transitions): focus the narrative of an editor, or the saved row itself.
  document.addEventListener("htmx:afterSettle", function (ev) {
    var el = ev.target;
    var row = el && el.matches && el.matches("tr.entry-row") ? el : null;
    if (!row) return;
    if (row.classList.contains("editing")) {
      var first = row.querySelector("textarea") || row.querySelector("input:not([type=hidden])");
      row.classList.add("focused");
      if (first) first.focus();
    } else {
      focusRow(row);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    var g = grid();
    if (!g) return;
    var wanted = g.getAttribute("data-highlight") || (window.location.hash || "").replace("#entry-", "");
    var row = wanted ? document.getElementById("entry-" + wanted) : null;
    if (row) row.classList.add("highlight");
    focusRow(row || rows()[0]);
  });
})();
