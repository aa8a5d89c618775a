import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/app.segments";
import { action as webhookAction } from "~/routes/webhooks.$";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";
import { runBackfill } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 29 });
routeWebhooksToApp(webhookAction);

const load = async () =>
  loader({
    request: await setUpValidRequest(
      { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
      new Request(`${APP_URL}/app/segments`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
    ),
    params: {},
    context: {},
  });

describe("segments page", () => {
  it("lists none before the first write, then every managed segment with the customers we place in it and its admin link", async () => {
    await openAppAsMerchant();
    await runBackfill(sandbox, shop);
    expect((await load()).segments).toEqual([]);

    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeBackApprovedAt: new Date() } });
    await requestWriteBack(prisma, TEST_SHOP);
    await testWorker().runUntilIdle();

    const { segments } = await load();
    expect(segments.length).toBe(await prisma.managedSegment.count({ where: { shop: TEST_SHOP } }));
    const loyal = segments.find((segment) => segment.key === "stage:loyal")!;
    expect(loyal).toMatchObject({ name: "Lifecycle: loyal", query: "customer_tags CONTAINS 'lifecycle:loyal'" });
    expect(loyal.customers).toBe(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, stage: "loyal" } }));
    expect(loyal.adminPath).toMatch(/^shopify:\/\/admin\/customers\/segments\/\d+$/);
    // And the sandbox (Shopify) holds exactly those segments.
    expect(
      shop
        .segments()
        .filter((segment) => segment.name.startsWith("Lifecycle: "))
        .map((segment) => segment.name)
        .sort(),
    ).toEqual(segments.map((segment) => segment.name).sort());
  });
});
