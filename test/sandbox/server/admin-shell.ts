/**
 * The sandbox's stand-in for Shopify admin around an embedded app: a top bar, the app's navigation
 * (from its <ui-nav-menu>, reported by the App Bridge stand-in), toasts, the contextual save bar
 * (from its <ui-save-bar>), a store-activity button,
 * and the app itself in an iframe named "app-iframe" as Shopify admin names it.
 */
export interface AdminShellOptions {
  shopName: string;
  shopDomain: string;
  appName: string;
  /** The app URL to frame, with embedded/shop/host/locale/id_token already set. */
  appSrc: string;
  appOrigin: string;
  activityUrl: string;
  /** The sandbox's own customer list and segments, to see what the app wrote back. */
  customersUrl: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function adminShellHtml(options: AdminShellOptions): string {
  const config = JSON.stringify({ appOrigin: options.appOrigin, activityUrl: options.activityUrl }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.appName)} · ${escapeHtml(options.shopName)} · Sandbox admin</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, sans-serif; background: #f1f1f1; color: #303030; }
  header { height: 56px; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 12px; padding: 0 16px; }
  header strong { color: #fff; font-size: 14px; }
  header .badge { background: #4a4a4a; border-radius: 8px; padding: 2px 8px; font-size: 12px; }
  header .spacer { flex: 1; }
  header button { background: #303030; color: #fff; border: 1px solid #5a5a5a; border-radius: 8px; padding: 6px 12px; cursor: pointer; font: inherit; }
  .layout { display: grid; grid-template-columns: 240px 1fr; height: calc(100vh - 56px); }
  nav { padding: 12px 8px; border-right: 1px solid #e3e3e3; background: #ebebeb; overflow: auto; }
  nav h2 { font-size: 12px; font-weight: 600; color: #616161; margin: 12px 8px 4px; }
  nav a { display: block; padding: 6px 8px; border-radius: 8px; color: #303030; text-decoration: none; }
  nav a:hover { background: #e0e0e0; }
  nav a[aria-current="page"] { background: #fff; font-weight: 600; }
  main { position: relative; }
  iframe { border: 0; width: 100%; height: 100%; display: block; background: #f1f1f1; }
  #loading { position: absolute; top: 0; left: 0; height: 3px; width: 0; background: #008060; transition: width .3s; }
  #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; z-index: 10; }
  .toast { background: #303030; color: #fff; padding: 10px 16px; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.2); }
  .toast.error { background: #8e1f0b; }
  #save-bar { position: fixed; top: 0; left: 0; right: 0; height: 56px; background: #1a1a1a; color: #fff; display: flex; align-items: center; gap: 8px; padding: 0 16px; z-index: 20; }
  #save-bar[hidden] { display: none; }
  #save-bar .spacer { flex: 1; }
  #save-bar button { border-radius: 8px; padding: 6px 12px; cursor: pointer; font: inherit; border: 1px solid #5a5a5a; background: #303030; color: #fff; }
  #save-bar button.primary { background: #fff; color: #303030; border-color: #fff; }
</style>
</head>
<body>
<header>
  <strong>${escapeHtml(options.shopName)}</strong>
  <span class="badge">${escapeHtml(options.shopDomain)}</span>
  <span class="badge">Sandbox admin</span>
  <span class="spacer"></span>
  <button id="activity" type="button" title="Create orders, payments, refunds and customer edits in this sandbox store">Generate store activity</button>
</header>
<div id="save-bar" role="region" aria-label="Unsaved changes" hidden><span>Unsaved changes</span><span class="spacer"></span><span id="save-bar-buttons"></span></div>
<div class="layout">
  <nav aria-label="App navigation">
    <h2>Apps</h2>
    <div id="app-nav"><a href="#" aria-current="page">${escapeHtml(options.appName)}</a></div>
    <h2>Store</h2>
    <a href="${escapeHtml(options.customersUrl)}" target="_blank" rel="noopener">Customers and segments</a>
  </nav>
  <main>
    <div id="loading"></div>
    <iframe name="app-iframe" title="${escapeHtml(options.appName)}" src="${escapeHtml(options.appSrc)}"></iframe>
  </main>
</div>
<div id="toasts" role="status" aria-live="polite"></div>
<script>
(function () {
  const config = ${config};
  const frame = document.querySelector("iframe");
  const nav = document.getElementById("app-nav");
  let currentPath = "";
  function toast(message, isError) {
    const element = document.createElement("div");
    element.className = "toast" + (isError ? " error" : "");
    element.textContent = message;
    document.getElementById("toasts").appendChild(element);
    setTimeout(() => element.remove(), 5000);
  }
  function renderNav(items) {
    nav.replaceChildren(...items.map((item) => {
      const link = document.createElement("a");
      link.href = item.href;
      link.textContent = item.label;
      const path = item.href.split("?")[0];
      if (currentPath === path || (!item.home && currentPath.startsWith(path + "/"))) link.setAttribute("aria-current", "page");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        frame.contentWindow.postMessage({ type: "navigate", href: item.href }, config.appOrigin);
      });
      return link;
    }));
  }
  let lastItems = [];
  window.addEventListener("message", (event) => {
    if (event.origin !== config.appOrigin || !event.data || event.data.source !== "sandbox-app-bridge") return;
    const message = event.data;
    if (message.type === "nav") { lastItems = message.items; currentPath = message.current; renderNav(lastItems); }
    if (message.type === "location") { currentPath = message.path.split("?")[0]; renderNav(lastItems); }
    if (message.type === "toast") toast(message.message, message.isError);
    if (message.type === "loading") document.getElementById("loading").style.width = message.isLoading ? "70%" : "0";
    if (message.type === "saveBar") renderSaveBar(message);
  });
  function renderSaveBar(message) {
    const bar = document.getElementById("save-bar");
    bar.hidden = !message.open;
    // Shopify admin puts Discard before Save, whatever order the app declares them in.
    const buttons = [...message.buttons].sort((a, b) => Number(a.primary) - Number(b.primary));
    document.getElementById("save-bar-buttons").replaceChildren(...buttons.map((button) => {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.loading ? button.label + "…" : button.label;
      element.disabled = button.disabled || button.loading;
      if (button.primary) element.className = "primary";
      element.addEventListener("click", () => frame.contentWindow.postMessage({ type: "saveBarClick", index: button.index }, config.appOrigin));
      return element;
    }));
  }
  document.getElementById("activity").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const response = await fetch(config.activityUrl, { method: "POST" });
      const body = await response.json();
      toast(response.ok ? body.summary : body.error, !response.ok);
    } catch (error) {
      toast(String(error), true);
    } finally {
      button.disabled = false;
    }
  });
})();
</script>
</body>
</html>`;
}
