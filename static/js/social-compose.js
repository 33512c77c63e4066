// Live character counts and per-channel preview on the social compose page. The server
// counts again and decides; this mirrors outreach/social/validation.py: X and Mastodon count
// each link as 23 characters, Bluesky counts graphemes, Instagram needs an image.
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
  var preview = form.querySelector(".social-live-preview");
  var imageInput = form.querySelector("input[type='file'][name='image']");
  var storedImages = parseInt(form.getAttribute("data-images") || "0", 10) || 0;

  function textFor(variantId) {
    var area = variantId ? document.getElementById(variantId) : null;
    return area && area.value.trim() ? area.value : body ? body.value : "";
  }
  function count(platform, text) {
    var n = length(platform, text);
    var limit = limits[platform];
    return { n: n, limit: limit, over: !!limit && n > limit, label: limit ? n + " / " + limit : String(n) };
  }
  function showText(node, text) {
    while (node.firstChild) node.removeChild(node.firstChild);
    text.split("\n").forEach(function (line, i) {
      if (i) node.appendChild(document.createElement("br"));
      node.appendChild(document.createTextNode(line));
    });
  }
  function chosen() {
    var ids = {};
    form.querySelectorAll("input[name='channels']:checked").forEach(function (box) {
      ids[box.value] = true;
    });
    return ids;
  }

  function update() {
    form.querySelectorAll(".social-count[data-platform]").forEach(function (out) {
      var c = count(out.getAttribute("data-platform"), textFor(out.getAttribute("data-for")));
      out.textContent = c.label;
      out.classList.toggle("text-danger", c.over);
    });
    var main = form.querySelector(".social-count:not([data-platform])");
    if (main && body) main.textContent = String(Array.from(body.value).length);
    if (!preview) return;
    var ids = chosen();
    var images = storedImages + (imageInput && imageInput.files ? imageInput.files.length : 0);
    var shown = 0;
    preview.querySelectorAll("[data-preview-channel]").forEach(function (card) {
      var on = !!ids[card.getAttribute("data-preview-channel")];
      card.hidden = !on;
      if (!on) return;
      shown++;
      var platform = card.getAttribute("data-platform");
      var text = textFor(card.getAttribute("data-variant"));
      var c = count(platform, text);
      card.querySelector(".social-preview-count").textContent = c.label;
      showText(card.querySelector(".social-preview-text"), text);
      var problems = [];
      if (c.over) problems.push(form.getAttribute("data-msg-over"));
      if (platform === "instagram" && !images) problems.push(form.getAttribute("data-msg-image"));
      card.querySelector(".social-preview-problem").textContent = problems.join(" ");
      card.classList.toggle("border-danger", problems.length > 0);
    });
    var none = preview.querySelector(".social-preview-none");
    if (none) none.hidden = shown > 0;
  }
  if (preview) preview.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
