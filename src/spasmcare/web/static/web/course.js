/* spasmcare drug-course planner: small helpers; every page works without them.
   - choosing another protocol (or version) re-shows the form with that protocol's options;
   - buttons marked data-print open the browser's print dialog. */
(function () {
  "use strict";
  var form = document.getElementById("planner-form");
  if (form) {
    var protocol = form.querySelector("select[name=protocol]");
    var version = form.querySelector("select[name=version]");
    if (protocol) {
      protocol.addEventListener("change", function () {
        if (version) { version.disabled = true; } /* the new protocol's latest version */
        form.submit();
      });
    }
    if (version) {
      version.addEventListener("change", function () { form.submit(); });
    }
  }
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
