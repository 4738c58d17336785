// Tables that scroll inside their own box (on narrow screens the CSS gives them overflow: auto) take
// keyboard focus while they scroll, so that a keyboard user can scroll them with the arrow keys too
// (WCAG 2.1.1). A table that fits again gives the focus stop back. Checked on load and after a resize.
const MARK = "scrollFocus";

function scrolls(el) {
  return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
}

export function markScrollRegions(root = document) {
  for (const table of root.querySelectorAll("main table")) {
    if (scrolls(table)) {
      if (!table.hasAttribute("tabindex")) {
        table.tabIndex = 0;
        table.dataset[MARK] = "1";
      }
    } else if (table.dataset[MARK]) {
      table.removeAttribute("tabindex");
      delete table.dataset[MARK];
    }
  }
}

let pending = 0;
markScrollRegions();
addEventListener("resize", () => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(() => markScrollRegions());
});
