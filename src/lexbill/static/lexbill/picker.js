// lexbill type-ahead pickers: an <input data-picker="matters|codes"> asks a small JSON search as you type and
// offers what it finds in a list below; pick with the mouse, or with the arrow keys and Enter. Plain JS, no
// libraries. Without this script the input still takes a typed matter number or code.
(function () {
  "use strict";

  var count = 0;

  function attach(input) {
    if (input.getAttribute("data-picker-ready")) return;
    input.setAttribute("data-picker-ready", "1");
    var id = "picker-list-" + (++count);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var wrap = document.createElement("span");
    wrap.className = "picker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    var asked = 0, active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var all = options();
      if (!all.length) return;
      active = (i + all.length) % all.length;
      all.forEach(function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      input.value = option.getAttribute("data-value");
      input.title = option.textContent;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (r, n) {
        var li = document.createElement("li");
        li.id = id + "-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("data-value", r.value);
        li.textContent = r.label;
        if (r.detail) {
          var small = document.createElement("small");
          small.textContent = " " + r.detail;
          li.appendChild(small);
        }
        // mousedown, not click: it comes before the input's blur closes the list
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      if (!results.length) { close(); return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var url = new URL(input.getAttribute("data-picker-url"), window.location.href);
      url.searchParams.set("q", input.value);
      var field = input.getAttribute("data-picker-field");
      if (field) url.searchParams.set("field", field);
      if (input.getAttribute("data-picker-all")) url.searchParams.set("all", "1");
      var matterInput = input.getAttribute("data-picker-matter");
      var matter = matterInput ? document.getElementById(matterInput) : null;
      if (matter && matter.value) url.searchParams.set("matter", matter.value);
      var mine = ++asked;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === asked && document.activeElement === input) show(data.results || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", ask);
    input.addEventListener("focus", function () { if (input.value === "") return; ask(); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) {
        if (ev.key === "ArrowDown") { ev.preventDefault(); ask(); }
        return;
      }
      if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(active - 1); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); ev.stopPropagation(); choose(options()[active]); }
      // Esc closes the list only; a second Esc is the page's (leave the filter, cancel the edit)
      else if (ev.key === "Escape") { ev.preventDefault(); ev.stopPropagation(); close(); }
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll("input[data-picker-url]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // Inputs that htmx swaps in (the grid's inline editor) get their picker too.
  document.addEventListener("htmx:load", function (ev) { attachAll(ev.target); });
})();
