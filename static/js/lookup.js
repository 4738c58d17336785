// Filters over big tables: a <select data-lookup> holds only the chosen row (annotations.widgets.LookupSelect);
// this turns it into a search box that asks the lookup endpoint. The select stays the form's field.
import { attachCombobox } from "../annotations/combobox.js";

let seq = 0;

function enhance(select) {
  const id = `lookup-${++seq}`;
  const wrap = document.createElement("div");
  wrap.className = "ws-combo lookup";
  const input = document.createElement("input");
  input.type = "search";
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${id}-list`);
  input.placeholder = "Type to search";
  const chosen = select.selectedOptions[0];
  input.value = chosen && chosen.value ? chosen.textContent : "";
  const list = document.createElement("ul");
  list.id = `${id}-list`;
  list.className = "ws-options";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  // The label points at the input from now on; the select keeps the value.
  if (select.id) {
    input.id = select.id;
    select.id = `${select.id}-value`;
  }
  select.hidden = true;
  select.before(wrap);
  wrap.append(input, list, select);

  function choose(value, label) {
    const empty = select.options[0];
    const option = new Option(label, value, true, true);
    select.replaceChildren(empty, option);
    input.value = label;
  }

  attachCombobox({
    input,
    list,
    async search(term) {
      const response = await fetch(`${select.dataset.lookup}?q=${encodeURIComponent(term)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return [];
      return (await response.json()).results;
    },
    describe(row) {
      const span = document.createElement("span");
      span.textContent = row.label;
      if (row.detail) {
        const detail = document.createElement("small");
        detail.className = "hint";
        detail.textContent = ` ${row.detail}`;
        span.append(detail);
      }
      return span;
    },
    onPick: (row) => choose(String(row.value), row.label),
  });
  // Clearing the box clears the filter.
  input.addEventListener("input", () => {
    if (!input.value.trim()) select.value = "";
  });
}

document.querySelectorAll("select[data-lookup]").forEach(enhance);
