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

  // The site menu is a disclosure on phones; on wide screens it is always open (the
  // stylesheet shows it inline even without this).
  var menu = document.getElementById("site-menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 1024px)");
    var fit = function () { menu.open = wide.matches; };
    fit();
    if (wide.addEventListener) { wide.addEventListener("change", fit); }
  }

  // Without script such a form asks with a required tick box; with it, a dialog asks instead.
  document.querySelectorAll("form[data-confirm] .confirm-check").forEach(function (label) {
    label.querySelector("input").checked = true;
    label.hidden = true;
  });
  // Buttons that move money ask once more: <form data-confirm="question">. Capturing on the
  // document runs before the form's own handlers (the card SDK's), so "cancel" stops them too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset ? form.dataset.confirm : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A form is sent once: a double click never becomes two requests; the button says it is
  // working until the next page arrives.
  var workingText = document.body.dataset.workingText || "…";
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var pressed = event.submitter;
      window.setTimeout(function () {
        if (event.defaultPrevented) { return; }
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-disabled", "true");
          if (b === pressed || (!pressed && form.querySelectorAll("button[type=submit]").length === 1)) {
            b.dataset.label = b.textContent;
            b.textContent = b.dataset.working || workingText;
          }
        });
      }, 0);
    });
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("button[aria-disabled=true]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
      if (b.dataset.label) { b.textContent = b.dataset.label; }
    });
  });

  // Escape closes whatever the header opened.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (menu && menu.open && !(window.matchMedia && window.matchMedia("(min-width: 1024px)").matches)) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
    var openBell = document.querySelector(".bell-menu:not([hidden])");
    if (openBell) {
      openBell.hidden = true;
      var toggle = document.querySelector(".bell-toggle");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });

  // The header bell: unread count and the latest notifications, kept live by Server-Sent
  // Events. Text from the server is set with textContent only.
  var bell = document.getElementById("notification-bell");
  if (bell && window.fetch) {
    var count = bell.querySelector(".bell-count");
    var bellMenu = bell.querySelector(".bell-menu");
    var toggle = bell.querySelector(".bell-toggle");
    var status = document.getElementById("bell-status");
    var shown = null;
    var list = bell.querySelector(".bell-items");
    var empty = bell.querySelector(".bell-empty");
    var csrfInput = document.querySelector("input[name=csrf_token]");
    // The count is drawn for the eye and spoken through the label and a polite live region,
    // announced when it changes (not on every page load).
    var showCount = function (n) {
      var text = n > 99 ? "99+" : String(n);
      count.textContent = text;
      count.hidden = n <= 0;
      bell.dataset.unread = String(n);
      var spoken = n > 0 ? bell.dataset.labelUnread.replace("{n}", text) : bell.dataset.label;
      toggle.setAttribute("aria-label", spoken);
      if (shown !== null && shown !== n) { status.textContent = spoken; }
      shown = n;
    };
    var addItem = function (item, atTop) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      // Through the opener: it marks the notification read, then goes to its object.
      a.href = "/notifications/" + encodeURIComponent(item.id) + "/open";
      a.textContent = item.title;
      li.appendChild(a);
      if (!item.read_at) { li.className = "unread"; }
      if (atTop) { list.insertBefore(li, list.firstChild); } else { list.appendChild(li); }
      while (list.children.length > 5) { list.removeChild(list.lastChild); }
      empty.hidden = true;
    };
    fetch("/api/v1/notifications?page_size=5", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (page) {
        if (!page) { return; }
        showCount(page.unread_count);
        page.items.forEach(function (item) { addItem(item, false); });
      });
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      bellMenu.hidden = !bellMenu.hidden;
      toggle.setAttribute("aria-expanded", bellMenu.hidden ? "false" : "true");
    });
    bell.querySelector(".bell-read-all").addEventListener("click", function () {
      fetch("/api/v1/notifications/read-all", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfInput ? csrfInput.value : "" }
      }).then(function (r) {
        if (!r.ok) { return; }
        showCount(0);
        list.querySelectorAll("li.unread").forEach(function (li) { li.className = ""; });
      });
    });
    if (window.EventSource) {
      var stream = new EventSource("/api/v1/notifications/stream");
      stream.addEventListener("hello", function (event) {
        showCount(JSON.parse(event.data).unread_count);
      });
      stream.addEventListener("notification", function (event) {
        var item = JSON.parse(event.data);
        showCount(item.unread_count);
        addItem(item, true);
      });
    }
  }

  // Recommendations: tell the server what was shown and what was opened (the A/B comparison).
  var picks = document.getElementById("recommended");
  var token = document.querySelector("input[name=csrf_token]");
  if (picks && picks.dataset.requestId && document.querySelector(".user-name")) {
    var send = function (kind, gameId) {
      fetch("/api/v1/recommendations/events", {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token ? token.value : "" },
        body: JSON.stringify({ kind: kind, game_id: Number(gameId), request_id: picks.dataset.requestId })
      });
    };
    picks.querySelectorAll(".recommended-list > li").forEach(function (item) {
      send("impression", item.dataset.gameId);
      var link = item.querySelector("a.recommended-link");
      if (link) { link.addEventListener("click", function () { send("click", item.dataset.gameId); }); }
    });
  }
})();
