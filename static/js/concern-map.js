/* The optional pin map of the residents' forms (report a concern, "Who is my community
   prosecutor?"). Without JavaScript the map stays hidden and the form works as it is: the
   address (or the district list, or typed coordinates) is enough. With it, a Leaflet map
   centred on the county: the basemap tiles of the portal's settings under the police
   districts' outlines, which come with the page (so the map is never blank when the tiles
   cannot be loaded); a click, a tap or Enter (at the map's centre) places a pin that fills
   the latitude and longitude inputs. A place chosen among the address suggestions
   (address-suggest.js, event "jcr:place") moves the pin there. Messages come translated
   from data attributes. */
(function () {
  "use strict";

  var box = document.querySelector("[data-concern-map]");
  if (!box || !window.L) {
    return;
  }
  var data = box.dataset;
  var latInput = document.getElementById(data.latInput);
  var lonInput = document.getElementById(data.lonInput);
  var canvas = box.querySelector("[data-map-canvas]");
  var status = box.querySelector("[data-map-status]");
  var locate = box.querySelector("[data-map-locate]");
  var clear = box.querySelector("[data-map-clear]");
  if (!latInput || !lonInput || !canvas) {
    return;
  }
  box.hidden = false;

  L.Icon.Default.imagePath = data.imagePath;
  var map = L.map(canvas, {
    center: [parseFloat(data.centerLat), parseFloat(data.centerLon)],
    zoom: parseInt(data.zoom, 10) || 11,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: data.msgZoomIn, zoomOutTitle: data.msgZoomOut }).addTo(map);
  // Other scripts of the page (static/js/nearby-concerns.js) add their layers to this map:
  // they find it on the element, or hear of it with this event.
  box.jcrMap = map;
  document.dispatchEvent(new CustomEvent("jcr:map-ready", { detail: { map: map, element: box } }));

  // The districts' outlines come with the page: drawn whether or not the tiles load.
  var areasScript = document.getElementById(data.areasId);
  var geojson = null;
  try {
    geojson = areasScript ? JSON.parse(areasScript.textContent) : null;
  } catch (error) {
    geojson = null;
  }
  if (data.tileUrl) {
    var tiles = L.tileLayer(data.tileUrl, {
      attribution: data.tileAttribution || "",
      maxZoom: parseInt(data.maxZoom, 10) || 19,
      subdomains: data.tileSubdomains || "abc",
    }).addTo(map);
    var tilesFailed = false;
    tiles.on("tileerror", function () {
      if (!tilesFailed) {
        tilesFailed = true;
        canvas.classList.add("concern-map-no-tiles");
        say(data.msgTilesFailed);
      }
    });
  } else {
    canvas.classList.add("concern-map-no-tiles");
  }
  if (geojson && geojson.features && geojson.features.length) {
    var layer = L.geoJSON(geojson, {
      style: { color: "#1d4f91", weight: 2, fillOpacity: 0.08 },
      onEachFeature: function (feature, featureLayer) {
        var props = feature.properties || {};
        var label = props.name + (props.is_approximate ? " (" + data.msgApproximate + ")" : "");
        featureLayer.bindTooltip(label, { sticky: true });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds());
  }

  var marker = null;

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  // The inputs announce a new value with a "change" event (as if typed), once per value.
  function changed() {
    [latInput, lonInput].forEach(function (input) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function place(latlng, pan) {
    var lat = latlng.lat.toFixed(6);
    var lon = latlng.lng.toFixed(6);
    var isNew = latInput.value !== lat || lonInput.value !== lon;
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { keyboard: false, alt: "" }).addTo(map);
    }
    if (pan) {
      map.setView(latlng, Math.max(map.getZoom(), 16));
    }
    latInput.value = lat;
    lonInput.value = lon;
    say(data.msgPlaced.replace("{lat}", lat).replace("{lon}", lon));
    if (isNew) {
      changed();
    }
  }

  // A pin already given (the form shown again after a mistake) is shown.
  var lat0 = parseFloat(latInput.value);
  var lon0 = parseFloat(lonInput.value);
  if (isFinite(lat0) && isFinite(lon0)) {
    place(L.latLng(lat0, lon0), true);
  }

  document.addEventListener("jcr:place", function (event) {
    var detail = event.detail || {};
    if (detail.latInput === data.latInput && isFinite(detail.lat) && isFinite(detail.lon)) {
      place(L.latLng(detail.lat, detail.lon), true);
    }
  });

  document.addEventListener("jcr:unplace", function (event) {
    if ((event.detail || {}).latInput === data.latInput && marker) {
      map.removeLayer(marker);
      marker = null;
    }
  });

  map.on("click", function (event) {
    place(event.latlng, false);
  });
  canvas.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === canvas) {
      event.preventDefault();
      place(map.getCenter(), false);
    }
  });

  if (clear) {
    clear.addEventListener("click", function () {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      var isNew = latInput.value !== "" || lonInput.value !== "";
      latInput.value = "";
      lonInput.value = "";
      say(data.msgCleared);
      if (isNew) {
        changed();
      }
    });
  }

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      say(data.msgLocating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(L.latLng(position.coords.latitude, position.coords.longitude), true);
        },
        function () {
          say(data.msgLocateFailed);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
})();
