// Review queue keyboard: j/k move, a accept, r reject (reason field), x select, o open, Esc cancel.
// Every action submits the item's own POST form (with its CSRF token); nothing is written from JS.
const items = () => [...document.querySelectorAll("#queue .qitem")];
let current = -1;

function focusItem(index) {
  const list = items();
  if (!list.length) return;
  current = Math.max(0, Math.min(index, list.length - 1));
  list.forEach((el, i) => el.classList.toggle("current", i === current));
  const el = list[current];
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function currentItem() {
  return current >= 0 ? items()[current] : null;
}

function updateCount() {
  const n = document.querySelectorAll("#queue .qselect:checked").length;
  const out = document.getElementById("selected-count");
  if (out) out.textContent = String(n);
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && typing(event.target)) {
    event.target.blur();
    const item = event.target.closest(".qitem");
    if (item) { item.classList.remove("rejecting"); item.focus(); }
    return;
  }
  if (typing(event.target)) return;
  const item = currentItem();
  switch (event.key) {
    case "j": focusItem(current + 1); break;
    case "k": focusItem(current < 0 ? 0 : current - 1); break;
    case "a":
      if (item) item.querySelector(".accept-form").requestSubmit();
      break;
    case "r":
      if (item) {
        item.classList.add("rejecting");
        item.querySelector(".reject-form .reason").focus();
      }
      break;
    case "x":
      if (item) {
        const box = item.querySelector(".qselect");
        box.checked = !box.checked;
        updateCount();
      }
      break;
    case "o":
      if (item) window.location.href = item.querySelector(".qlink").href;
      break;
    default:
      return;
  }
  event.preventDefault();
});

document.querySelectorAll("#queue .qitem").forEach((el, i) => {
  el.addEventListener("click", (event) => {
    if (!typing(event.target) && event.target.tagName !== "A" && event.target.tagName !== "BUTTON") focusItem(i);
  });
  el.addEventListener("focusin", () => { current = i; items().forEach((x, j) => x.classList.toggle("current", j === i)); });
});
document.querySelectorAll("#queue .qselect").forEach((box) => box.addEventListener("change", updateCount));
const all = document.getElementById("select-all");
if (all) {
  all.addEventListener("change", () => {
    document.querySelectorAll("#queue .qselect").forEach((box) => { box.checked = all.checked; });
    updateCount();
  });
}
updateCount();
if (items().length) focusItem(0);
