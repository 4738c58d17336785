// A list-autocomplete combobox (ARIA 1.2): the input keeps focus, the highlighted option is announced
// through aria-activedescendant. State lives in the object returned, not in this module.

export function attachCombobox({ input, list, search, describe, onPick, extra = null, delay = 120 }) {
  const combo = { results: [], index: -1, timer: null };
  const options = () => [...list.children];

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    combo.index = -1;
  }

  function highlight(index) {
    const items = options();
    combo.index = items.length ? (index + items.length) % items.length : -1;
    items.forEach((o, i) => o.setAttribute("aria-selected", String(i === combo.index)));
    const active = items[combo.index];
    if (active) { input.setAttribute("aria-activedescendant", active.id); active.scrollIntoView({ block: "nearest" }); }
    else input.removeAttribute("aria-activedescendant");
  }

  function pick(i) {
    const item = options()[i];
    if (item && item._pick) item._pick();
    close();
  }

  async function run() {
    const term = input.value.trim();
    if (!term) { close(); return; }
    const results = await search(term);
    if (input.value.trim() !== term) return;
    const items = results.map((r) => ({ node: describe(r), pick: () => onPick(r) }));
    // `extra(term)` may add one more option ({node, pick, className}), e.g. "+ New speaker".
    if (extra) { const e = extra(term); if (e) items.push(e); }
    list.replaceChildren(...items.map(({ node, pick: choose, className }, i) => {
      const li = document.createElement("li");
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.className = className ? `ws-option ${className}` : "ws-option";
      li.append(node);
      li._pick = choose;
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    highlight(0);
  }

  input.addEventListener("input", () => { clearTimeout(combo.timer); combo.timer = setTimeout(run, delay); });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") { ev.preventDefault(); highlight(combo.index + (ev.key === "ArrowDown" ? 1 : -1)); }
    else if (ev.key === "Enter") { ev.preventDefault(); pick(combo.index); }
    else if (ev.key === "Escape") { ev.preventDefault(); close(); }
  });
  return { close, run };
}
