/* The family invitation page (web/invitation.html), without inline script (the CSP forbids it):
   - buttons marked data-copy="<input id>" copy that input's text to the clipboard and say so in
     the element marked data-copy-status (the text stays selected if copying is not allowed, so
     Ctrl+C or a long press still copies it);
   - buttons marked data-print open the browser's print dialog. */
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");
  function say(text) { if (status) { status.textContent = text; } }
  function fallback(input) {
    input.focus();
    input.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    say(done ? "Link copied." : "The link is selected: copy it with Ctrl+C (or a long press on a phone).");
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () { input.select(); say("Link copied."); },
          function () { fallback(input); }
        );
      } else {
        fallback(input);
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
