// The suggestions panel of the annotation workspace. Lists the article's pending suggestions
// (distinct from annotations), highlights them as the "suggestions" layer, and accepts (y) or
// rejects (n) the focused one; ] and [ move the focus. Offsets from the server are code points.
// Every call goes to the public API (/api/v1/suggestions/…) through api.js (session, CSRF header,
// problem details).
import { api } from "../annotations/api.js";

const LAYER = "suggestions";
const panel = document.getElementById("suggestions-panel");
const list = panel.querySelector("[data-sg-list]");
const status = panel.querySelector("[data-sg-status]");
const count = panel.querySelector("[data-sg-count]");

let workspace = null;
let items = [];
let focused = 0;
let busy = false;
let painted = false; // whether this panel has put spans on the layer (it never clears a layer it did not paint)

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

async function request(url, method = "GET") {
  return api(method, url); // problem details: the message is their `errors` (or `detail`), see api.js
}

function urlFor(kind, id) {
  return panel.dataset[`${kind}Url`].replace(/\/0\/(accept|reject)$/, `/${id}/$1`);
}

function describe(item) {
  const who = item.speaker ? item.speaker : "no speaker found";
  return `${item.kind} · ${who} · rule ${item.rule}`;
}

function paintLayer() {
  if (!workspace) return;
  if (!items.length && !painted) return;
  const spans = [];
  items.forEach((item, index) => {
    for (const [start, end] of item.spans) {
      spans.push({
        start, end, id: item.id,
        className: `sg-suggestion sg-${item.kind}${index === focused ? " sg-focused" : ""}`,
        title: `Suggestion: ${describe(item)}`,
      });
    }
  });
  workspace.setLayer(LAYER, spans);
  painted = spans.length > 0;
}

function render() {
  count.textContent = String(items.length);
  list.replaceChildren();
  items.forEach((item, index) => {
    const li = document.createElement("li");
    li.className = `sg-item sg-${item.kind}${index === focused ? " sg-focused" : ""}`;
    li.dataset.id = String(item.id);
    li.tabIndex = -1;
    li.setAttribute("aria-current", index === focused ? "true" : "false");
    const meta = document.createElement("div");
    meta.className = "sg-meta";
    meta.textContent = describe(item);
    const text = document.createElement("blockquote");
    text.className = "sg-text";
    text.textContent = item.text;
    const actions = document.createElement("div");
    actions.className = "sg-actions";
    const accept = document.createElement("button");
    accept.type = "button";
    accept.className = "primary";
    accept.textContent = "Accept (y)";
    accept.addEventListener("click", () => { focused = index; decide("accept"); });
    const reject = document.createElement("button");
    reject.type = "button";
    reject.className = "secondary";
    reject.textContent = "Reject (n)";
    reject.addEventListener("click", () => { focused = index; decide("reject"); });
    actions.append(accept, reject);
    li.append(meta, text, actions);
    li.addEventListener("click", (event) => {
      if (event.target.closest("button")) return;
      focus(index);
    });
    list.append(li);
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "muted sg-empty";
    li.textContent = "No pending suggestions. Use “Suggest quotes” to run the rules on this article.";
    list.append(li);
  }
  paintLayer();
}

function focus(index, scroll = true) {
  if (!items.length) return;
  focused = Math.max(0, Math.min(index, items.length - 1));
  render();
  const item = items[focused];
  if (scroll && workspace) workspace.scrollToOffset(item.spans[0][0]);
  const li = list.querySelector(`[data-id="${item.id}"]`);
  if (li) li.scrollIntoView({ block: "nearest" });
}

async function load() {
  const data = await request(panel.dataset.listUrl);
  items = data.suggestions;
  focused = Math.min(focused, Math.max(0, items.length - 1));
  render();
}

async function suggest() {
  if (busy) return;
  busy = true;
  say("Running the rules…");
  try {
    const data = await request(panel.dataset.suggestUrl, "POST");
    items = data.suggestions;
    focused = 0;
    render();
    say(`${items.length} suggestion(s).`);
  } catch (error) {
    say(error.message, true);
  } finally {
    busy = false;
  }
}

async function decide(action) {
  if (busy || !items.length) return;
  const item = items[focused];
  busy = true;
  let accepted = false;
  try {
    const data = await request(urlFor(action, item.id), "POST");
    items = items.filter((i) => i.id !== item.id);
    focused = Math.min(focused, Math.max(0, items.length - 1));
    render();
    say(action === "accept" ? `Accepted: quote ${data.quote_id} created (origin rule:${item.rule}).` : "Rejected.");
    accepted = action === "accept";
  } catch (error) {
    say(error.message, true);
    await load().catch(() => {});
  } finally {
    busy = false; // the next key works at once, while the workspace reloads its annotations
  }
  if (accepted && workspace) {
    try { await workspace.refresh(); } catch (error) { say(`Accepted, but the workspace did not reload: ${error.message}`, true); }
  }
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  if (!items.length) return;
  const actions = { y: () => decide("accept"), n: () => decide("reject"), "]": () => focus(focused + 1), "[": () => focus(focused - 1) };
  const run = actions[event.key];
  if (run) {
    event.preventDefault();
    run();
  }
});

document.addEventListener("workspace:layer-click", (event) => {
  if (!event.detail || event.detail.name !== LAYER) return;
  const index = items.findIndex((i) => i.id === Number(event.detail.id));
  if (index >= 0) focus(index, false);
});

panel.querySelector("[data-sg-suggest]").addEventListener("click", suggest);

function start(api) {
  if (workspace) return;
  workspace = api;
  load().catch((error) => say(error.message, true));
}

if (window.workspace) start(window.workspace);
else document.addEventListener("workspace:ready", (event) => start(event.detail), { once: true });
