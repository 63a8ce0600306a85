// Small progressive enhancements; every page works without them.
// User text is only ever set with textContent, never innerHTML.
(function () {
  "use strict";

  // Sort menus submit their form as soon as they change.
  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Sell form: warn before submitting a price above face value, preview chosen photos.
  var face = document.getElementById("face-value");
  var price = document.getElementById("asking-price");
  var hint = document.getElementById("price-hint");
  if (face && price && hint) {
    var original = hint.textContent;
    var check = function () {
      var over = face.value !== "" && price.value !== "" && Number(price.value) > Number(face.value);
      hint.classList.toggle("over", over);
      hint.textContent = over ? hint.dataset.overMessage : original;
    };
    face.addEventListener("input", check);
    price.addEventListener("input", check);
  }
  var input = document.getElementById("photo-input");
  var previews = document.getElementById("photo-previews");
  if (input && previews) {
    input.addEventListener("change", function () {
      previews.replaceChildren();
      Array.prototype.slice.call(input.files, 0, 5).forEach(function (file) {
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        previews.appendChild(img);
      });
    });
  }

  // Checkout: count the hold down; when it ends, say so and disable paying.
  var countdown = document.getElementById("hold-countdown");
  if (countdown) {
    var expiresAt = Date.parse(countdown.dataset.expiresAt);
    var remaining = countdown.querySelector(".remaining");
    var tick = function () {
      var left = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
      remaining.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        countdown.textContent = countdown.dataset.expiredText;
        var pay = document.getElementById("pay-button");
        if (pay) { pay.disabled = true; }
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  // A form is sent once: a double click never becomes two requests.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      window.setTimeout(function () {
        if (event.defaultPrevented) { return; }
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
