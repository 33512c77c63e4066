/* The staff page's "Blur part of this photo": drag a rectangle on the photo to fill in the
   x, y, width and height fields (percent of the photo). Without JavaScript, or with a
   keyboard, the fields are typed; typing them also draws the rectangle. No inline styles:
   positions are set through the CSSOM, which the content security policy allows. */
(function () {
  "use strict";

  function round(value) {
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  function setup(picker) {
    var form = picker.closest("form");
    var stage = picker.querySelector("[data-redact-stage]");
    var image = stage && stage.querySelector("img");
    if (!form || !image) {
      return;
    }
    var fields = {};
    ["x", "y", "width", "height"].forEach(function (name) {
      fields[name] = form.querySelector('[name="' + name + '"]');
    });
    var region = form.querySelector('[name="mode"][value="region"]');
    picker.hidden = false;
    stage.style.position = "relative";
    stage.style.display = "inline-block";
    stage.style.cursor = "crosshair";
    stage.style.touchAction = "none";
    var box = document.createElement("div");
    box.setAttribute("aria-hidden", "true");
    box.style.position = "absolute";
    box.style.border = "2px dashed #fff";
    box.style.outline = "2px dashed #000";
    box.style.background = "rgba(13, 110, 253, 0.25)";
    box.style.pointerEvents = "none";
    box.hidden = true;
    stage.appendChild(box);

    function draw(x, y, w, h) {
      box.hidden = !(w > 0 && h > 0);
      box.style.left = x + "%";
      box.style.top = y + "%";
      box.style.width = w + "%";
      box.style.height = h + "%";
    }

    function fromFields() {
      var v = {};
      for (var name in fields) {
        v[name] = fields[name] ? parseFloat(fields[name].value) : NaN;
      }
      if ([v.x, v.y, v.width, v.height].some(isNaN)) {
        box.hidden = true;
        return;
      }
      draw(v.x, v.y, v.width, v.height);
    }

    function point(event) {
      var rect = image.getBoundingClientRect();
      return {
        x: round(((event.clientX - rect.left) / rect.width) * 100),
        y: round(((event.clientY - rect.top) / rect.height) * 100),
      };
    }

    var start = null;
    function update(event) {
      var now = point(event);
      var x = Math.min(start.x, now.x);
      var y = Math.min(start.y, now.y);
      var w = round(Math.abs(now.x - start.x));
      var h = round(Math.abs(now.y - start.y));
      draw(x, y, w, h);
      return { x: x, y: y, width: w, height: h };
    }

    image.draggable = false;
    stage.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = point(event);
      stage.setPointerCapture(event.pointerId);
    });
    stage.addEventListener("pointermove", function (event) {
      if (start) {
        update(event);
      }
    });
    stage.addEventListener("pointerup", function (event) {
      if (!start) {
        return;
      }
      var chosen = update(event);
      start = null;
      if (chosen.width <= 0 || chosen.height <= 0) {
        return;
      }
      for (var name in fields) {
        if (fields[name]) {
          fields[name].value = chosen[name];
        }
      }
      if (region) {
        region.checked = true;
      }
    });
    for (var name in fields) {
      if (fields[name]) {
        fields[name].addEventListener("input", fromFields);
      }
    }
    fromFields();
  }

  document.querySelectorAll("[data-redact-picker]").forEach(setup);
})();
