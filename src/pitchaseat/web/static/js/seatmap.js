// Sell form: tapping an area on the map chooses it for the ticket being filled in, and
// choosing in the menu lights the area on the map. Without this file the map's links open
// the form with the area chosen. Only textContent is ever set.
(function () {
  "use strict";
  var form = document.getElementById("sell-form");
  var map = document.querySelector(".seatmap-picker");
  if (!form || !map) { return; }
  var selects = Array.prototype.slice.call(form.querySelectorAll("select.area-select"));
  var status = document.getElementById("seatmap-status");
  var active = selects[0];

  function show(select) {
    map.querySelectorAll(".seatmap-area").forEach(function (area) {
      var on = select !== undefined && area.dataset.areaCode === select.value;
      area.classList.toggle("selected", on);
      if (on) { area.setAttribute("aria-current", "true"); } else { area.removeAttribute("aria-current"); }
    });
  }

  selects.forEach(function (select) {
    var pick = function () {
      active = select;
      show(select);
    };
    select.addEventListener("focus", pick);
    select.addEventListener("change", function () {
      pick();
      if (status && select.selectedIndex > 0) {
        var legend = select.closest("fieldset").querySelector("legend");
        status.textContent = legend.textContent + ": " + select.options[select.selectedIndex].text;
      }
    });
  });

  map.querySelectorAll(".seatmap-area").forEach(function (area) {
    area.addEventListener("click", function (event) {
      if (!active) { return; }
      event.preventDefault();
      active.value = area.dataset.areaCode;
      active.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
  show(active);
})();
