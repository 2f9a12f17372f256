// "Select all on this page" for a list of checkboxes (the case list's reassign form). The CSP
// forbids inline script, so it is here. Without it the form still works: the header checkbox is
// sent as select_page and the server takes every case of the page.
//   <input type="checkbox" data-select-all="group">   the header box
//   <input type="checkbox" data-select-item="group">  one per row
//   <span data-selected-count="group" data-template="%s selected" data-empty="Tick...">
document.querySelectorAll("[data-select-all]").forEach((all) => {
  const group = all.dataset.selectAll;
  const items = () => document.querySelectorAll(`[data-select-item="${group}"]`);
  const counter = document.querySelector(`[data-selected-count="${group}"]`);
  const template = counter ? counter.dataset.template || "%s" : "%s";
  const update = () => {
    const boxes = Array.from(items());
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    if (counter) {
      counter.textContent = ticked ? template.replace("%s", ticked) : counter.dataset.empty || "";
    }
  };
  all.addEventListener("change", () => {
    items().forEach((box) => {
      box.checked = all.checked;
    });
    update();
  });
  items().forEach((box) => box.addEventListener("change", update));
  update();
});
