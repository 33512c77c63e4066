/* The public map of concerns (/community-prosecution/map/). Without JavaScript the map stays
   hidden and the list beside it shows the same reports. With it, a Leaflet map: tiles when the
   portal has a tile server, the police districts' outlines always (so the map still means
   something when tiles cannot be reached). Each move asks the server for the reports in view
   with the page's filters: groups with their counts when many, the reports one by one when few
   (positions are blurred by the server). The number shown is announced in a status line.
   Messages come translated from data attributes; nothing here writes HTML from data. */
(function () {
  "use strict";

  var box = document.querySelector("[data-public-map]");
  if (!box || !window.L || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var data = box.dataset;
  var canvas = box.querySelector("[data-map-canvas]");
  var status = box.querySelector("[data-map-status]");
  if (!canvas) {
    return;
  }
  box.hidden = false;

  var map = L.map(canvas, {
    center: [parseFloat(data.centerLat), parseFloat(data.centerLon)],
    zoom: parseInt(data.zoom, 10) || 11,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: data.msgZoomIn, zoomOutTitle: data.msgZoomOut }).addTo(map);
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  fetch(data.areasUrl, { credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (geojson) {
      if (!geojson || !geojson.features || !geojson.features.length) {
        return;
      }
      L.geoJSON(geojson, {
        interactive: false,
        style: { color: "#1d4f91", weight: 2, fillOpacity: data.tileUrl ? 0 : 0.05 },
      }).addTo(map);
    })
    .catch(function () {});

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

  var layer = L.layerGroup().addTo(map);

  function popup(point) {
    var wrap = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.category;
    wrap.appendChild(title);
    var line = document.createElement("p");
    line.className = "mb-1";
    line.textContent = point.status + " · " + data.msgReported.replace("{date}", day(point.reported));
    wrap.appendChild(line);
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = data.msgOpenReport;
    wrap.appendChild(link);
    return wrap;
  }

  function clusterMarker(cluster) {
    var size = cluster.count >= 1000 ? 48 : cluster.count >= 100 ? 40 : 32;
    var icon = L.divIcon({
      className: "public-map-cluster",
      html: String(parseInt(cluster.count, 10)),
      iconSize: [size, size],
    });
    var label = data.msgGroup.replace("{count}", cluster.count);
    var marker = L.marker([cluster.lat, cluster.lon], { icon: icon, title: label, alt: label, keyboard: true });
    marker.on("click", function () {
      map.setView([cluster.lat, cluster.lon], Math.min(map.getZoom() + 2, 19));
    });
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) {
        element.setAttribute("aria-label", label);
      }
    });
    return marker;
  }

  function pointMarker(point) {
    var marker = L.circleMarker([point.lat, point.lon], {
      radius: 8,
      color: "#fff",
      weight: 2,
      fillColor: point.is_open ? "#1d4f91" : "#5c636a",
      fillOpacity: 1,
    });
    marker.bindPopup(popup(point));
    marker.bindTooltip(point.category + " · " + point.status);
    return marker;
  }

  function show(answer) {
    layer.clearLayers();
    (answer.clusters || []).forEach(function (cluster) {
      layer.addLayer(clusterMarker(cluster));
    });
    (answer.points || []).forEach(function (point) {
      layer.addLayer(pointMarker(point));
    });
    if (!answer.total) {
      say(data.msgNone);
    } else if (answer.total === 1) {
      say(data.msgOne);
    } else {
      var message = answer.mode === "clusters" ? data.msgClusters : data.msgPoints;
      say(message.replace("{count}", answer.total));
    }
  }

  var base = data.url.split("?");
  var filters = new URLSearchParams(base[1] || "");
  var asked = 0;
  var timer = null;

  function load() {
    var bounds = map.getBounds();
    var params = new URLSearchParams(filters.toString());
    params.set(
      "bbox",
      [
        Math.max(bounds.getWest(), -180),
        Math.max(bounds.getSouth(), -90),
        Math.min(bounds.getEast(), 180),
        Math.min(bounds.getNorth(), 90),
      ]
        .map(function (value) {
          return value.toFixed(5);
        })
        .join(",")
    );
    params.set("zoom", String(Math.max(3, Math.min(19, map.getZoom()))));
    var mine = ++asked;
    fetch(base[0] + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (answer) {
        if (mine === asked) {
          show(answer);
        }
      })
      .catch(function () {
        if (mine === asked) {
          say(data.msgFailed);
        }
      });
  }

  map.on("moveend", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 250);
  });
  say(data.msgLoading);
  load();
})();
