// The loyalty block's actions. Nothing runs on page load but wiring buttons: every request is a
// click, and goes through the App Proxy, which acts only for the logged-in customer.
(function () {
  function setText(element, text) {
    if (element) element.textContent = text;
  }

  // One key per reward asked for: a retry after an unclear answer sends it again and gets the same
  // redemption back, never a second spend.
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 256).toString(16).slice(1);
      })
      .join("");
  }

  function wire(root) {
    var status = root.querySelector("[data-status]");
    var redeem = root.querySelector("[data-redeem]");
    var key = null;
    if (redeem) {
      redeem.addEventListener("click", function () {
        redeem.disabled = true;
        key = key || newKey();
        fetch(root.dataset.proxy + "/redeem?idempotency_key=" + key, { method: "POST", headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.json().then(function (body) {
              return { ok: response.ok, body: body };
            });
          })
          .then(function (result) {
            var error = result.body && result.body.error;
            // Settled either way (a code, or a clear refusal): the next click asks for a new reward.
            if (result.ok || (error && error !== "reward_pending")) key = null;
            if (result.ok) {
              setText(root.querySelector("[data-points]"), String(result.body.points));
              setText(status, root.dataset.textCode.replace("[code]", result.body.code));
              if (!result.body.can_redeem) redeem.hidden = true;
            } else {
              setText(
                status,
                error === "not_enough_points"
                  ? root.dataset.textNotEnough
                  : error === "login_required"
                    ? root.dataset.textLogin
                    : error === "reward_pending"
                      ? root.dataset.textPending
                      : root.dataset.textFailed,
              );
            }
          })
          .catch(function () {
            setText(status, root.dataset.textFailed);
          })
          .finally(function () {
            redeem.disabled = false;
          });
      });
    }

    var url = root.querySelector("[data-referral-url]");
    var copy = root.querySelector("[data-copy]");
    if (url && copy) {
      copy.addEventListener("click", function () {
        var done = function () {
          setText(status, root.dataset.textCopied);
        };
        if (navigator.clipboard) navigator.clipboard.writeText(url.value).then(done, function () {});
        else {
          url.select();
          document.execCommand("copy");
          done();
        }
      });
    }
    var share = root.querySelector("[data-share]");
    if (url && share) {
      share.addEventListener("click", function () {
        if (navigator.share) navigator.share({ text: share.dataset.shareText, url: url.value }).catch(function () {});
        else if (copy) copy.click();
      });
    }
  }

  document.querySelectorAll("[data-lifecycle-loyalty]").forEach(wire);
})();
