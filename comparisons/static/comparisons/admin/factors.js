/*
 * Factor rows on the comparison page.
 *
 * - Column headers (and the "edge" choices, and the verdict's) carry the two tools' names,
 *   following the tool fields as they change.
 * - Rows are reordered by dragging their handle (SortableJS) or with the up/down buttons,
 *   which work from the keyboard; the hidden `position` inputs are renumbered 1, 2, 3… in
 *   the order the rows stand, so saving keeps that order.
 */
(function () {
  "use strict";

  const ROWS = "tr.form-row:not(.empty-form)";
  const COLUMNS = {
    name: "Name",
    criterion: "From facts",
    value_a: null,
    value_b: null,
    edge: "Edge",
    DELETE: "Delete",
  };

  // Django's tabular inline leaves its inputs without labels: name each by column and row.
  function labelRow(row, number) {
    for (const [column, fixed] of Object.entries(COLUMNS)) {
      const field = row.querySelector("[name$='-" + column + "']");
      if (!field) continue;
      const header = document.querySelector("#factors-group th.column-" + column);
      const name = fixed || (header ? header.textContent.trim() : column);
      field.setAttribute("aria-label", name + ", row " + number);
    }
  }

  function labelRows() {
    document.querySelectorAll("#factors-group " + ROWS).forEach(function (row, index) {
      labelRow(row, index + 1);
    });
  }

  function toolName(side) {
    const select = document.getElementById("id_tool_" + side);
    if (!select) {
      // A read-only page: the server wrote the names into the column headers.
      const header = document.querySelector("#factors-group th.column-value_" + side);
      return header ? header.textContent.trim() : "Tool " + side.toUpperCase();
    }
    const option = select.selectedOptions[0];
    return option && option.value ? option.textContent.trim() : "Tool " + side.toUpperCase();
  }

  function nameTheSides() {
    const names = { a: toolName("a"), b: toolName("b") };
    for (const side of ["a", "b"]) {
      for (const header of document.querySelectorAll("#factors-group th.column-value_" + side)) {
        header.textContent = names[side];
      }
      const sideOptions = document.querySelectorAll(
        "#factors-group select[name$='-edge'] option[value='" + side + "'], " +
          "#verdict-group select[name$='-pick'] option[value='" + side + "']"
      );
      for (const option of sideOptions) {
        option.textContent = names[side];
      }
      for (const label of document.querySelectorAll("#verdict-group label[for$='-use_" + side + "_if']")) {
        label.textContent = "Use " + names[side] + " if:";
      }
    }
    // Read-only rows and verdict show the choice as text.
    const byLabel = { "Tool A": names.a, "Tool B": names.b };
    for (const shown of document.querySelectorAll(
      "#factors-group td.field-edge p, #verdict-group .field-pick .readonly"
    )) {
      const name = byLabel[shown.textContent.trim()];
      if (name) shown.textContent = name;
    }
    labelRows();
  }

  function watchTools() {
    for (const side of ["a", "b"]) {
      const select = document.getElementById("id_tool_" + side);
      if (!select) continue;
      select.addEventListener("change", nameTheSides);
      // The admin's autocomplete (select2) announces changes through jQuery only.
      if (window.django && window.django.jQuery) {
        window.django.jQuery(select).on("change", nameTheSides);
      }
    }
    nameTheSides();
  }

  function setUpOrdering(group) {
    const body = group.querySelector("table tbody");
    // Rows shown read-only (someone else's submitted article) are not reordered.
    if (!body || !body.querySelector("input[name$='-position']")) return;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    group.querySelector("fieldset").append(status);

    const rows = () => Array.from(body.querySelectorAll(ROWS));
    const corner = group.querySelector("thead th.original");
    if (corner) {
      const title = document.createElement("span");
      title.className = "visually-hidden";
      title.textContent = "Order";
      corner.append(title);
    }

    function renumber() {
      const all = rows();
      all.forEach(function (row, index) {
        const position = row.querySelector("input[name$='-position']");
        if (position) position.value = String(index + 1);
        const up = row.querySelector(".factor-move-up");
        const down = row.querySelector(".factor-move-down");
        if (up) up.disabled = index === 0;
        if (down) down.disabled = index === all.length - 1;
      });
      labelRows();
      // The template row and "Add another" stay at the end, whatever was dropped where.
      for (const tail of body.querySelectorAll("tr.empty-form, tr.add-row")) {
        body.append(tail);
      }
    }

    function rowName(row) {
      const name = row.querySelector("input[name$='-name']");
      return name && name.value.trim() ? "“" + name.value.trim() + "”" : "The row";
    }

    function announce(row) {
      const all = rows();
      status.textContent =
        rowName(row) + " is now row " + (all.indexOf(row) + 1) + " of " + all.length + ".";
    }

    function addControls(row) {
      const cell = row.querySelector("td.original");
      if (!cell || cell.querySelector(".factor-order")) return;
      const controls = document.createElement("div");
      controls.className = "factor-order";
      const handle = document.createElement("span");
      handle.className = "factor-handle";
      handle.title = "Drag to reorder";
      handle.setAttribute("aria-hidden", "true");
      controls.append(handle);
      for (const [direction, label, symbol] of [
        ["up", "Move row up", "↑"],
        ["down", "Move row down", "↓"],
      ]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "factor-move factor-move-" + direction;
        button.setAttribute("aria-label", label);
        button.title = label;
        button.textContent = symbol;
        controls.append(button);
      }
      cell.prepend(controls);
    }

    function move(button) {
      const row = button.closest("tr");
      const all = rows();
      const index = all.indexOf(row);
      const up = button.classList.contains("factor-move-up");
      const neighbour = all[up ? index - 1 : index + 1];
      if (!neighbour) return;
      if (up) {
        body.insertBefore(row, neighbour);
      } else {
        body.insertBefore(row, neighbour.nextSibling);
      }
      renumber();
      const again = row.querySelector(up ? ".factor-move-up" : ".factor-move-down");
      (again.disabled ? row.querySelector(".factor-move:not(:disabled)") : again).focus();
      announce(row);
    }

    // The template row gets the controls too, so "Add another" clones them.
    for (const row of body.querySelectorAll("tr.form-row")) addControls(row);
    body.addEventListener("click", function (event) {
      const button = event.target.closest(".factor-move");
      if (button) move(button);
    });
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "factors") renumber();
    });
    document.addEventListener("formset:removed", function (event) {
      if (event.detail && event.detail.formsetName === "factors") renumber();
    });

    if (window.Sortable) {
      window.Sortable.create(body, {
        draggable: ROWS,
        handle: ".factor-handle",
        animation: 150,
        onEnd: function (event) {
          renumber();
          announce(event.item);
        },
      });
    }
    renumber();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const group = document.getElementById("factors-group");
    if (group) setUpOrdering(group);
    watchTools();
  });
})();
