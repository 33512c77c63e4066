/* Address suggestions for the address inputs marked data-geocode-suggest (progressive
   enhancement: without JavaScript the typed address is looked up when the form is sent).
   The ARIA 1.2 combobox pattern: the input (role="combobox", aria-expanded, aria-controls,
   aria-activedescendant) owns a listbox of at most five places from /geocode/suggest/.
   Down and Up move through the list, Enter chooses, Escape closes it; a click or a tap
   chooses too. A chosen place fills the latitude and longitude inputs named by
   data-lat-input and data-lon-input and moves the map's pin (event "jcr:place"); editing the
   address afterwards empties them again (event "jcr:unplace"). Messages come translated from
   the input's data attributes. */
(function () {
  "use strict";

  var inputs = document.querySelectorAll("input[data-geocode-suggest]");
  if (!inputs.length || !window.fetch || !window.CustomEvent) {
    return;
  }

  function enhance(input) {
    var data = input.dataset;
    var latInput = document.getElementById(data.latInput);
    var lonInput = document.getElementById(data.lonInput);
    var listId = input.id + "-suggestions";
    // The list and the status follow the input as its siblings (so Bootstrap's
    // ".is-invalid ~ .invalid-feedback" still shows an error), placed from its parent.
    input.parentNode.classList.add("address-suggest");
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "address-suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", data.msgList || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var asked = "";
    var chosen = null;

    function say(message) {
      status.textContent = message || "";
    }

    // The coordinates are set here, not typed: their "change" event tells the scripts that
    // watch them (the reports near the pin, nearby-concerns.js) as if a person had typed them.
    function changed() {
      [latInput, lonInput].forEach(function (coordinate) {
        coordinate.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var place = results[index];
      if (!place) {
        return;
      }
      input.value = place.label;
      chosen = place.label;
      if (latInput && lonInput) {
        latInput.value = place.latitude.toFixed(6);
        lonInput.value = place.longitude.toFixed(6);
        document.dispatchEvent(
          new CustomEvent("jcr:place", {
            detail: { lat: place.latitude, lon: place.longitude, latInput: latInput.id },
          })
        );
        changed();
      }
      close();
      say((data.msgChosen || "").replace("{place}", place.label));
    }

    function show(places) {
      results = places;
      list.textContent = "";
      places.forEach(function (place, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = place.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(option);
      });
      if (places.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say((data.msgCount || "").replace("{count}", places.length));
      } else {
        close();
        say(data.msgNone);
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 3 || query === asked) {
        if (query.length < 3) {
          close();
        }
        return;
      }
      asked = query;
      fetch(data.geocodeSuggest + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().catch(function () {
            return { results: [], message: data.msgUnavailable };
          });
        })
        .then(function (body) {
          if (input.value.trim() !== query) {
            return; // the resident typed on meanwhile
          }
          if (body.message) {
            close();
            say(body.message);
            return;
          }
          show(body.results || []);
        })
        .catch(function () {
          close();
          say(data.msgUnavailable);
        });
    }

    input.addEventListener("input", function () {
      if (chosen !== null && input.value !== chosen) {
        chosen = null;
        if (latInput && lonInput) {
          latInput.value = "";
          lonInput.value = "";
          document.dispatchEvent(new CustomEvent("jcr:unplace", { detail: { latInput: latInput.id } }));
          changed();
        }
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 300);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // choose, do not send the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  Array.prototype.forEach.call(inputs, enhance);
})();
