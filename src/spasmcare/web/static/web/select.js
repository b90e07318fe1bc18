// Select the whole one-time link when it is clicked, so it can be copied in one go.
document.querySelectorAll("input[data-select-all]").forEach(function (input) {
  input.addEventListener("click", function () { input.select(); });
});
