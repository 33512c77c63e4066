// The triage queue: "select all on this page" checks or clears every row's checkbox, and says
// how many rows are selected (the count is read out by screen readers through aria-live).
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) return;
  var all = document.getElementById("select-all");
  var count = document.getElementById("selected-count");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='concerns']"));
  function update() {
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    if (all) {
      all.checked = checked === boxes.length && checked > 0;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    if (count) count.textContent = count.getAttribute("data-template").replace("__n__", String(checked));
  }
  if (all) {
    all.hidden = false;
    all.parentNode.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
