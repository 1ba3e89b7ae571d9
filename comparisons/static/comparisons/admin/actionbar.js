/*
 * The change page's action bar: stays in view (CSS, sticky) and tells the Markdown preview how
 * tall it is; a move that needs a note or a time opens the fields and waits for them instead of
 * failing on the server; a move that is hard to undo (unpublish, archive, discard) asks first.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const bar = document.getElementById("action-bar");
    if (!bar) return;
    const details = document.getElementById("action-details");

    function measure() {
      document.documentElement.style.setProperty("--sticky-offset", bar.offsetHeight + "px");
    }
    measure();
    window.addEventListener("resize", measure);
    if (details) details.addEventListener("toggle", measure);

    bar.addEventListener("click", function (event) {
      const button = event.target.closest("button[name=_workflow]");
      if (!button) return;
      const needs = button.dataset.needs;
      if (needs) {
        const field = document.getElementById("id_workflow-" + needs);
        if (field && !field.value.trim()) {
          event.preventDefault();
          details.open = true;
          measure();
          field.setCustomValidity(
            needs === "note" ? "Write the note first: say what and why." : "Choose the date and time first."
          );
          field.reportValidity();
          field.addEventListener("input", function () { field.setCustomValidity(""); }, { once: true });
          field.focus();
          return;
        }
      }
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
