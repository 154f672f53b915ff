// Live progress of a referential upload: polls the status URL until the import ends, then reloads the
// page so that the server renders the summary (or the error).
(function () {
  "use strict";
  var box = document.getElementById("upload-progress");
  if (!box || (box.dataset.status !== "pending" && box.dataset.status !== "running")) { return; }
  var bar = document.getElementById("upload-percent");
  var step = document.getElementById("upload-step");
  var status = document.getElementById("upload-status");
  var delay = 1000;

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (upload) {
        bar.value = upload.percent;
        bar.textContent = upload.percent + " %";
        step.textContent = upload.step || "—";
        status.textContent = upload.status_label;
        if (upload.status === "pending" || upload.status === "running") {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, delay * 5); });
  }
  window.setTimeout(poll, delay);
})();
