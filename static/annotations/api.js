// fetch() wrapper for the pages' calls to /api/v1/: same-origin session cookie, CSRF header, and
// RFC 9457 problem details (application/problem+json) read into ApiError.

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

const SESSION_ENDED = "Your session has ended; log in again (in another tab) and retry.";

/** An error answer: `errors` by field (a problem's own, or its `detail` under __all__), `data` the whole body. */
export class ApiError extends Error {
  constructor(status, data) {
    const body = data || {};
    let errors = body.errors && typeof body.errors === "object" ? body.errors : null;
    if (!errors) errors = { __all__: [status === 401 ? SESSION_ENDED : body.detail || `The server answered ${status}.`] };
    super(Object.values(errors).flat().join(" "));
    this.status = status;
    this.errors = errors;
    this.detail = body.detail || this.message;
    this.data = body;
  }
}

export async function api(method, url, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json, application/problem+json" } };
  if (method !== "GET") {
    options.headers["X-CSRFToken"] = csrfToken();
    options.headers["Content-Type"] = "application/json";
    if (body !== undefined) options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (err) {
    throw new ApiError(0, { errors: { __all__: ["The server could not be reached; your change was not saved."] } });
  }
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  const isJson = /^application\/(problem\+)?json\b/.test(type);
  if (isJson) data = await response.json();
  if (!response.ok) throw new ApiError(response.status, data);
  if (response.redirected && !isJson) throw new ApiError(401, { errors: { __all__: [SESSION_ENDED] } });
  return data;
}
