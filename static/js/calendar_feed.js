// The calendar feed page: copy the feed address with one click (no inline script: the CSP forbids it).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  const input = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  input.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    // Without the clipboard API (plain http), the address is at least selected for Ctrl+C.
    copied = document.execCommand && document.execCommand("copy");
  }
  if (status) {
    status.textContent = copied ? status.dataset.copied : status.dataset.selected;
  }
});

// Clicking into the address selects all of it.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select-on-focus]")) {
    event.target.select();
  }
});
