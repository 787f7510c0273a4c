// The print button of the recovery-codes page (no inline handlers: the CSP forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
