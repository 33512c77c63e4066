/* After a failed submit the server puts an error summary (role=alert) at the top of the form.
   Move focus to it so keyboard and screen-reader users land on the list of problems, and make
   its links focus the field and show its label (the browser alone would hide the label under
   the top of the viewport). Loaded on every page; does nothing without a summary. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!input) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + input.id + "']") || input.closest("fieldset") || input;
    label.scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
