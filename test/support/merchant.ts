import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { action as dashboardAction, loader as dashboardLoader } from "~/routes/app._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { BROWSER_USER_AGENT } from "./install";

/** A request from the embedded admin, signed with a session token as App Bridge sends it. */
export const signedAdminRequest = async (path: string, init: RequestInit = {}) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );

/** The merchant's own steps in the admin, through the real routes: the lifecycle settings page and the dashboard's write-back card. */
export const merchant = {
  /** Opens the settings page and saves it with `changes` applied to what it shows. */
  async saveLifecycleSettings(changes: Record<string, string>) {
    const { values } = await settingsLoader({ request: await signedAdminRequest("/app/settings"), params: {}, context: {} });
    const form = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "boolean" ? (value ? "on" : "") : value]));
    return settingsAction({
      request: await signedAdminRequest("/app/settings", { method: "POST", body: new URLSearchParams({ ...form, ...changes }) }),
      params: {},
      context: {},
    });
  },
  /** The dashboard's dry run of the write-back, as its card shows it (null once approved). */
  async writeBackPreview() {
    const data = await dashboardLoader({ request: await signedAdminRequest("/app"), params: {}, context: {} });
    return data.lifecycle.writeBack.preview;
  },
  /** "Write to Shopify" on the dashboard's dry run card. */
  async approveWriteBack() {
    return dashboardAction({
      request: await signedAdminRequest("/app?index", { method: "POST", body: new URLSearchParams({ intent: "approve-write-back" }) }),
      params: {},
      context: {},
    });
  },
};
