/*
 * Tags: the input stays a comma-separated list (it works so without JavaScript, and new tags
 * are typed as ever); while one types, existing tags that match the word under the cursor are
 * offered in a list (the ARIA combobox pattern): arrows to move, Enter or a click to pick,
 * Escape to close.
 */
(function () {
  "use strict";

  const DELAY_MS = 150;

  function currentWord(input) {
    const text = input.value;
    const caret = input.selectionStart === null ? text.length : input.selectionStart;
    const start = text.lastIndexOf(",", caret - 1) + 1;
    let end = text.indexOf(",", caret);
    if (end === -1) end = text.length;
    return { start: start, end: end, text: text.slice(start, end).trim().replace(/^"|"$/g, "") };
  }

  function chosenNames(input, except) {
    const names = new Set();
    input.value.split(",").forEach(function (part, index) {
      const name = part.trim().replace(/^"|"$/g, "").toLowerCase();
      if (name && index !== except) names.add(name);
    });
    return names;
  }

  function setUp(input) {
    const url = input.dataset.suggestUrl;
    const wrapper = document.createElement("span");
    wrapper.className = "tag-input";
    input.before(wrapper);
    wrapper.append(input);
    const list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Existing tags");
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.append(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    let timer = null;
    let asked = 0;
    let active = -1;

    function options() {
      return Array.from(list.querySelectorAll("[role=option]"));
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      const all = options();
      active = all.length ? (index + all.length) % all.length : -1;
      all.forEach(function (option, at) {
        option.setAttribute("aria-selected", at === active ? "true" : "false");
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      }
    }

    function pick(name) {
      const word = currentWord(input);
      const quoted = /[,"]/.test(name) ? '"' + name.replace(/"/g, "") + '"' : name;
      const before = input.value.slice(0, word.start).replace(/\s*$/, "");
      const after = input.value.slice(word.end).replace(/^\s*,?\s*/, "");
      const head = (before ? before + " " : "") + quoted + ", ";
      input.value = head + after;
      input.setSelectionRange(head.length, head.length);
      close();
      input.focus();
    }

    function show(tags) {
      list.replaceChildren();
      tags.forEach(function (tag, index) {
        const option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = tag.name;
        option.textContent = tag.name;
        const uses = document.createElement("span");
        uses.className = "tag-uses";
        uses.textContent = tag.uses === 1 ? " · 1 article" : " · " + tag.uses + " articles";
        option.append(uses);
        list.append(option);
      });
      list.hidden = !tags.length;
      input.setAttribute("aria-expanded", tags.length ? "true" : "false");
      active = -1;
      status.textContent = tags.length
        ? tags.length + " existing tag" + (tags.length > 1 ? "s" : "") + " match; arrow keys to choose."
        : "";
    }

    function suggest() {
      const word = currentWord(input);
      if (!word.text) {
        close();
        return;
      }
      const index = input.value.slice(0, word.start).split(",").length - 1;
      const taken = chosenNames(input, index);
      const ticket = ++asked;
      fetch(url + "?" + new URLSearchParams({ q: word.text }), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { tags: [] };
        })
        .then(function (data) {
          if (ticket !== asked || document.activeElement !== input) return;
          show(data.tags.filter((tag) => !taken.has(tag.name.toLowerCase())));
        })
        .catch(close); // No suggestions is fine: typing still works.
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // pick the tag, do not submit the form
        pick(options()[active].dataset.name);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
    // mousedown, not click: the input keeps the focus (and its caret) while picking.
    list.addEventListener("mousedown", function (event) {
      const option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      pick(option.dataset.name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const input of document.querySelectorAll("input[data-suggest-url]")) setUp(input);
  });
})();
