// TapPay card fields (TPDirect web SDK): the card number never touches our server; the form
// sends TapPay's one-time "prime" instead. Loaded only when TapPay is the payment provider.
(function () {
  "use strict";
  var form = document.getElementById("pay-form");
  if (!form || typeof window.TPDirect === "undefined") { return; }
  var TPDirect = window.TPDirect;
  TPDirect.setupSDK(Number(form.dataset.appId), form.dataset.appKey, form.dataset.serverType);
  TPDirect.card.setup({
    fields: {
      number: { element: "#card-number", placeholder: "**** **** **** ****" },
      expirationDate: { element: "#card-expiration-date", placeholder: "MM / YY" },
      ccv: { element: "#card-ccv", placeholder: "CVV" }
    }
  });
  form.addEventListener("submit", function (event) {
    var prime = document.getElementById("prime");
    if (prime.value) { return; }
    event.preventDefault();
    if (TPDirect.card.getTappayFieldsStatus().canGetPrime !== true) { return; }
    TPDirect.card.getPrime(function (result) {
      if (result.status !== 0) { return; }
      prime.value = result.card.prime;
      form.submit();
    });
  });
})();
