/*
 * The "Disagree?" form on a page that is the same for every reader: when the reader starts on
 * it, ask for the anti-spam stamp (and its cookie) that goes with this reader. Without this
 * script the form still works: the first "Send" answers with the text kept and a stamp.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.disagree-form[data-stamp-url]").forEach(function (form) {
      const stamp = form.querySelector("input[name=stamp]");
      if (!stamp || stamp.value) return;
      let asked = false;
      form.addEventListener("focusin", function () {
        if (asked) return;
        asked = true;
        fetch(form.dataset.stampUrl, { credentials: "same-origin", cache: "no-store" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) { if (data && data.stamp) stamp.value = data.stamp; })
          .catch(function () { asked = false; });
      });
    });
  });
})();
