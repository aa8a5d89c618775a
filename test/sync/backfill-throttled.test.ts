import { describe, expect, it } from "vitest";
import { createAdminApi } from "~/admin-api/client.server";
import { action } from "~/routes/webhooks.$";
import { unauthenticated } from "~/shopify.server";
import { failNextBulkOperation } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { expectStoreMirrored, runBackfill } from "./support";

// The sandbox's leaky buckets run on this clock; the client's throttle waits move it instead of sleeping.
let bucketClockMs = 0;
// Big enough that reading it page by page spends several buckets' worth of points.
const { sandbox, shop } = installTestSandbox({ customers: 400, seed: 17, throttleClock: () => bucketClockMs });
routeWebhooksToApp(action);

describe("backfill under Admin API throttling", () => {
  it("waits as Shopify's throttleStatus says and completes, losing no request", async () => {
    await openAppAsMerchant();
    const waits: number[] = [];
    const adminFor = async (shopDomain: string, onCost?: (points: number) => void) => {
      const { admin } = await unauthenticated.admin(shopDomain);
      return createAdminApi(admin.graphql, {
        onCost: (_operation, cost) => onCost?.(cost.actualQueryCost ?? 0),
        sleep: async (ms) => {
          waits.push(ms);
          bucketClockMs += ms;
        },
      });
    };
    // Paginated (the bulk export fails): many expensive queries in a row, more than the bucket holds.
    failNextBulkOperation(shop, "INTERNAL_SERVER_ERROR", 2);
    const backfill = await runBackfill(sandbox, shop, { adminFor });

    expect(backfill).toMatchObject({ status: "completed", method: "paginated", phase: "done" });
    expect(waits.length).toBeGreaterThan(0);
    expect(backfill.queryCost).toBeGreaterThan(2_000);
    await expectStoreMirrored(shop);
  });
});
