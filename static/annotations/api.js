// fetch() wrapper for the workspace's JSON endpoints: same-origin, CSRF header, JSON errors.

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, data) {
    const errors = (data && data.errors) || { __all__: [`The server answered ${status}.`] };
    super(Object.values(errors).flat().join(" "));
    this.status = status;
    this.errors = errors;
    this.data = data || {};
  }
}

export async function api(method, url, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
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
  if (type.includes("application/json")) data = await response.json();
  if (!response.ok) throw new ApiError(response.status, data);
  if (response.redirected && !type.includes("application/json")) {
    throw new ApiError(401, { errors: { __all__: ["Your session has ended; log in again (in another tab) and retry."] } });
  }
  return data;
}
