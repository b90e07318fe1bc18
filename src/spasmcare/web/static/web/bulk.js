/* Bulk export page: poll the progress of running exports; reload when one finishes so its
   download links appear. The page works without this file (refresh by hand). */
(function () {
  "use strict";
  var cells = Array.prototype.slice.call(document.querySelectorAll("[data-export-status]"));
  var running = cells.filter(function (c) {
    return c.dataset.state === "queued" || c.dataset.state === "running";
  });
  if (!running.length) { return; }
  function poll() {
    var pending = running.map(function (cell) {
      return fetch(cell.dataset.exportStatus, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          var bar = cell.querySelector("progress");
          var text = cell.querySelector("[data-text]");
          bar.value = job.percent;
          bar.textContent = job.percent + " %";
          text.textContent = job.done + " of " + job.total + " patients";
          return job.status === "done" || job.status === "failed";
        })
        .catch(function () { return false; });
    });
    Promise.all(pending).then(function (finished) {
      if (finished.some(function (f) { return f; })) { window.location.reload(); }
      else { window.setTimeout(poll, 1000); }
    });
  }
  window.setTimeout(poll, 1000);
})();
