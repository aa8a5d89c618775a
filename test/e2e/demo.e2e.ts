import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";
import { launchBrowser, newPage, screenshotApp } from "./support/browser";
import { startDemo, type RunningDemo } from "./support/demo";
import { openSandboxCustomer, sandboxCustomerTags } from "./support/sandbox-admin";

const SCREENSHOTS = path.join(REPO_ROOT, ".cache", "screenshots");
const number = new Intl.NumberFormat("en");

describe("npm run demo in a browser", () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    demo = await startDemo({ port: 3190, sandboxPort: 3191, customers: 300, stateDir: path.join(REPO_ROOT, ".cache", "e2e-demo") });
    browser = await launchBrowser();
    page = await newPage(browser);
    app = page.frameLocator('iframe[name="app-iframe"]');
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it("opens the embedded admin on the dashboard, and Sync and health shows the shop and its sandbox sizes", async () => {
    await page.goto(demo.adminUrl);
    await app.getByRole("heading", { name: "Customer lifecycle", exact: true }).waitFor();
    // The app's <NavMenu> shows in the admin around it, as in Shopify admin.
    await page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Sync and health" }).click();
    await app.getByRole("heading", { name: "Your store", exact: true }).waitFor();

    expect(await app.getByTestId("customers-count").textContent()).toBe(number.format(demo.customers));
    expect(await app.getByTestId("orders-count").textContent()).toBe(number.format(demo.orders));
    expect(await app.getByText("lifecycle-demo.myshopify.com").count()).toBeGreaterThan(0);
    // The install started an import; the card follows it on its own until it is done.
    await app.getByTestId("sync-state").waitFor({ timeout: 60_000 });
    expect(await app.getByTestId("synced-customers").textContent()).toBe(number.format(demo.customers));
    expect(await app.getByTestId("synced-orders").textContent()).toBe(number.format(demo.orders));
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-sync.png"));
  });

  it("keeps working once the first session token has expired: the app bounces and gets a fresh one", async () => {
    const host = Buffer.from("admin.shopify.com/store/lifecycle-demo").toString("base64url");
    const expired = await getJwt("lifecycle-demo.myshopify.com", demo.credentials.apiKey, demo.credentials.apiSecret, {
      exp: Math.floor(Date.now() / 1000) - 600,
    });
    const url = `${demo.appUrl}/app/sync?embedded=1&shop=lifecycle-demo.myshopify.com&host=${host}&locale=en&id_token=${expired.token}`;
    await page.locator('iframe[name="app-iframe"]').evaluate((frame: HTMLIFrameElement, src) => (frame.src = src), url);

    await app.getByRole("heading", { name: "Your store", exact: true }).waitFor();
    expect(await app.getByTestId("customers-count").textContent()).toBe(number.format(demo.customers));
  });

  it("opens a page from the admin's navigation clicked before the app has become interactive", async () => {
    // The app's scripts are held back, so the page shows but Remix has not hydrated: App Bridge
    // has no router to hand the click to and loads the page in the frame instead.
    const early = await newPage(browser);
    let releaseScripts = () => {};
    const scriptsHeld = new Promise<void>((resolve) => (releaseScripts = resolve));
    await early.route(`${demo.appUrl}/assets/*.js`, async (route) => {
      await scriptsHeld;
      await route.continue().catch(() => {});
    });
    try {
      await early.goto(demo.adminUrl, { waitUntil: "domcontentloaded" });
      const earlyApp = early.frameLocator('iframe[name="app-iframe"]');
      await earlyApp.getByRole("heading", { name: "Customer lifecycle", exact: true }).waitFor();
      await early.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Sync and health" }).click();
      await earlyApp.getByRole("heading", { name: "Your store", exact: true }).waitFor();
      expect(await earlyApp.getByTestId("customers-count").textContent()).toBe(number.format(demo.customers));
    } finally {
      releaseScripts();
      await early.context().close();
    }
  });

  it("places every customer in a stage, shows the dashboard as the database holds it and, once approved, writes the stages to Shopify", async () => {
    const digits = async (testId: string) => Number((await app.getByTestId(testId).textContent())?.replace(/\D/g, ""));
    // The first recompute and the replay of the past year follow the import; the dashboard follows them on its own.
    await page.goto(demo.adminUrl);
    await app.getByTestId("stage-count-prospect").waitFor({ timeout: 60_000 });
    await app.getByTestId("stage-trend-chart").waitFor({ timeout: 60_000 });

    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const countBy = async (column: string) =>
      Object.fromEntries(
        (await db.execute({ sql: `SELECT "${column}" AS k, COUNT(*) AS n FROM "CustomerLifecycle" GROUP BY "${column}"`, args: [] })).rows.map((row) => [
          String(row.k),
          Number(row.n),
        ]),
      );
    const stages = await countBy("stage");
    let total = 0;
    for (const stage of ["prospect", "new", "developing", "loyal", "advocate", "at_risk", "lapsed", "reactivated"]) {
      expect({ stage, customers: await digits(`stage-count-${stage}`) }).toEqual({ stage, customers: stages[stage] ?? 0 });
      total += await digits(`stage-count-${stage}`);
    }
    expect(total).toBe(demo.customers);
    const bands = await countBy("valueBand");
    for (const band of ["small", "medium", "large"]) expect(await digits(`band-count-${band}`)).toBe(bands[band] ?? 0);
    const champions = (await db.execute({ sql: `SELECT COUNT(*) AS n FROM "CustomerLifecycle" WHERE "recency" = 5 AND "frequency" = 5`, args: [] })).rows[0]!.n;
    expect(await digits("rf-5-5")).toBe(Number(champions));
    db.close();
    // The first-order conversion is shown as a rate over the period.
    expect(await app.getByTestId("step-rate-firstOrder").textContent()).toMatch(/%$/);

    await app.getByText("Before anything is written to Shopify").waitFor();
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-write-back-preview.png"));
    await app.getByRole("button", { name: "Write to Shopify" }).click();
    await app.getByTestId("write-back-state").waitFor();
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-dashboard.png"));
    // A legend entry hides its stage's line, and the scale follows what is shown.
    const lines = app.getByTestId("stage-trend-chart").locator("polyline");
    expect(await lines.count()).toBe(8);
    const lapsedLegend = app.getByRole("button", { name: "Lapsed", exact: true });
    await lapsedLegend.click();
    expect(await lapsedLegend.getAttribute("aria-pressed")).toBe("false");
    expect(await lines.count()).toBe(7);

    // In the store's own admin: one segment per stage, its members exactly the customers in that stage.
    const prospects = await digits("stage-count-prospect");
    const store = await browser.newPage();
    const customersUrl = new URL("customers", demo.adminUrl.replace(/apps\/[^/]+$/, "")).href;
    const members = async () => {
      await store.goto(customersUrl);
      const row = store.locator("tr", { hasText: "Lifecycle: prospect" });
      return (await row.count()) ? Number(await row.locator("[data-segment-members]").textContent()) : -1;
    };
    for (let attempt = 0; attempt < 60 && (await members()) !== prospects; attempt += 1) await store.waitForTimeout(500);
    expect(await members()).toBe(prospects);
    await store.screenshot({ path: path.join(SCREENSHOTS, "demo-store-customers.png"), fullPage: false });
    await store.close();
  });

  it("delivers store activity to the app as signed webhooks", async () => {
    const syncUrl = `${demo.adminUrl}?path=${encodeURIComponent("/app/sync")}`;
    await page.goto(syncUrl);
    await app.getByRole("heading", { name: "Live updates" }).waitFor();
    await page.getByRole("button", { name: "Generate store activity" }).click();
    await page.locator(".toast").first().waitFor();
    expect(await page.locator(".toast").first().textContent()).toMatch(/\d+ /);

    await page.goto(syncUrl);
    await app.getByRole("heading", { name: "Live updates" }).waitFor();
    const received = app.getByText("Webhook deliveries received").locator("xpath=following-sibling::*[1]");
    expect(Number((await received.textContent())?.replace(/\D/g, ""))).toBeGreaterThan(0);

    // Processed live: what the app holds catches up with what Shopify (the sandbox) reports.
    const digits = async (testId: string) => Number((await app.getByTestId(testId).textContent())?.replace(/\D/g, ""));
    for (let attempt = 0; attempt < 20 && (await digits("synced-orders")) !== (await digits("orders-count")); attempt += 1) {
      await page.waitForTimeout(500);
      await page.goto(syncUrl);
      await app.getByRole("heading", { name: "Live updates" }).waitFor();
    }
    expect(await digits("synced-orders")).toBe(await digits("orders-count"));
    expect(await digits("synced-orders")).toBeGreaterThan(demo.orders);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-after-activity.png"));
  });

  it("changes the lifecycle settings: a validation error shows beside its field, the save bar saves a valid change and places everyone again", async () => {
    await page.goto(demo.adminUrl);
    await app.getByRole("heading", { name: "Customer lifecycle", exact: true }).waitFor();
    await page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Settings" }).click();
    await app.getByRole("heading", { name: "Lifecycle stages" }).waitFor();
    expect(await app.getByLabel("Stage", { exact: true }).inputValue()).toBe("lifecycle:");

    const loyal = app.getByLabel("Orders to become loyal");
    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    expect(await saveBar.isVisible()).toBe(false);
    // Editing a field raises Shopify admin's save bar; Discard puts the saved value back.
    await loyal.fill("7");
    await saveBar.waitFor();
    await saveBar.getByRole("button", { name: "Discard" }).click();
    await saveBar.waitFor({ state: "hidden" });
    expect(await loyal.inputValue()).toBe("3");
    // Discarding saves nothing.
    await page.waitForTimeout(500);
    expect(await page.locator(".toast", { hasText: "Settings saved" }).count()).toBe(0);

    await loyal.fill("1");
    await app.getByRole("button", { name: "Save" }).click();
    await app.getByText("Enter a whole number from 2 to 20.").waitFor();
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-settings-error.png"));

    const savedAt = Date.now();
    await loyal.fill("4");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.locator(".toast", { hasText: "Settings saved" }).first().waitFor();
    await saveBar.waitFor({ state: "hidden" });
    expect(await app.getByText("Enter a whole number from 2 to 20.").count()).toBe(0);
    expect(await loyal.inputValue()).toBe("4");
    // Only the edited field changed: write-back stays on.
    expect(await app.getByRole("checkbox", { name: "Customer tags" }).isChecked()).toBe(true);
    // Saving places everyone again; the page follows the recompute until it is done.
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const saved = (await db.execute({ sql: `SELECT "loyalMinOrders", "writeTags", "writeMetafields", "writeSegments" FROM "LifecycleSettings"`, args: [] }))
      .rows[0]!;
    expect({ ...saved }).toEqual({ loyalMinOrders: 4, writeTags: 1, writeMetafields: 1, writeSegments: 1 });
    const lastRun = async () => Date.parse(String((await db.execute({ sql: `SELECT "lastFullRunAt" AS at FROM "LifecycleSettings"`, args: [] })).rows[0]!.at));
    for (let attempt = 0; attempt < 120 && !((await lastRun()) >= savedAt); attempt += 1) await page.waitForTimeout(500);
    expect(await lastRun()).toBeGreaterThanOrEqual(savedAt);
    db.close();
    await app.getByText(/^Every customer was last placed on/).waitFor({ timeout: 30_000 });
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-settings.png"));
  });

  it("saves the loyalty programme from the save bar, changing only the edited field", async () => {
    await page.goto(`${demo.adminUrl}?path=${encodeURIComponent("/app/loyalty")}`);
    await app.getByRole("heading", { name: "Loyalty programme" }).waitFor();
    expect(await app.getByRole("checkbox", { name: "Customers earn and spend points" }).isChecked()).toBe(true);
    const perUnit = app.getByLabel("Points per unit spent");
    const before = await perUnit.inputValue();
    await perUnit.fill("2");
    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.locator(".toast", { hasText: "Loyalty settings saved" }).first().waitFor();
    await saveBar.waitFor({ state: "hidden" });

    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const saved = (await db.execute({ sql: `SELECT "enabled", "pointsPerUnit" FROM "LoyaltySettings"`, args: [] })).rows[0]!;
    expect({ ...saved }).toEqual({ enabled: 1, pointsPerUnit: 2 });
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-loyalty.png"));
    // Put back what the storefront test below expects.
    await perUnit.fill(before);
    await saveBar.getByRole("button", { name: "Save" }).click();
    await saveBar.waitFor({ state: "hidden" });
    expect(Number((await db.execute({ sql: `SELECT "pointsPerUnit" FROM "LoyaltySettings"`, args: [] })).rows[0]!.pointsPerUnit)).toBe(Number(before));
    db.close();
  });

  it("shows the storefront block to an advocate, a prospect and a logged-out visitor, making no request on page load", async () => {
    // The demo app's own database, read-only: which customers are in which stage.
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const stageOf = async (stages: string[]) =>
      String(
        (
          await db.execute({
            sql: `SELECT "customerId" FROM "CustomerLifecycle" WHERE "stage" IN (${stages.map(() => "?").join(",")}) ORDER BY "customerId" LIMIT 1`,
            args: stages,
          })
        ).rows[0]!.customerId,
      );
    const repeat = await stageOf(["loyal", "developing"]);
    const prospect = await stageOf(["prospect"]);

    // The merchant marks a repeat customer as an advocate on their customer page.
    await page.goto(`${demo.adminUrl}?path=${encodeURIComponent(`/app/customers/${repeat}`)}`);
    await app.getByRole("button", { name: "Mark as advocate" }).click();
    await app.getByRole("button", { name: "Remove the advocate mark" }).waitFor();
    // The worker places them, issues their code and writes their storefront summary.
    for (let attempt = 0; attempt < 30 && !/Referral code/.test((await app.getByTestId("customer-referral-code").textContent()) ?? ""); attempt += 1) {
      await page.waitForTimeout(500);
      await page.goto(`${demo.adminUrl}?path=${encodeURIComponent(`/app/customers/${repeat}`)}`);
      await app.getByTestId("customer-referral-code").waitFor();
    }
    // (Polaris badges also carry their tone for screen readers.)
    expect(await app.getByTestId("customer-stage").textContent()).toMatch(/Advocate$/);
    const code = /Referral code: (\S+)/.exec((await app.getByTestId("customer-referral-code").textContent()) ?? "")![1]!;
    // A goodwill gesture: the merchant adds points with a reason.
    await app.getByLabel("Points to add or take").fill("600");
    await app.getByLabel("Reason (the customer's ledger shows it)").fill("Thanks for the reviews");
    await app.getByRole("button", { name: "Adjust points" }).click();
    await app.getByRole("cell", { name: "Thanks for the reviews" }).waitFor();
    expect(await app.getByTestId("customer-points").textContent()).toBe("600");
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-customer.png"));

    const storefront = await newPage(browser);
    const requests: string[] = [];
    storefront.on("request", (request) => requests.push(request.url()));
    // Written by a job: give it a moment.
    for (let attempt = 0; attempt < 30; attempt += 1) {
      await storefront.goto(`${demo.storefrontUrl}/${repeat}`);
      if ((await storefront.locator("[data-referral-url]").count()) > 0 && (await storefront.locator("[data-points]").textContent()) === "600") break;
      await storefront.waitForTimeout(500);
    }
    const block = storefront.locator("[data-lifecycle-loyalty]");
    expect(await block.locator("[data-stage]").textContent()).toBe("Thank you for spreading the word. Share your link and earn more.");
    expect(await storefront.locator("[data-referral-url]").inputValue()).toBe(
      `https://lifecycle-demo.myshopify.com/discount/${code}?redirect=%2F%3Fref%3D${code}`,
    );
    expect(await block.locator("[data-points]").textContent()).toBe("600");
    await storefront.getByRole("button", { name: "Share" }).waitFor();
    // Nothing but the page and its own files on load: no call to the app, no cart request.
    expect(requests.filter((url) => /\/apps\/lifecycle|\/cart\//.test(url))).toEqual([]);
    await storefront.screenshot({ path: path.join(SCREENSHOTS, "storefront-advocate.png"), fullPage: true });

    // Redeeming goes through the App Proxy as the logged-in customer, and answers with their code.
    await storefront.getByRole("button", { name: "Get $5.00 off" }).click();
    await storefront.locator("[data-status]", { hasText: /Your code: REWARD-/ }).waitFor();
    expect(await block.locator("[data-points]").textContent()).toBe("100");
    await storefront.screenshot({ path: path.join(SCREENSHOTS, "storefront-redeemed.png"), fullPage: true });

    await storefront.goto(`${demo.storefrontUrl}/${prospect}`);
    expect(await storefront.locator("[data-lifecycle-loyalty]").textContent()).toContain("Your first order earns you points.");
    expect(await storefront.locator("[data-referral-url]").count()).toBe(0);
    await storefront.screenshot({ path: path.join(SCREENSHOTS, "storefront-prospect.png"), fullPage: true });

    await storefront.goto(`${demo.storefrontUrl}/guest?locale=fr`);
    expect(await storefront.locator("[data-lifecycle-loyalty]").textContent()).toContain("Connectez-vous pour voir vos points et vos récompenses.");
    await storefront.screenshot({ path: path.join(SCREENSHOTS, "storefront-guest-fr.png"), fullPage: true });
    await storefront.close();
    db.close();
  });

  it("opens the customer list from the dashboard's numbers and from the filters, as the database holds it", async () => {
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const count = async (stage: string) =>
      Number((await db.execute({ sql: `SELECT COUNT(*) AS n FROM "CustomerLifecycle" WHERE "stage" = ?`, args: [stage] })).rows[0]!.n);
    const lapsed = await count("lapsed");
    const loyal = await count("loyal");
    db.close();
    const rows = app.locator('[data-testid="customer-row"]');

    await page.goto(demo.adminUrl);
    await app.getByTestId("stage-count-lapsed").getByRole("link").click();
    await app.getByLabel("Stage").waitFor();
    await rows.first().waitFor();
    expect(await app.getByLabel("Stage").inputValue()).toBe("lapsed");
    expect(await rows.count()).toBe(Math.min(lapsed, 50));

    await app.getByLabel("Stage").selectOption("loyal");
    await app.getByRole("button", { name: "Apply" }).click();
    for (let attempt = 0; attempt < 30 && (await rows.count()) !== Math.min(loyal, 50); attempt += 1) await page.waitForTimeout(200);
    expect(await rows.count()).toBe(Math.min(loyal, 50));
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-customers-loyal.png"));
  });

  it("shows every page in French, following the admin's language", async () => {
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const loyal = Number((await db.execute({ sql: `SELECT COUNT(*) AS n FROM "CustomerLifecycle" WHERE "stage" = 'loyal'`, args: [] })).rows[0]!.n);
    const customerId = String(
      (await db.execute({ sql: `SELECT "customerId" FROM "CustomerLifecycle" WHERE "purchases" >= 2 ORDER BY "customerId" LIMIT 1`, args: [] })).rows[0]!
        .customerId,
    );
    db.close();
    const french = new Intl.NumberFormat("fr");
    const open = (appPath: string) => page.goto(`${demo.adminUrl}?locale=fr&path=${encodeURIComponent(appPath)}`);
    const shot = (name: string) => screenshotApp(page, path.join(SCREENSHOTS, `fr-${name}.png`));

    await open("/app");
    await app.getByRole("heading", { name: "Cycle de vie client", exact: true }).waitFor();
    await app.getByRole("heading", { name: "Conversion d'une étape à l'autre" }).waitFor();
    expect((await app.getByTestId("stage-count-loyal").textContent())?.replace(/\s/g, "")).toBe(french.format(loyal).replace(/\s/g, ""));
    await shot("dashboard");

    await open("/app/customers?stage=loyal");
    await app.getByLabel("Étape").waitFor();
    await app.locator('[data-testid="customer-row"]').first().waitFor();
    expect(await app.locator('[data-testid="customer-row"]').count()).toBe(Math.min(loyal, 50));
    await shot("customers");

    await open(`/app/customers/${customerId}`);
    await app.getByTestId("customer-stage").waitFor();
    await shot("customer");

    await open("/app/settings");
    await app.getByRole("heading", { name: "Étapes du cycle de vie" }).waitFor();
    expect(await app.getByTestId("admin-language").textContent()).toBe("Vous voyez l'application en français.");
    await app.getByLabel("Commandes pour devenir fidèle").fill("1");
    await app.getByRole("button", { name: "Enregistrer" }).click();
    await app.getByText("Saisissez un nombre entier de 2 à 20.").waitFor();
    await shot("settings-error");

    await open("/app/sync");
    await app.getByRole("heading", { name: "Votre boutique", exact: true }).waitFor();
    expect(await app.getByTestId("synced-customers").textContent()).toMatch(/\d/);
    await shot("sync");
  });

  it("changes the stage tag prefix to vip-: nothing is written to Shopify until the dry run is approved, then everyone is re-tagged and a merchant's own vip- tag stays, and back", async () => {
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const stages = async () =>
      new Map((await db.execute({ sql: `SELECT "customerId", "stage" FROM "CustomerLifecycle"`, args: [] })).rows.map((row) => [String(row.customerId), String(row.stage)]));
    const vip = [...(await stages()).keys()].sort()[7]!;
    const store = await newPage(browser);

    // In the store's admin, the merchant tags a customer of their own accord: vip-gold.
    await openSandboxCustomer(store, demo, vip);
    await store.getByLabel("Add tags (separate with commas)").fill("vip-gold");
    await store.getByRole("button", { name: "Add tags" }).click();
    await store.getByRole("status").filter({ hasText: "Tags added." }).waitFor();
    expect(await store.locator("[data-tags] .tag", { hasText: "vip-gold" }).count()).toBe(1);
    // Shopify tells the app (customers/update), which reads the customer's tags.
    const heldTags = async () => String((await db.execute({ sql: `SELECT "tags" FROM "Customer" WHERE "id" = ?`, args: [vip] })).rows[0]?.tags);
    await expect.poll(heldTags, { timeout: 30_000, interval: 250 }).toMatch(/(^|, )vip-gold(,|$)/);

    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    /** Settings: the stage prefix saved from the save bar; the page then says the new tags await approval, and leads to the dashboard. */
    const setStagePrefix = async (prefix: string) => {
      await page.goto(`${demo.adminUrl}?path=${encodeURIComponent("/app/settings")}`);
      await app.getByRole("heading", { name: "Lifecycle stages" }).waitFor();
      await app.getByLabel("Stage", { exact: true }).fill(prefix);
      await saveBar.getByRole("button", { name: "Save" }).click();
      await saveBar.waitFor({ state: "hidden" });
      await app.getByTestId("write-back-awaiting-approval").waitFor();
      const savedAt = Date.now();
      expect(await app.getByLabel("Stage", { exact: true }).inputValue()).toBe(prefix);
      await app.getByRole("link", { name: "Review on the dashboard" }).click();
      await app.getByTestId("write-back-prefix-changed").waitFor();
      return savedAt;
    };
    /** Writes to Shopify the app started since then (each is recorded as a run). */
    const writesSince = async (at: number) =>
      (await db.execute({ sql: `SELECT "kind", "mode", "startedAt" FROM "WriteBackRun"`, args: [] })).rows.filter((row) => Date.parse(String(row.startedAt)) >= at);
    const tagCount = async (tag: string) => Number((await app.getByText(tag, { exact: true }).locator("xpath=following-sibling::*[1]").textContent())?.replace(/\D/g, ""));
    /** Customers whose stage tags in Shopify (the sandbox) are not exactly `<prefix><their stage>`, the vip-gold tag aside. */
    const notRetagged = async (prefix: string) => {
      const held = await stages();
      return [...(await sandboxCustomerTags(store, demo))].flatMap(([id, tags]) => {
        const stageTags = tags.filter((tag) => (tag.startsWith("vip-") || tag.startsWith("lifecycle:")) && tag !== "vip-gold");
        return stageTags.length === 1 && stageTags[0] === `${prefix}${held.get(id)}` ? [] : [{ id, stageTags }];
      });
    };

    const savedAt = await setStagePrefix("vip-");
    // The dry run: every stage's new tag for its customers, and the tags we wrote that would go; vip-gold is not ours.
    const counts = new Map<string, number>();
    for (const stage of (await stages()).values()) counts.set(stage, (counts.get(stage) ?? 0) + 1);
    for (const [stage, customers] of counts) {
      expect({ stage, customers: await tagCount(`vip-${stage}`) }).toEqual({ stage, customers });
      expect(await app.getByText(`lifecycle:${stage}`, { exact: true }).count()).toBe(1);
    }
    expect(await app.getByText("vip-gold", { exact: true }).count()).toBe(0);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-write-back-prefix-preview.png"));
    // Nothing was written: in Shopify, everyone still carries their lifecycle: tag, and no one a vip-<stage> one.
    expect(await notRetagged("lifecycle:")).toEqual([]);
    expect(await writesSince(savedAt)).toEqual([]);

    await app.getByRole("button", { name: "Write to Shopify" }).click();
    await app.getByTestId("write-back-state").waitFor();
    await expect.poll(() => notRetagged("vip-"), { timeout: 90_000, interval: 1_000 }).toEqual([]);
    expect((await sandboxCustomerTags(store, demo)).get(vip)).toContain("vip-gold");
    await openSandboxCustomer(store, demo, vip);
    await store.screenshot({ path: path.join(SCREENSHOTS, "sandbox-customer-vip.png"), fullPage: true });

    // And back: only the vip- tags we wrote go.
    const restoredAt = await setStagePrefix("lifecycle:");
    for (const [stage, customers] of counts) expect({ stage, customers: await tagCount(`vip-${stage}`) }).toEqual({ stage, customers });
    expect(await app.getByText("vip-gold", { exact: true }).count()).toBe(0);
    expect(await notRetagged("vip-")).toEqual([]);
    expect(await writesSince(restoredAt)).toEqual([]);
    await app.getByRole("button", { name: "Write to Shopify" }).click();
    await app.getByTestId("write-back-state").waitFor();
    await expect.poll(() => notRetagged("lifecycle:"), { timeout: 90_000, interval: 1_000 }).toEqual([]);
    expect((await sandboxCustomerTags(store, demo)).get(vip)).toContain("vip-gold");
    await store.close();
    db.close();
  });

  it("answers a data request made in Shopify admin: listed to send with the customer's name, downloaded as JSON with their profile and orders, then marked sent with the date", async () => {
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const customer = (
      await db.execute({
        sql: `SELECT c."id", c."firstName", c."lastName", c."email" FROM "Customer" c
              WHERE c."firstName" IS NOT NULL AND c."lastName" IS NOT NULL
                AND (SELECT COUNT(*) FROM "Order" o WHERE o."shop" = c."shop" AND o."customerId" = c."id") >= 2
              ORDER BY c."id" LIMIT 1`,
        args: [],
      })
    ).rows[0]!;
    const id = String(customer.id);
    const name = `${String(customer.firstName)} ${String(customer.lastName)}`;

    // In the store's admin: the customer's page, then "Request customer data".
    const store = await newPage(browser);
    await openSandboxCustomer(store, demo, id);
    await store.getByRole("heading", { name, exact: true }).waitFor();
    const orders = await store
      .locator("tr[data-order-id]")
      .evaluateAll((rows) => rows.map((row) => ({ id: row.getAttribute("data-order-id"), name: row.querySelector("[data-order-name]")?.textContent })));
    expect(orders.length).toBeGreaterThanOrEqual(2);
    await store.getByRole("button", { name: "Request customer data" }).click();
    await store.getByRole("status").filter({ hasText: "Shopify sent customers/data_request to Lifecycle: delivered (HTTP 200)." }).waitFor();
    await store.screenshot({ path: path.join(SCREENSHOTS, "sandbox-customer-data-request.png"), fullPage: true });
    await store.close();

    // In the app: Data requests, from the navigation; the worker prepares the export from the inbox.
    await page.goto(demo.adminUrl);
    await app.getByRole("heading", { name: "Customer lifecycle", exact: true }).waitFor();
    await page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Data requests" }).click();
    await app.getByRole("heading", { name: "Customer data requests" }).waitFor();
    const card = (title: string) => app.locator(".Polaris-ShadowBevel").filter({ has: app.getByRole("heading", { name: title, exact: true }) });
    const toSend = card("To send").locator("tr", { hasText: name });
    await expect
      .poll(
        async () => {
          if ((await toSend.count()) > 0) return true;
          await page.goto(`${demo.adminUrl}?path=${encodeURIComponent("/app/data-requests")}`);
          await app.getByRole("heading", { name: "To send", exact: true }).waitFor();
          return (await toSend.count()) > 0;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    expect(await toSend.count()).toBe(1);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-data-requests.png"));

    const [download] = await Promise.all([page.waitForEvent("download"), toSend.getByRole("button", { name: "Download (JSON)" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^customer-${id}-data-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
      customerId: string;
      ordersRequested: string[];
      profile: { id: string; firstName: string; lastName: string; email: string }[];
      orders: { id: string; name: string; customerId: string }[];
    };
    expect(exported.customerId).toBe(id);
    expect(exported.profile).toEqual([expect.objectContaining({ id, firstName: customer.firstName, lastName: customer.lastName, email: customer.email })]);
    // Their orders as Shopify (the sandbox) shows them, named in the request and held by the app.
    const byId = (a: { id: string | null }, b: { id: string | null }) => String(a.id).localeCompare(String(b.id));
    expect([...exported.ordersRequested].sort()).toEqual(orders.map((order) => order.id).sort());
    expect(exported.orders.map((order) => ({ id: order.id, name: order.name })).sort(byId)).toEqual([...orders].sort(byId));
    expect(new Set(exported.orders.map((order) => order.customerId))).toEqual(new Set([id]));

    await toSend.getByRole("button", { name: "Mark as sent" }).click();
    const sent = card("Sent").locator("tr", { hasText: name });
    await sent.waitFor();
    expect(await toSend.count()).toBe(0);
    const { sentAt, timeZone } = (
      await db.execute({
        sql: `SELECT r."sentAt", s."ianaTimezone" AS "timeZone" FROM "DataRequest" r JOIN "Shop" s ON s."shop" = r."shop" WHERE r."customerId" = ?`,
        args: [id],
      })
    ).rows[0]!;
    const sentDay = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: String(timeZone ?? "UTC") }).format(new Date(String(sentAt)));
    // (A data table's first cell is its row's header.)
    expect(await sent.locator("th, td").first().textContent()).toContain(sentDay);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-data-requests-sent.png"));
    db.close();
  });

  // Last: the erased customer is gone from the app for good, which the counts above do not expect.
  it("erases a customer's personal data when the merchant asks in Shopify admin: once the worker has run, the app holds nothing of theirs", async () => {
    const db = createClient({ url: `file:${path.join(demo.stateDir, "app.sqlite")}` });
    const customer = (
      await db.execute({
        sql: `SELECT c."id", c."firstName", c."lastName", c."email" FROM "Customer" c JOIN "CustomerLifecycle" l ON l."shop" = c."shop" AND l."customerId" = c."id"
              WHERE c."firstName" IS NOT NULL AND c."lastName" IS NOT NULL AND c."email" IS NOT NULL AND l."purchases" >= 1
                AND c."id" NOT IN (SELECT "customerId" FROM "DataRequest")
              ORDER BY c."id" DESC LIMIT 1`,
        args: [],
      })
    ).rows[0]!;
    const id = String(customer.id);
    const name = `${String(customer.firstName)} ${String(customer.lastName)}`;
    const customerPage = `${demo.adminUrl}?path=${encodeURIComponent(`/app/customers/${id}`)}`;
    const search = `${demo.adminUrl}?path=${encodeURIComponent(`/app/customers?q=${String(customer.email)}`)}`;
    const rows = app.locator('[data-testid="customer-row"]');

    // What the app holds about them: a place in the lifecycle, and points the merchant gave them.
    await page.goto(customerPage);
    await app.getByLabel("Points to add or take").fill("50");
    await app.getByLabel("Reason (the customer's ledger shows it)").fill("Sorry for the late parcel");
    await app.getByRole("button", { name: "Adjust points" }).click();
    await app.getByRole("cell", { name: "Sorry for the late parcel" }).waitFor();
    await page.goto(search);
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(name);
    const held = async () =>
      Object.fromEntries(
        await Promise.all(
          [
            ["Customer", "id"],
            ["CustomerLifecycle", "customerId"],
            ["PointsEntry", "customerId"],
            ["Order", "customerId"],
          ].map(async ([table, column]) => [
            table,
            Number((await db.execute({ sql: `SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ?`, args: [id] })).rows[0]!.n),
          ]),
        ),
      );
    const before = await held();
    expect({ ...before, PointsEntry: before.PointsEntry > 0, Order: before.Order > 0 }).toEqual({ Customer: 1, CustomerLifecycle: 1, PointsEntry: true, Order: true });

    // In the store's admin: the customer's page, then "Erase personal data"; the sandbox sends customers/redact at once.
    const store = await newPage(browser);
    await openSandboxCustomer(store, demo, id);
    await store.getByRole("button", { name: "Erase personal data" }).click();
    await store.getByRole("status").filter({ hasText: "Shopify sent customers/redact to Lifecycle: delivered (HTTP 200)." }).waitFor();
    await store.screenshot({ path: path.join(SCREENSHOTS, "sandbox-customer-erase.png"), fullPage: true });
    await store.close();

    // The worker erases them from the inbox.
    await expect.poll(held, { timeout: 30_000, interval: 250 }).toEqual({ Customer: 0, CustomerLifecycle: 0, PointsEntry: 0, Order: 0 });
    await page.goto(search);
    await app.getByText("No customer matches these filters.").waitFor();
    expect(await rows.count()).toBe(0);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-customers-erased.png"));
    // Their page in the app answers as for a customer it never held.
    const [answer] = await Promise.all([page.waitForResponse((response) => new URL(response.url()).pathname === `/app/customers/${id}`), page.goto(customerPage)]);
    expect(answer.status()).toBe(404);
    // …inside the app, with its navigation back to the list.
    await app.getByTestId("customer-not-found").waitFor();
    expect(await app.getByRole("link", { name: "Back to customers" }).count()).toBe(1);
    expect(await app.getByText(name).count()).toBe(0);
    expect(await app.getByTestId("customer-stage").count()).toBe(0);
    await screenshotApp(page, path.join(SCREENSHOTS, "demo-customer-erased.png"));
    db.close();
  });
});
