// Interface strings through Django's JavaScript catalogue (`/jsi18n/`, loaded before the modules):
// `gettext`, `ngettext` and `interpolate` as Django defines them; identity when the catalogue is absent
// (the unit tests under node). `makemessages -d djangojs` finds the calls.

const g = globalThis;
export const gettext = (s) => (typeof g.gettext === "function" ? g.gettext(s) : s);
export const ngettext = (one, many, n) => (typeof g.ngettext === "function" ? g.ngettext(one, many, n) : n === 1 ? one : many);
/** Named placeholders: interpolate("%(n)s quotes", {n: 3}). */
export function interpolate(fmt, values) {
  return String(fmt).replace(/%\((\w+)\)s/g, (_, k) => (Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : ""));
}
