// Staff concern page: picking a response template fills the public update with its text (in
// the resident's language) and chooses the template's status. Without this file the form still
// works: a template with an empty text sends the template's text.
(function () {
  "use strict";
  var form = document.getElementById("status-form");
  var texts = document.getElementById("response-template-texts");
  if (!form || !texts) {
    return;
  }
  var select = form.querySelector("select[name=template]");
  var status = form.querySelector("select[name=status]");
  var text = form.querySelector("textarea[name=public_text]");
  if (!select || !text) {
    return;
  }
  var lastFilled = "";
  select.addEventListener("change", function () {
    var item = texts.querySelector('li[data-template="' + select.value + '"]');
    // Only replace what a template put there: never what the person typed themselves.
    if (text.value.trim() === "" || text.value === lastFilled) {
      text.value = item ? item.textContent : "";
      lastFilled = text.value;
    }
    if (item && status && item.getAttribute("data-status")) {
      status.value = item.getAttribute("data-status");
      status.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
