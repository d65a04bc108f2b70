// lexbill: small progressive enhancements; every page works without them.

// Navigation menus (<details>): one open at a time, closed by a click elsewhere or Escape.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.navgroup[open]").forEach((group) => {
    if (!group.contains(event.target)) group.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.querySelectorAll("details.navgroup[open]").forEach((g) => g.removeAttribute("open"));
});

// Bulk actions: a "select all" box ticks every row box of the same form (the list tables).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return;
  document.querySelectorAll(`input[type=checkbox][form="${box.dataset.selectAll}"][name=ids]`).forEach((row) => {
    row.checked = box.checked;
  });
});
