/*
 * The body editor (django-markdownx), made for writing articles.
 *
 * - The live preview is drawn in a shadow root with the readers' stylesheet, so writers see
 *   what readers will see: the admin's styles stay out of it, the site's stay inside it.
 *   (admin.css sets the editor and the preview side by side on wide screens.)
 * - An "Add an image" button next to drag-and-drop and paste.
 * - After an upload, the writer is asked to describe the image; the description becomes its
 *   alt text in the Markdown. Images without one are flagged in the preview.
 */
(function () {
  "use strict";

  function escapeAlt(text) {
    return text.replace(/\s+/g, " ").trim().replace(/([\\[\]])/g, "\\$1");
  }

  function markMissingAlt(prose) {
    for (const image of prose.querySelectorAll("img")) {
      if ((image.getAttribute("alt") || "").trim()) continue;
      image.classList.add("missing-alt");
      const note = document.createElement("p");
      note.className = "missing-alt-note";
      const example = document.createElement("code");
      example.textContent = "![what it shows](…)";
      note.append(
        "This image has no description for readers who cannot see it: " +
          "write one between the brackets, ",
        example
      );
      image.before(note);
    }
  }

  function drawPreviewInShadow(container, editor, preview) {
    if (!preview.attachShadow || preview.shadowRoot) return;
    const root = preview.attachShadow({ mode: "open" });
    for (const href of (editor.dataset.previewCss || "").split(" ").filter(Boolean)) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      root.append(link);
    }
    const article = document.createElement("div");
    article.className = "article";
    const prose = document.createElement("div");
    prose.className = "prose";
    article.append(prose);
    root.append(article);
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-label", "Preview, as readers will see it");
    // markdownx writes each new rendering into the preview element; move it into the shadow.
    const show = function () {
      if (!preview.childNodes.length) return;
      prose.replaceChildren(...Array.from(preview.childNodes));
      markMissingAlt(prose);
    };
    container.addEventListener("markdownx.update", show);
    show();
  }

  function uploadButton(editor) {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg";
    input.multiple = true;
    input.className = "visually-hidden";
    input.tabIndex = -1;
    input.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button editor-add-image";
    button.textContent = "Add an image…";
    button.addEventListener("click", function () {
      input.click();
    });
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      // markdownx uploads what is dropped on the editor: hand it the chosen files that way.
      const files = new DataTransfer();
      for (const file of input.files) files.items.add(file);
      editor.dispatchEvent(
        new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true })
      );
      input.value = "";
    });
    const bar = document.createElement("p");
    bar.className = "editor-tools";
    bar.append(button, input);
    const hint = document.createElement("span");
    hint.className = "help";
    hint.textContent = " or drop a PNG or JPEG on the text.";
    bar.append(hint);
    return bar;
  }

  function altTextDialog() {
    const dialog = document.createElement("dialog");
    dialog.className = "alt-text-dialog";
    dialog.setAttribute("aria-labelledby", "alt-text-heading");
    dialog.innerHTML =
      '<form method="dialog">' +
      '<h2 id="alt-text-heading">Describe this image</h2>' +
      '<img class="alt-text-thumbnail" alt="">' +
      '<label for="alt-text-input">What does it show? Readers who cannot see the image ' +
      "get this description instead.</label>" +
      '<input id="alt-text-input" type="text" maxlength="250" autocomplete="off">' +
      '<div class="alt-text-buttons">' +
      '<button type="submit" value="describe" class="button default">Add the description</button>' +
      '<button type="submit" value="skip" class="button">Not now</button>' +
      "</div></form>";
    // Outside the change form: a form may not sit inside another, and these are not fields.
    document.body.append(dialog);
    return dialog;
  }

  function askForAltText(editor) {
    let dialog = null;
    const waiting = [];

    function describeNext() {
      if (!waiting.length || (dialog && dialog.open)) return;
      const code = waiting.shift();
      const address = code.slice(code.indexOf("](") + 2, -1);
      dialog = dialog || altTextDialog();
      const input = dialog.querySelector("#alt-text-input");
      dialog.querySelector(".alt-text-thumbnail").src = address;
      input.value = "";
      dialog.returnValue = "";
      dialog.addEventListener(
        "close",
        function () {
          const description = escapeAlt(input.value);
          if (dialog.returnValue === "describe" && description) {
            const described = "![" + description + "](" + address + ")";
            const at = editor.value.indexOf(code);
            if (at !== -1) {
              editor.value = editor.value.slice(0, at) + described + editor.value.slice(at + code.length);
              editor.setSelectionRange(at + described.length, at + described.length);
              // markdownx refreshes the preview on input.
              editor.dispatchEvent(new Event("input", { bubbles: true }));
            }
          }
          editor.focus();
          describeNext();
        },
        { once: true }
      );
      dialog.showModal();
      input.focus();
    }

    return function (event) {
      const response = event.detail && event.detail[0];
      const code = response && response.image_code;
      if (typeof code !== "string" || !code.startsWith("![](")) return;
      waiting.push(code);
      describeNext();
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const container of document.querySelectorAll(".markdownx")) {
      const editor = container.querySelector(".markdownx-editor");
      const preview = container.querySelector(".markdownx-preview");
      if (!editor || !preview) continue;
      drawPreviewInShadow(container, editor, preview);
      container.before(uploadButton(editor));
      container.addEventListener("markdownx.fileUploadEnd", askForAltText(editor));
    }
  });
})();
