/* Idle sign-out warning: shows a dialog two minutes before the session ends and lets the
   person stay signed in. The server is the authority (SessionLimitsMiddleware); this script
   only asks it how much time is left. Works in several tabs at once. */
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout, 10);
  var warning = parseInt(body.dataset.idleWarning, 10);
  var statusUrl = body.dataset.sessionStatusUrl;
  var dialogEl = document.getElementById("session-timeout");
  if (!timeout || !statusUrl || !dialogEl || !window.bootstrap) { return; }
  var dialog = new window.bootstrap.Modal(dialogEl, { backdrop: "static", keyboard: false });
  var countdown = dialogEl.querySelector("[data-countdown]");
  var keepalive = dialogEl.querySelector("form[data-keepalive]");
  var deadline = Date.now() + timeout * 1000;
  var shown = false;

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function refresh() {
    return fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { remaining: 0 }; })
      .then(function (data) { deadline = Date.now() + data.remaining * 1000; })
      .catch(function () { /* offline: keep the local estimate */ });
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left <= 0) {
      window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
      return;
    }
    if (left <= warning && !shown) {
      refresh().then(function () {
        var again = Math.round((deadline - Date.now()) / 1000);
        if (again <= warning) { shown = true; dialog.show(); keepalive.querySelector("button").focus(); }
      });
    }
    if (shown && countdown) { countdown.textContent = format(left); }
  }

  keepalive.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(keepalive.action, { method: "POST", body: new FormData(keepalive), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { deadline = Date.now() + data.remaining * 1000; shown = false; dialog.hide(); })
      .catch(function () { keepalive.submit(); });
  });

  window.setInterval(tick, 1000);
})();
