// The job page's progress bar: polls GET /api/v1/jobs/{id} (the session cookie) while the job is queued
// or running, moves the <progress> bar, and reloads the page once the job has finished so that the
// server renders its result or its error. No inline script: the URL comes from json_script.
const config = JSON.parse(document.getElementById("job-poll")?.textContent || "null");
const bar = document.getElementById("job-progress");
const text = document.getElementById("job-progress-text");
const statusEl = document.getElementById("job-status");
const POLL_MS = 1000;

function show(job) {
  if (job.total > 0) {
    bar.max = job.total;
    bar.value = job.done;
    text.textContent = `${job.done.toLocaleString()} of ${job.total.toLocaleString()}`;
  }
  statusEl.textContent = job.status.charAt(0).toUpperCase() + job.status.slice(1);
  document.getElementById("job").dataset.status = job.status;
}

async function poll() {
  let response;
  try {
    response = await fetch(config.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch {
    setTimeout(poll, POLL_MS * 3);  // offline for a moment: try again later
    return;
  }
  if (!response.ok) return;  // signed out, or no longer allowed: the page stays as it was rendered
  const job = await response.json();
  show(job);
  if (job.finished) {
    window.location.reload();
  } else {
    setTimeout(poll, POLL_MS);
  }
}

if (config && bar && !config.finished) setTimeout(poll, POLL_MS);
