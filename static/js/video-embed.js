/* Click-to-load video (Justice Journal): nothing is fetched from YouTube until the visitor
   presses Play. Without JavaScript the facade keeps its plain "Watch on YouTube" link. */
(function () {
  "use strict";
  document.querySelectorAll(".video-embed[data-embed-src]").forEach(function (box) {
    var button = box.querySelector(".video-play");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = box.getAttribute("data-embed-src");
      frame.title = box.getAttribute("data-embed-title") || "Video";
      frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.className = "video-frame";
      box.classList.add("is-playing");
      box.replaceChildren(frame);
      frame.focus();
    });
  });
})();
