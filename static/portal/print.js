// A button marked data-print prints the page (no inline handler: the CSP allows none).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
