// A print view's "Cetak" button opens the browser's print dialog (no inline onclick: CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});
