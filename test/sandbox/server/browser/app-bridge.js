// The sandbox's stand-in for Shopify's App Bridge (cdn.shopify.com/shopifycloud/app-bridge.js),
// which cannot load offline. Like the real one it gives the app a fresh session token for every
// request to its own origin, handles the bounce page's reload, and exposes `window.shopify`
// (idToken, toast, loading, nav menu, save bar), talking to the sandbox admin that frames the app.
(function () {
  "use strict";
  const script = document.currentScript;
  const sandboxOrigin = new URL(script.src).origin;
  const apiKey = script.getAttribute("data-api-key");
  const params = new URLSearchParams(location.search);
  const shop = params.get("shop") || sessionStorage.getItem("sandbox:shop");
  if (shop) sessionStorage.setItem("sandbox:shop", shop);
  const locale = params.get("locale") || sessionStorage.getItem("sandbox:locale") || "en";
  sessionStorage.setItem("sandbox:locale", locale);
  const nativeFetch = window.fetch.bind(window);

  let cached = null;
  async function idToken() {
    if (cached && cached.expiresAt - Date.now() > 10000) return cached.token;
    if (!shop) throw new Error("App Bridge (sandbox): no shop to ask a session token for");
    const url = `${sandboxOrigin}/session-token?shop=${encodeURIComponent(shop)}&api_key=${encodeURIComponent(apiKey)}`;
    const response = await nativeFetch(url, { credentials: "omit" });
    if (!response.ok) throw new Error(`App Bridge (sandbox): session token refused (${response.status})`);
    const body = await response.json();
    cached = { token: body.token, expiresAt: body.expiresAt };
    return body.token;
  }

  function isAppRequest(input) {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, location.href);
    return url.origin === location.origin;
  }

  // Every fetch to the app carries `Authorization: Bearer <session token>`, as in Shopify admin.
  window.fetch = async function (input, init) {
    if (!isAppRequest(input)) return nativeFetch(input, init);
    const send = async (fresh) => {
      if (fresh) cached = null;
      const request = new Request(input, init);
      if (!request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${await idToken()}`);
      return nativeFetch(request);
    };
    let response = await send(false);
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      response = await send(true);
    }
    const reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    if (reauthorize) window.open(reauthorize, "_top");
    return response;
  };

  // The bounce page (/auth/session-token?shopify-reload=…) asks App Bridge for a token and a reload.
  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  const toParent = (message) => {
    if (window.parent !== window) window.parent.postMessage({ source: "sandbox-app-bridge", ...message }, sandboxOrigin);
  };

  function showToast(message, options) {
    const isError = Boolean(options && options.isError);
    toParent({ type: "toast", message, isError });
    if (window.parent !== window) return;
    const toast = document.createElement("div");
    toast.setAttribute("role", "status");
    toast.textContent = message;
    toast.style.cssText = `position:fixed;bottom:24px;left:50%;transform:translateX(-50%);padding:10px 16px;border-radius:8px;font:14px system-ui;color:#fff;z-index:2147483647;background:${isError ? "#8e1f0b" : "#303030"}`;
    document.body.appendChild(toast);
    setTimeout(() => toast.remove(), (options && options.duration) || 5000);
  }

  window.shopify = {
    config: { apiKey, shop, locale, host: params.get("host") },
    environment: { embedded: true, mobile: false, pos: false },
    origin: sandboxOrigin,
    idToken,
    toast: { show: showToast, hide() {} },
    loading(isLoading) {
      toParent({ type: "loading", isLoading: Boolean(isLoading) });
    },
    saveBar: {
      show: (id) => document.getElementById(id)?.show(),
      hide: (id) => document.getElementById(id)?.hide(),
      toggle: (id) => document.getElementById(id)?.toggle(),
    },
  };

  // <ui-save-bar>: hidden in the app; while shown, the admin draws the bar above everything with the
  // element's <button>s (the primary one first) and forwards clicks back to them.
  const openSaveBar = () => document.querySelector("ui-save-bar[data-sandbox-open]");
  class SaveBar extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      this.observer = new MutationObserver(() => this.showing && this.publish());
      this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
    }
    disconnectedCallback() {
      if (this.observer) this.observer.disconnect();
      if (this.showing) this.hide();
    }
    get showing() {
      return this.hasAttribute("data-sandbox-open");
    }
    buttons() {
      return Array.from(this.querySelectorAll("button"));
    }
    publish() {
      const buttons = this.buttons().map((button, index) => ({
        index,
        label: button.textContent.trim(),
        primary: button.getAttribute("variant") === "primary",
        loading: button.hasAttribute("loading"),
        disabled: button.hasAttribute("disabled"),
      }));
      toParent({ type: "saveBar", open: true, buttons });
    }
    show() {
      // One bar at a time, as in Shopify admin.
      const other = openSaveBar();
      if (other && other !== this) other.hide();
      this.setAttribute("data-sandbox-open", "");
      this.publish();
      this.dispatchEvent(new Event("show"));
    }
    hide() {
      if (!this.showing) return;
      this.removeAttribute("data-sandbox-open");
      toParent({ type: "saveBar", open: false, buttons: [] });
      this.dispatchEvent(new Event("hide"));
    }
    toggle() {
      if (this.showing) this.hide();
      else this.show();
    }
  }
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", SaveBar);

  // <ui-nav-menu>: hidden in the app, its links shown by the admin around it.
  class NavMenu extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      this.publish();
      this.observer = new MutationObserver(() => this.publish());
      this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
    }
    disconnectedCallback() {
      if (this.observer) this.observer.disconnect();
    }
    publish() {
      const items = Array.from(this.querySelectorAll("a")).map((anchor) => ({
        label: anchor.textContent.trim(),
        href: anchor.getAttribute("href"),
        home: anchor.getAttribute("rel") === "home",
      }));
      toParent({ type: "nav", items, current: location.pathname });
    }
  }
  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", NavMenu);

  // App Bridge hands a nav click to the app's router through `shopify:navigate` once the app
  // listens for it (Remix's AppProvider does after hydration); until then it loads the page in the
  // frame, so a click made before the app is interactive still lands.
  let navigateListeners = 0;
  const nativeAdd = window.addEventListener.bind(window);
  const nativeRemove = window.removeEventListener.bind(window);
  window.addEventListener = function (type, listener, options) {
    if (type === "shopify:navigate") navigateListeners += 1;
    return nativeAdd(type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    if (type === "shopify:navigate") navigateListeners = Math.max(0, navigateListeners - 1);
    return nativeRemove(type, listener, options);
  };
  const host = params.get("host") || sessionStorage.getItem("sandbox:host");
  if (host) sessionStorage.setItem("sandbox:host", host);
  function loadInFrame(href) {
    const url = new URL(href, location.href);
    for (const [name, value] of Object.entries({ embedded: "1", shop, host, locale })) {
      if (value && !url.searchParams.has(name)) url.searchParams.set(name, value);
    }
    location.assign(url.href);
  }

  // The admin's nav was clicked: the app navigates itself, through the event App Bridge dispatches.
  window.addEventListener("message", (event) => {
    if (event.origin === sandboxOrigin && event.data && event.data.type === "saveBarClick") {
      openSaveBar()?.buttons()[event.data.index]?.click();
      return;
    }
    if (event.origin !== sandboxOrigin || !event.data || event.data.type !== "navigate") return;
    const anchor = Array.from(document.querySelectorAll("ui-nav-menu a")).find((a) => a.getAttribute("href") === event.data.href);
    if (anchor && navigateListeners > 0) anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    else loadInFrame(event.data.href);
  });
  const announceLocation = () => toParent({ type: "location", path: location.pathname + location.search });
  window.addEventListener("popstate", announceLocation);
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method].bind(history);
    history[method] = function (...args) {
      const result = original(...args);
      announceLocation();
      return result;
    };
  }
})();
