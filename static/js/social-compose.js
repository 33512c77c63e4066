// Live character counts on the social compose page. The server counts again and decides;
// this mirrors outreach/social/validation.py: X and Mastodon count each link as 23
// characters, Bluesky counts graphemes.
(function () {
  "use strict";
  var form = document.querySelector("form.social-compose");
  if (!form) return;
  var limits = {};
  (form.getAttribute("data-limits") || "").split(",").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2) limits[parts[0]] = parseInt(parts[1], 10);
  });
  var urlRe = /https?:\/\/[^\s<>"']+/gi;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function graphemes(text) {
    if (!segmenter) return Array.from(text).length;
    var n = 0;
    for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) n++;
    return n;
  }
  function length(platform, text) {
    if (platform === "x" || platform === "mastodon") {
      var links = text.match(urlRe) || [];
      return Array.from(text.replace(urlRe, "")).length + 23 * links.length;
    }
    if (platform === "bluesky") return graphemes(text);
    return Array.from(text).length;
  }
  var body = form.querySelector("[data-social-count='body']");

  function update() {
    form.querySelectorAll(".social-count[data-platform]").forEach(function (out) {
      var area = document.getElementById(out.getAttribute("data-for"));
      var platform = out.getAttribute("data-platform");
      var text = area && area.value ? area.value : body ? body.value : "";
      var n = length(platform, text);
      var limit = limits[platform];
      out.textContent = limit ? n + " / " + limit : String(n);
      out.classList.toggle("text-danger", !!limit && n > limit);
    });
    var main = form.querySelector(".social-count:not([data-platform])");
    if (main && body) main.textContent = String(Array.from(body.value).length);
  }
  form.addEventListener("input", update);
  update();
})();
