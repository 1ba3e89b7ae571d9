/*
 * Ask before leaving the change page when a field changed since it loaded: the browser's own
 * "Leave site? Changes you made may not be saved." Saving (any submit button) never asks.
 * A page that came back with errors holds what was typed but not saved: it asks from the start.
 */
(function () {
  "use strict";

  function state(form) {
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") continue;
      fields.push([name, value]);
    }
    return new URLSearchParams(fields).toString();
  }

  window.addEventListener("load", function () {
    const form = document.querySelector("#content-main form[method=post]");
    if (!form) return;
    // After the other scripts have numbered rows and set up widgets on DOMContentLoaded.
    const saved = document.querySelector(".errornote, .errorlist") ? null : state(form);
    let submitting = false;
    form.addEventListener("submit", function (event) {
      submitting = true;
      // A script that cancels the submit (a confirmation, say) leaves the page as it was.
      setTimeout(function () {
        if (event.defaultPrevented) submitting = false;
      });
    });
    window.addEventListener("pageshow", function () {
      submitting = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || state(form) === saved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
