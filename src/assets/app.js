// Rollcall's small browser script. Loaded from our own origin so the CSP can forbid inline script.
// Buttons with data-confirm ask before submitting (used for destructive actions such as undo).
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
