// The printouts' Print button (templates/printouts/printout.html): no inline script under the CSP.
// The button stays hidden without JavaScript; the browser's own Print still works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
