// The user's workspace preferences (shortcuts, layers, arcs), saved through the API.

import { api, ApiError } from "./api.js";
import { S, config } from "./state.js";
import { gettext, interpolate } from "./i18n.js";
import { setStatus } from "./render.js";

export async function savePrefs(changes) {
  Object.assign(S.prefs, changes);
  try {
    await api("POST", config.urls.preferences, changes);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    setStatus(interpolate(gettext("Your settings could not be saved: %(error)s"), { error: err.message }), "error");
  }
}

/** Read the saved preferences; a failure leaves the defaults. */
export async function loadPrefs() {
  try {
    return (await api("GET", config.urls.preferences)).preferences || {};
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return {};
  }
}
