// Sell form: the seller fee and the payout under each ticket, redrawn as the price and the
// quantity change. The rate comes from the page (the server's setting); the rounding is the
// ledger's (ledger.service.seller_fee: half up to a whole dollar). Text only via textContent.
(function () {
  "use strict";
  var form = document.getElementById("sell-form");
  if (!form) { return; }
  var bps = Number(form.dataset.feeBps);
  var money = function (n) { return "NT$" + n.toLocaleString("en-US"); };
  var whole = function (value) { return /^\d+$/.test(value) ? Number(value) : null; };
  form.querySelectorAll("fieldset.ticket-row").forEach(function (row) {
    var index = Number(row.dataset.row);
    var suffix = index === 0 ? "" : "_" + (index + 1);
    var price = row.querySelector('input[name="price' + suffix + '"]');
    var quantity = row.querySelector('input[name="quantity' + suffix + '"]');
    var line = document.getElementById("seller-money-" + index);
    if (!price || !quantity || !line) { return; }
    var fee = line.querySelector(".seller-fee");
    var payout = line.querySelector(".seller-payout");
    var draw = function () {
      var p = whole(price.value), q = whole(quantity.value);
      if (p === null || q === null) {
        fee.textContent = "—";
        payout.textContent = "—";
        return;
      }
      var amount = p * q;
      var cut = Math.floor((amount * bps + 5000) / 10000);
      fee.textContent = money(cut);
      payout.textContent = money(amount - cut);
    };
    price.addEventListener("input", draw);
    quantity.addEventListener("input", draw);
    draw();
  });
})();
