// A <select multiple data-office-picker> (brokers.widgets.CustomsOfficePicker) becomes a
// filter box, a list of check boxes and the chosen offices as removable chips. The select
// stays in the form, hidden, and is what is submitted: without this script it works as it is.
// The words come translated in the select's data attributes (the CSP allows no inline script).
(() => {
  "use strict";

  // "Đình Vũ" and "dinh vu" compare equal: accents dropped, đ read as d, case ignored.
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();

  const element = (tag, attributes = {}, text = "") => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  };

  const enhance = (select) => {
    const words = select.dataset;
    const id = select.id || `office-picker-${Math.random().toString(36).slice(2)}`;
    select.id = id;
    const label = document.querySelector(`label[for="${id}"]`);

    const picker = element("div", { class: "office-picker" });
    const chosenLabel = element("p", { class: "office-picker-chosen-label", id: `${id}_chosen` }, words.chosenLabel);
    const chips = element("ul", { class: "office-picker-chips", "aria-labelledby": `${id}_chosen` });
    const noneChosen = element("p", { class: "office-picker-none" }, words.noneChosen);
    const filter = element("input", {
      type: "search",
      id: `${id}_filter`,
      class: "form-control office-picker-filter",
      placeholder: words.filterPlaceholder,
      autocomplete: "off",
      "aria-controls": `${id}_options`,
    });
    const hint = element("p", { id: `${id}_filter_hint`, class: "office-picker-hidden" }, words.filterHint);
    const described = [hint.id, select.getAttribute("aria-describedby")].filter(Boolean);
    filter.setAttribute("aria-describedby", described.join(" "));
    if (select.classList.contains("is-invalid")) filter.classList.add("is-invalid");
    const list = element("div", { id: `${id}_options`, class: "office-picker-options", role: "group" });
    const noMatch = element("p", { class: "office-picker-none", hidden: "" }, words.noMatch);
    const status = element("p", { class: "office-picker-hidden", "aria-live": "polite" });

    // The field's label now names the filter box and the list of check boxes.
    if (label) {
      label.id = label.id || `${id}_label`;
      label.htmlFor = filter.id;
      list.setAttribute("aria-labelledby", label.id);
    }

    const boxes = Array.from(select.options, (option, index) => {
      const row = element("div", { class: "form-check office-picker-option" });
      const box = element("input", { type: "checkbox", class: "form-check-input", id: `${id}_option_${index}` });
      box.checked = option.selected;
      box.disabled = option.disabled;
      box.addEventListener("change", () => {
        option.selected = box.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        drawChips();
      });
      row.append(box, element("label", { class: "form-check-label", for: box.id }, option.text));
      list.append(row);
      return { option, box, row, folded: fold(option.text) };
    });

    const visibleBoxes = () => boxes.filter((entry) => !entry.row.hidden).map((entry) => entry.box);

    const drawChips = () => {
      chips.replaceChildren();
      const chosen = boxes.filter((entry) => entry.option.selected);
      for (const entry of chosen) {
        const chip = element("button", {
          type: "button",
          class: "office-picker-chip",
          "aria-label": words.remove.replace("%(office)s", entry.option.text),
        }, entry.option.text);
        chip.append(element("span", { "aria-hidden": "true", class: "office-picker-cross" }, "×"));
        chip.addEventListener("click", () => {
          const at = Array.prototype.indexOf.call(chips.children, chip.parentElement);
          entry.option.selected = false;
          entry.box.checked = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          drawChips();
          // Focus stays among the chips, or returns to the filter box once none is left.
          const left = chips.children[Math.min(at, chips.children.length - 1)];
          (left ? left.firstElementChild : filter).focus();
        });
        const item = element("li");
        item.append(chip);
        chips.append(item);
      }
      noneChosen.hidden = chosen.length > 0;
    };

    const applyFilter = () => {
      const terms = fold(filter.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const entry of boxes) {
        entry.row.hidden = !terms.every((term) => entry.folded.includes(term));
        if (!entry.row.hidden) shown += 1;
      }
      noMatch.hidden = shown > 0;
      status.textContent = words.shown.replace("%(count)s", String(shown));
    };

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        // Enter would submit the form half filled in: it goes to the list instead.
        event.preventDefault();
        const first = visibleBoxes()[0];
        if (first) first.focus();
      } else if (event.key === "Escape" && filter.value) {
        event.preventDefault();
        filter.value = "";
        applyFilter();
      }
    });
    list.addEventListener("keydown", (event) => {
      if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
      const visible = visibleBoxes();
      const at = visible.indexOf(document.activeElement);
      if (at < 0) return;
      event.preventDefault();
      if (event.key === "ArrowUp" && at === 0) filter.focus();
      else if (event.key === "ArrowUp") visible[at - 1].focus();
      else if (event.key === "ArrowDown") visible[Math.min(at + 1, visible.length - 1)].focus();
      else if (event.key === "Home") visible[0].focus();
      else visible[visible.length - 1].focus();
    });

    picker.append(chosenLabel, chips, noneChosen, filter, hint, list, noMatch, status);
    select.hidden = true;
    select.after(picker);
    drawChips();
    applyFilter();
    status.textContent = "";
  };

  const start = () => document.querySelectorAll("select[multiple][data-office-picker]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
