/* Family diary: small progressive enhancements. Every form works without this file. */
(function () {
  "use strict";
  // A form marked data-once is sent once: a second tap while the page loads is ignored
  // (the server also ignores a repeated post by its nonce). The tapped button is not
  // disabled, so its value is still sent.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.classList.add("is-sending");
      var tapped = event.submitter;
      if (tapped) { tapped.classList.add("is-tapped"); }
    });
  });
  // "Cluster now" opened: bring the number buttons into view.
  var cluster = document.getElementById("cluster");
  if (cluster) {
    cluster.addEventListener("toggle", function () {
      if (cluster.open) { cluster.scrollIntoView({ block: "start", behavior: "smooth" }); }
    });
  }
  // Print buttons (the browser's own print works too).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
