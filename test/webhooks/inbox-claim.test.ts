import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { claimDelivery } from "~/webhooks/inbox.server";

describe("claiming deliveries from the inbox", () => {
  beforeEach(async () => {
    await prisma.webhookDelivery.deleteMany();
  });

  // Several workers claim at once while many deliveries wait: a worker that finds its pick taken must
  // take the next one, not come back empty (it would then sleep while the backlog grows).
  it("gives each of several simultaneous claims its own delivery while enough are due", async () => {
    const count = 8;
    await prisma.webhookDelivery.createMany({
      data: Array.from({ length: count }, (_, index) => ({
        shop: "claims.myshopify.com",
        topic: "orders/create",
        webhookId: `claim-${index}`,
        apiVersion: "2026-07",
        payload: "{}",
      })),
    });
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + 60_000);
    const claimed = await Promise.all(Array.from({ length: count }, (_, index) => claimDelivery(prisma, `worker-${index}`, now, leaseUntil)));
    const ids = claimed.map((delivery) => delivery?.id ?? null);
    expect(ids.filter((id) => id === null)).toHaveLength(0);
    expect(new Set(ids).size).toBe(count);
  });
});
