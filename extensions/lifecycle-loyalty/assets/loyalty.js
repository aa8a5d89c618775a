// The loyalty block's actions. Nothing runs on page load but wiring buttons: every request is a
// click, and goes through the App Proxy, which acts only for the logged-in customer.
(function () {
  function setText(element, text) {
    if (element) element.textContent = text;
  }

  function wire(root) {
    var status = root.querySelector("[data-status]");
    var redeem = root.querySelector("[data-redeem]");
    if (redeem) {
      redeem.addEventListener("click", function () {
        redeem.disabled = true;
        fetch(root.dataset.proxy + "/redeem", { method: "POST", headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.json().then(function (body) {
              return { ok: response.ok, body: body };
            });
          })
          .then(function (result) {
            if (result.ok) {
              setText(root.querySelector("[data-points]"), String(result.body.points));
              setText(status, root.dataset.textCode.replace("[code]", result.body.code));
              if (!result.body.can_redeem) redeem.hidden = true;
            } else {
              var error = result.body && result.body.error;
              setText(status, error === "not_enough_points" ? root.dataset.textNotEnough : error === "login_required" ? root.dataset.textLogin : root.dataset.textFailed);
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
