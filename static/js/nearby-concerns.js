/* "Already reported nearby" on the report form. When the pin's latitude and longitude inputs
   change (the map's pin, or anything else that fills them and fires "change"), the open public
   reports near that point are fetched and shown in a list under the map and as markers on the
   map; nothing is submitted, so the form, photos included, stays as it is. Without JavaScript
   the form's "Check for similar reports" button does the same with a round trip. The count is
   announced in a polite status line. Messages come translated from data attributes; nothing
   here writes HTML from data. */
(function () {
  "use strict";

  var box = document.querySelector("[data-nearby-concerns]");
  if (!box || !window.fetch) {
    return;
  }
  var data = box.dataset;
  var latInput = document.getElementById(data.latInput);
  var lonInput = document.getElementById(data.lonInput);
  var list = box.querySelector("[data-nearby-list]");
  var status = box.querySelector("[data-nearby-status]");
  if (!latInput || !lonInput || !list || !status) {
    return;
  }
  box.hidden = false;

  var map = null;
  var layer = null;
  var results = [];
  var lastKey = "";
  var asked = 0;
  var timer = null;

  // A date of the answer (YYYY-MM-DD) in the page's language, as the list beside it writes it.
  function day(value) {
    var date = new Date(value + "T12:00:00");
    if (isNaN(date.getTime())) {
      return value;
    }
    try {
      return date.toLocaleDateString(document.documentElement.lang || undefined, {
        year: "numeric",
        month: "short",
        day: "numeric",
      });
    } catch (error) {
      return value;
    }
  }

  function say(message) {
    status.textContent = message;
  }

  function text(tag, className, value) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    element.textContent = value;
    return element;
  }

  function link(href, label, hidden) {
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.className = "btn btn-sm btn-outline-primary me-2";
    anchor.appendChild(document.createTextNode(label));
    anchor.appendChild(text("span", "visually-hidden", " – " + hidden));
    return anchor;
  }

  function drawMarkers() {
    if (!layer) {
      return;
    }
    layer.clearLayers();
    results.forEach(function (item) {
      var marker = window.L.circleMarker([item.lat, item.lon], {
        radius: 7,
        color: "#fff",
        weight: 2,
        fillColor: "#b35900",
        fillOpacity: 1,
      });
      marker.bindTooltip(item.category + " · " + item.status);
      layer.addLayer(marker);
    });
  }

  function attach(found) {
    if (map || !found || !window.L) {
      return;
    }
    map = found;
    layer = window.L.layerGroup().addTo(map);
    drawMarkers();
  }

  var mapBox = document.querySelector("[data-concern-map]");
  if (mapBox && mapBox.jcrMap) {
    attach(mapBox.jcrMap);
  }
  document.addEventListener("jcr:map-ready", function (event) {
    attach(event.detail && event.detail.map);
  });

  function render(answer) {
    results = answer.results || [];
    list.textContent = "";
    results.forEach(function (item) {
      var row = document.createElement("li");
      row.className = "border rounded p-2 mb-2";
      var title = document.createElement("p");
      title.className = "mb-1";
      var name = document.createElement("a");
      name.href = item.url;
      name.className = "fw-semibold";
      name.textContent = item.category;
      title.appendChild(name);
      row.appendChild(title);
      var parts = [item.status].concat(item.areas && item.areas.length ? [item.areas.join(", ")] : []);
      parts.push(data.msgReported.replace("{date}", day(item.reported)));
      parts.push(data.msgDistance.replace("{metres}", item.distance_m));
      row.appendChild(text("p", "mb-1", parts.join(" · ")));
      if (item.summary) {
        row.appendChild(text("p", "mb-1 text-break", item.summary));
      }
      var actions = document.createElement("p");
      actions.className = "mb-0";
      var hidden = item.category + ", " + data.msgReported.replace("{date}", day(item.reported));
      actions.appendChild(link(item.me_too_url, data.msgMeToo, hidden));
      actions.appendChild(link(item.follow_url, data.msgFollow, hidden));
      row.appendChild(actions);
      list.appendChild(row);
    });
    var metres = String(answer.radius_m);
    if (results.length === 1) {
      say(data.msgFoundOne.replace("{metres}", metres));
    } else if (results.length) {
      say(data.msgFound.replace("{count}", results.length).replace("{metres}", metres));
    } else {
      say(data.msgNone.replace("{metres}", metres));
    }
    drawMarkers();
  }

  function clear(message) {
    results = [];
    list.textContent = "";
    drawMarkers();
    say(message);
  }

  function check() {
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (!isFinite(lat) || !isFinite(lon)) {
      lastKey = "";
      asked++;
      clear(data.msgPrompt);
      return;
    }
    var key = lat.toFixed(6) + "," + lon.toFixed(6);
    if (key === lastKey) {
      return;
    }
    lastKey = key;
    var mine = ++asked;
    say(data.msgLoading);
    var url = data.url + "?lat=" + encodeURIComponent(lat.toFixed(6)) + "&lon=" + encodeURIComponent(lon.toFixed(6));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (answer) {
        if (mine === asked) {
          render(answer);
        }
      })
      .catch(function () {
        if (mine === asked) {
          lastKey = "";
          clear(data.msgFailed);
        }
      });
  }

  // Latitude and longitude usually change together: one look after both.
  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 150);
  }
  latInput.addEventListener("change", soon);
  lonInput.addEventListener("change", soon);
  check();
})();
