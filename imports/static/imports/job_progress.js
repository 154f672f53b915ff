// Live progress of an import: polls GET /api/v1/imports/{id} (data-url asks for no errors and no
// changes: errors_limit=0, changes_limit=0) until the job ends, then reloads the page so that the
// server renders the report (counts, errors, changes, download).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.active !== "1") { return; }
  var bar = document.getElementById("job-progress-bar");
  var phase = document.getElementById("job-phase");
  var text = document.getElementById("job-progress-text");
  var status = document.getElementById("job-status");
  var delay = 1000;

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + " %";
        text.textContent = job.progress + " %";
        if (job.phase) { phase.textContent = job.phase; }
        status.textContent = job.status_label;
        if (job.status === "pending" || job.status === "running") {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, delay * 5); });
  }
  window.setTimeout(poll, delay);
})();
