// Staff concern page: the action panel's tab links (?action=…, which work without JavaScript)
// become accessible tabs that switch in place (WAI-ARIA tabs: arrow keys, Home and End). The
// address follows the open tab, so a reload or a shared link opens the same one. A map in a
// panel or a disclosure that was hidden gets its size when it is shown.
(function () {
  "use strict";
  var panel = document.querySelector("[data-action-panel]");
  var list = panel && panel.querySelector("[data-action-tabs]");
  if (!list) {
    return;
  }
  var tabs = Array.prototype.slice.call(list.querySelectorAll("[data-action-tab]"));
  function panelOf(tab) {
    return panel.querySelector('[data-action-panel-for="' + tab.getAttribute("data-action-tab") + '"]');
  }
  function resized() {
    window.dispatchEvent(new Event("resize"));
  }
  function select(tab, focus) {
    tabs.forEach(function (other) {
      var on = other === tab;
      other.classList.toggle("active", on);
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.setAttribute("tabindex", on ? "0" : "-1");
      other.removeAttribute("aria-current");
      var body = panelOf(other);
      if (body) {
        body.hidden = !on;
      }
    });
    if (focus) {
      tab.focus();
    }
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("action", tab.getAttribute("data-action-tab"));
      url.hash = "";
      window.history.replaceState(null, "", url.toString());
    }
    resized();
  }
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-labelledby", "actions-heading");
  tabs.forEach(function (tab) {
    var body = panelOf(tab);
    tab.parentElement.setAttribute("role", "presentation");
    tab.setAttribute("role", "tab");
    var on = tab.classList.contains("active");
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.setAttribute("tabindex", on ? "0" : "-1");
    tab.removeAttribute("aria-current");
    if (body) {
      tab.setAttribute("aria-controls", body.id);
      body.setAttribute("role", "tabpanel");
      body.setAttribute("aria-labelledby", tab.id);
      body.setAttribute("tabindex", "0");
    }
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      select(tab, false);
    });
    tab.addEventListener("keydown", function (event) {
      var index = tabs.indexOf(tab);
      var next = null;
      if (event.key === "ArrowRight") {
        next = tabs[(index + 1) % tabs.length];
      } else if (event.key === "ArrowLeft") {
        next = tabs[(index - 1 + tabs.length) % tabs.length];
      } else if (event.key === "Home") {
        next = tabs[0];
      } else if (event.key === "End") {
        next = tabs[tabs.length - 1];
      }
      if (next) {
        event.preventDefault();
        select(next, true);
      }
    });
  });
  // Links elsewhere on the page that open a tab ("Review the public text").
  document.querySelectorAll("[data-action-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var tab = list.querySelector('[data-action-tab="' + link.getAttribute("data-action-link") + '"]');
      if (tab) {
        event.preventDefault();
        select(tab, true);
        panel.scrollIntoView({ block: "nearest" });
      }
    });
  });
  panel.querySelectorAll("details").forEach(function (details) {
    details.addEventListener("toggle", resized);
  });
})();
