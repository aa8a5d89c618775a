// A referral link's code (?ref=CODE) goes to the cart as an attribute: it then reaches the order
// whatever device or browser the friend checks out on. Only pages opened through such a link make
// a request; every other page load makes none.
(function () {
  var code = new URLSearchParams(window.location.search).get("ref");
  if (!code || !/^[A-Za-z0-9-]{3,40}$/.test(code)) return;
  var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/";
  fetch(root + "cart/update.js", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ attributes: { _lifecycle_ref: code.toUpperCase() } }),
  }).catch(function () {});
})();
