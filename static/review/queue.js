// Review queue keyboard: j/k move, a accept, r reject (reason field), x select, o open, Esc cancel.
// Accept and reject call the public API (POST /api/v1/review/quotes/{pk}/accept|reject, with the
// version the page showed) and update the row in place; the result is announced in #queue-status
// (aria-live). Without JavaScript the item's own POST forms do the same through the pages.
import { api } from "../annotations/api.js";

const items = () => [...document.querySelectorAll("#queue .qitem")];
let current = -1;
const announcer = document.getElementById("queue-status");
const STATUS_LABELS = { accepted: "Accepted", rejected: "Rejected", submitted: "Submitted", draft: "Draft" };

function announce(message, isError = false) {
  if (!announcer) return;
  announcer.textContent = message;
  announcer.classList.toggle("error", isError);
}

function bumpCount(status, delta) {
  const out = document.querySelector(`.status-tabs .count[data-status="${status}"]`);
  if (out && /^\d+$/.test(out.textContent.trim())) out.textContent = String(Number(out.textContent.trim()) + delta);
}

function showDecided(item, quote) {
  const pk = item.dataset.quote;
  const before = item.querySelector(".qhead .badge");
  if (before) {
    bumpCount([...before.classList].find((c) => c !== "badge") || "", -1);
    before.className = `badge ${quote.status}`;
    before.textContent = STATUS_LABELS[quote.status] || quote.status;
  }
  bumpCount(quote.status, 1);
  item.classList.remove("rejecting");
  item.classList.add("decided", quote.status);
  item.dataset.status = quote.status;
  const box = item.querySelector(".qselect");
  if (box) { box.checked = false; box.disabled = true; box.value = `${pk}:${quote.version}`; }
  item.querySelectorAll(".accept-form, .reject-form").forEach((form) => form.remove());
  if (quote.review_note) {
    let note = item.querySelector(".note");
    if (!note) {
      note = document.createElement("p");
      note.className = "note";
      item.querySelector(".qactions").before(note);
    }
    const label = document.createElement("strong");
    label.textContent = quote.status === "rejected" ? "Reason:" : "Note:";
    note.replaceChildren(label, ` ${quote.review_note}`);
  }
  updateCount();
}

let busy = false;

async function decide(item, decision) {
  if (busy || item.classList.contains("decided")) return;
  const form = item.querySelector(decision === "accept" ? ".accept-form" : ".reject-form");
  if (!form) return;
  const pk = item.dataset.quote;
  const version = Number(form.querySelector("input[name=expected_version]").value);
  const body = decision === "accept" ? { version } : { version, reason: form.querySelector(".reason").value };
  busy = true;
  item.setAttribute("aria-busy", "true");
  try {
    const quote = await api("POST", `/api/v1/review/quotes/${pk}/${decision}`, body);
    showDecided(item, quote);
    announce(`Quote #${pk} ${decision === "accept" ? "accepted" : "rejected"}.`);
    const list = items();
    const next = list.findIndex((el, i) => i > list.indexOf(item) && !el.classList.contains("decided"));
    focusItem(next >= 0 ? next : list.indexOf(item));
  } catch (error) {
    const reload = error.status === 409 ? " Reload the page to see it as it is now." : "";
    announce(`Quote #${pk} unchanged: ${error.message}${reload}`, true);
  } finally {
    busy = false;
    item.removeAttribute("aria-busy");
  }
}

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
      if (item && item.querySelector(".accept-form")) item.querySelector(".accept-form").requestSubmit();
      break;
    case "r":
      if (item && item.querySelector(".reject-form")) {
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
document.querySelectorAll("#queue .qitem").forEach((item) => {
  // the forms still validate (the reason is required) before this runs; then the API writes
  for (const [selector, decision] of [[".accept-form", "accept"], [".reject-form", "reject"]]) {
    const form = item.querySelector(selector);
    if (form) form.addEventListener("submit", (event) => { event.preventDefault(); decide(item, decision); });
  }
});
document.querySelectorAll("#queue .qselect").forEach((box) => box.addEventListener("change", updateCount));
const all = document.getElementById("select-all");
if (all) {
  all.addEventListener("change", () => {
    document.querySelectorAll("#queue .qselect:not(:disabled)").forEach((box) => { box.checked = all.checked; });
    updateCount();
  });
}
updateCount();
if (items().length) focusItem(0);
