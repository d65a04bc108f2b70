// lexbill: small progressive enhancements; every page works without them.

// Bulk actions: a "select all" box ticks every row box of the same form (the list tables).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return;
  document.querySelectorAll(`input[type=checkbox][form="${box.dataset.selectAll}"][name=ids]`).forEach((row) => {
    row.checked = box.checked;
  });
});
