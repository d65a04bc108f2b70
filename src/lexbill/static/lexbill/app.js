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
