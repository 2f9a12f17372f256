// The claim forms (templates/cases/claim_form.html). The CSP forbids inline script, so it is here.

// <fieldset data-shown-by="id_of_a_checkbox">: shown only while that checkbox is ticked. Without
// this script the fieldset simply stays visible.
document.querySelectorAll("[data-shown-by]").forEach((element) => {
  const checkbox = document.getElementById(element.dataset.shownBy);
  if (!checkbox) {
    return;
  }
  const update = () => {
    element.hidden = !checkbox.checked;
  };
  checkbox.addEventListener("change", update);
  update();
});
