import { readFileSync } from "node:fs";
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { CUSTOMER_TABLES, eraseCustomerData, exportCustomerData, type CustomerRequest } from "~/compliance/customer-data.server";
import { complianceSql } from "~/compliance/dialects/index.server";
import prisma from "~/db.server";
import { dialectOf } from "~/sql.server";
import type { Job } from "@prisma/client";
import type { KeptFields } from "~/compliance/dialects/index.server";
import { DELIVERY_RETENTION_MS, KEPT_FIELDS, runRetentionJob, settleDelivery, stripPayload } from "~/webhooks/retention.server";
import {
  appUninstalledPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "@lifecycle/shopify-sandbox";
import { installTestSandbox } from "../support/sandbox";
import { TEST_ON_POSTGRES } from "../setup/database";

/*
 * The compliance SQL's contract, the same on SQLite and PostgreSQL (this file runs on both, with
 * `TEST_DATABASE=postgres` on the latter): the same rows in give the same text out. Rows are written
 * directly, so nothing here depends on the backfill or the webhook intake.
 */

const SHOP = "contract.myshopify.com";
const OTHER_SHOP = "contract-other.myshopify.com";
// Above 2^53: JavaScript would read it as its neighbour 9007199254740992.
const CUSTOMER = "9007199254740993";
const NEIGHBOUR = "9007199254740992";
const AT = new Date("2026-11-23T14:52:12.278Z");
const LATER = new Date("2026-11-24T08:00:00.000Z");

async function seedCustomer(shop: string) {
  await prisma.customer.createMany({
    data: [
      { shop, id: CUSTOMER, createdAt: AT, updatedAt: LATER, state: "ENABLED", tags: 'vip, "quoted"', firstName: "Zoë", lastName: "O'Brien\tJr", email: "zoe@example.com", observedAt: AT },
      { shop, id: NEIGHBOUR, createdAt: AT, updatedAt: AT, state: "ENABLED", email: "neighbour@example.com", observedAt: AT },
    ],
  });
  const order = { shop, name: "#1", createdAt: AT, processedAt: AT, updatedAt: LATER, financialStatus: "PAID", currencyCode: "EUR", observedAt: AT };
  await prisma.order.createMany({
    data: [
      // "10" sorts before "9": rows come in primary key order (bytes), not in the order written.
      { ...order, id: "9", customerId: CUSTOMER, test: false, subtotalMinor: 1999, totalMinor: 2099.5, discountCodes: '[{"code":"WELCOME","amount":"5.00"}]' },
      { ...order, id: "10", customerId: CUSTOMER, test: true, subtotalMinor: 0, totalMinor: 0, cancelledAt: LATER, landingSite: "/?ref=ADVOCATE-REF" },
      // A guest order the request names.
      { ...order, id: "11", customerId: null, test: false, subtotalMinor: 500, totalMinor: 500 },
      { ...order, id: "12", customerId: NEIGHBOUR, test: false, subtotalMinor: 700, totalMinor: 700 },
    ],
  });
  await prisma.refund.createMany({
    data: [
      { shop, id: "r2", orderId: "10", createdAt: LATER, amountMinor: 1000 },
      { shop, id: "r1", orderId: "11", createdAt: AT, amountMinor: 250.25 },
      { shop, id: "r3", orderId: "12", createdAt: AT, amountMinor: 100 },
    ],
  });
  await prisma.customerLifecycle.create({
    data: {
      shop,
      customerId: CUSTOMER,
      stage: "loyal",
      reasonKey: "orders",
      reasonValues: '{"orders":3}',
      stageSince: AT,
      recency: 5,
      rfmGroup: "champions",
      valueBand: "high",
      purchases: 3,
      netRevenueMinor: 4098.5,
      trailingYearRevenueMinor: 4098.5,
      lastPurchaseAt: LATER,
      computedAt: LATER,
      writtenTags: '["lc:loyal"]',
      writeBackDue: -2,
    },
  });
  await prisma.stageChange.createMany({
    data: [
      { shop, customerId: CUSTOMER, fromStage: null, toStage: "new", at: AT, reasonKey: "first" },
      { shop, customerId: CUSTOMER, fromStage: "new", toStage: "loyal", at: LATER, reasonKey: "orders", reasonValues: '{"orders":3}' },
      { shop, customerId: NEIGHBOUR, fromStage: null, toStage: "new", at: AT, reasonKey: "first" },
    ],
  });
  await prisma.advocateMark.create({ data: { shop, customerId: CUSTOMER, markedAt: AT } });
  await prisma.pointsEntry.createMany({
    data: [
      { shop, customerId: CUSTOMER, source: "order", sourceId: "9", kind: "earn", points: 19, at: AT, availableAt: LATER, orderId: "9", basisMinor: 1999, createdAt: AT },
      { shop, customerId: CUSTOMER, source: "adjustment", sourceId: "gift", kind: "adjust", points: -5, at: LATER, availableAt: LATER, reason: "Sorry, \"oops\"", createdAt: LATER },
    ],
  });
  await prisma.loyaltyAccount.create({ data: { shop, customerId: CUSTOMER, available: 14, pending: 0, updatedAt: LATER } });
  await prisma.redemption.create({
    data: { shop, customerId: CUSTOMER, points: 10, valueMinor: 100, currencyCode: "EUR", code: `REWARD-${shop}`, status: "issued", createdAt: AT, updatedAt: LATER },
  });
  await prisma.referralCode.create({ data: { shop, customerId: CUSTOMER, code: `ADVOCATE-${shop}`, createdAt: AT } });
  await prisma.referral.createMany({
    data: [
      { shop, code: `ADVOCATE-${shop}`, referrerId: CUSTOMER, friendId: NEIGHBOUR, orderId: "12", channel: "discount_code", status: "rewarded", createdAt: AT, decidedAt: LATER },
      { shop, code: "FRIEND-REF", referrerId: NEIGHBOUR, friendId: CUSTOMER, orderId: "10", channel: "landing_site", status: "held", reasons: '["self"]', createdAt: LATER },
    ],
  });
  await prisma.dataRequest.create({ data: { shop, customerId: CUSTOMER, shopifyRequestId: "4", webhookId: `earlier-${shop}`, requestedAt: AT, completedAt: AT, export: "{}" } });
}

/** A delivery as the inbox stores it: the payload text as Shopify sent it. */
function delivery(shop: string, webhookId: string, topic: string, payload: string, extra: Partial<Prisma.WebhookDeliveryCreateManyInput> = {}) {
  return prisma.webhookDelivery.create({ data: { shop, webhookId: `${shop}-${webhookId}`, topic, apiVersion: "2026-07", receivedAt: AT, payload, ...extra } });
}

async function seedDeliveries(shop: string) {
  return {
    // Processed: stamped with its customer and order.
    stamped: await delivery(shop, "stamped", "orders/create", `{"id":10,"customer":{"id":${CUSTOMER}}}`, {
      status: "processed",
      processedAt: LATER,
      customerId: CUSTOMER,
      orderId: "10",
    }),
    // Never processed: found by the ids in their payloads, exactly.
    byCustomerId: await delivery(shop, "by-customer", "customers/update", `{"id":${CUSTOMER},"email":"zoe@example.com"}`, { attempts: 1, lastError: "Error: unreachable" }),
    byGuestOrder: await delivery(shop, "by-guest-order", "refunds/create", `{"id":5,"order_id":11}`, { status: "failed", attempts: 5 }),
    neighbour: await delivery(shop, "neighbour", "customers/update", `{"id":${NEIGHBOUR},"email":"neighbour@example.com"}`),
    notJson: await delivery(shop, "not-json", "orders/updated", `not json ${CUSTOMER}`, { status: "failed" }),
    request: await delivery(shop, "request", "customers/data_request", `{"shop_domain":"${shop}","customer":{"id":${CUSTOMER}},"orders_requested":[11]}`, { status: "processing" }),
  };
}

/** What stripping keeps of a payload JavaScript reads exactly (no id past 2^53), in the order of `fields`. */
function keptOf(payload: Record<string, unknown>, fields: KeptFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([field, kept]) => {
      const value = payload[field] ?? null;
      const nested = kept !== true && value !== null && typeof value === "object" && !Array.isArray(value);
      return [field, nested ? keptOf(value as Record<string, unknown>, kept) : value];
    }),
  );
}

const { shop: store } = installTestSandbox({ customers: 8, seed: 41 });

const request = (deliveryId: number): CustomerRequest => ({ shop: SHOP, customerId: CUSTOMER, orderIds: ["11"], deliveryId });

beforeEach(async () => {
  await prisma.$transaction(Prisma.dmmf.datamodel.models.map((model) => prisma.$executeRawUnsafe(`DELETE FROM "${model.dbName ?? model.name}"`)));
});

describe("compliance SQL, the same on both databases", () => {
  it("runs on the database the suite was asked for", () => {
    expect(dialectOf(prisma)).toBe(TEST_ON_POSTGRES ? "postgresql" : "sqlite");
  });

  it("orders each exported table by its primary key as prisma/schema.prisma declares it", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    for (const table of CUSTOMER_TABLES) {
      const body = new RegExp(`^model ${table.model} \\{\\n([\\s\\S]*?)^\\}`, "m").exec(schema)![1]!;
      const composite = /@@id\(\[([^\]]*)\]\)/.exec(body)?.[1]?.split(",").map((name) => name.trim());
      const single = /^\s*(\w+)\s.*@id\b/m.exec(body)?.[1];
      expect({ model: table.model, key: table.key }).toEqual({ model: table.model, key: composite ?? [single] });
    }
  });

  it("exports the customer's rows as the same text: keys in schema order, rows by primary key, 0/1, Prisma's time text, payloads as JSON with exact ids", async () => {
    await seedCustomer(SHOP);
    await seedCustomer(OTHER_SHOP);
    const { request: own } = await seedDeliveries(SHOP);
    await seedDeliveries(OTHER_SHOP);

    const exported = await exportCustomerData(prisma, request(own.id), LATER);

    // Ids the database chose, in the order written.
    const ids = async (rows: Promise<{ id: number }[]>) => (await rows).map((row) => row.id);
    const byId = { orderBy: { id: "asc" }, select: { id: true }, where: { shop: SHOP } } as const;
    const [stage1, stage2] = await ids(prisma.stageChange.findMany(byId));
    const [points1, points2] = await ids(prisma.pointsEntry.findMany(byId));
    const [redemption] = await ids(prisma.redemption.findMany(byId));
    const [referral1, referral2] = await ids(prisma.referral.findMany(byId));
    const [dataRequest] = await ids(prisma.dataRequest.findMany(byId));
    const [stamped, byCustomer, byGuestOrder] = await ids(prisma.webhookDelivery.findMany(byId));
    expect(exported).toBe(
      [
        `{"shop":"${SHOP}","customerId":"${CUSTOMER}","ordersRequested":["11"],"generatedAt":"2026-11-24T08:00:00.000Z",`,
        `"profile":[{"id":"${CUSTOMER}","createdAt":"2026-11-23T14:52:12.278+00:00","updatedAt":"2026-11-24T08:00:00.000+00:00","state":"ENABLED","tags":"vip, \\"quoted\\"","emailMarketingState":null,"firstName":"Zoë","lastName":"O'Brien\\tJr","email":"zoe@example.com","observedAt":"2026-11-23T14:52:12.278+00:00"}],`,
        `"orders":[`,
        `{"id":"10","customerId":"${CUSTOMER}","name":"#1","createdAt":"2026-11-23T14:52:12.278+00:00","processedAt":"2026-11-23T14:52:12.278+00:00","updatedAt":"2026-11-24T08:00:00.000+00:00","cancelledAt":"2026-11-24T08:00:00.000+00:00","financialStatus":"PAID","test":1,"currencyCode":"EUR","subtotalMinor":0.0,"totalMinor":0.0,"discountCodes":"[]","noteAttributes":"[]","landingSite":"/?ref=ADVOCATE-REF","observedAt":"2026-11-23T14:52:12.278+00:00"},`,
        `{"id":"11","customerId":null,"name":"#1","createdAt":"2026-11-23T14:52:12.278+00:00","processedAt":"2026-11-23T14:52:12.278+00:00","updatedAt":"2026-11-24T08:00:00.000+00:00","cancelledAt":null,"financialStatus":"PAID","test":0,"currencyCode":"EUR","subtotalMinor":500.0,"totalMinor":500.0,"discountCodes":"[]","noteAttributes":"[]","landingSite":null,"observedAt":"2026-11-23T14:52:12.278+00:00"},`,
        `{"id":"9","customerId":"${CUSTOMER}","name":"#1","createdAt":"2026-11-23T14:52:12.278+00:00","processedAt":"2026-11-23T14:52:12.278+00:00","updatedAt":"2026-11-24T08:00:00.000+00:00","cancelledAt":null,"financialStatus":"PAID","test":0,"currencyCode":"EUR","subtotalMinor":1999.0,"totalMinor":2099.5,"discountCodes":"[{\\"code\\":\\"WELCOME\\",\\"amount\\":\\"5.00\\"}]","noteAttributes":"[]","landingSite":null,"observedAt":"2026-11-23T14:52:12.278+00:00"}],`,
        `"refunds":[{"id":"r1","orderId":"11","createdAt":"2026-11-23T14:52:12.278+00:00","amountMinor":250.25},{"id":"r2","orderId":"10","createdAt":"2026-11-24T08:00:00.000+00:00","amountMinor":1000.0}],`,
        `"lifecycle":[{"customerId":"${CUSTOMER}","stage":"loyal","reasonKey":"orders","reasonValues":"{\\"orders\\":3}","stageSince":"2026-11-23T14:52:12.278+00:00","recency":5,"frequency":null,"monetary":null,"rfmGroup":"champions","valueBand":"high","purchases":3,"netRevenueMinor":4098.5,"trailingYearRevenueMinor":4098.5,"lastPurchaseAt":"2026-11-24T08:00:00.000+00:00","computedAt":"2026-11-24T08:00:00.000+00:00","writtenMetafields":null,"writtenTags":"[\\"lc:loyal\\"]","pendingTags":null,"tagsUpdatedAt":null,"writeBackDue":-2,"writeBackRefused":null,"writeBackRefusedAt":null}],`,
        `"stageHistory":[{"id":${stage1},"customerId":"${CUSTOMER}","fromStage":null,"toStage":"new","at":"2026-11-23T14:52:12.278+00:00","reasonKey":"first","reasonValues":"{}"},{"id":${stage2},"customerId":"${CUSTOMER}","fromStage":"new","toStage":"loyal","at":"2026-11-24T08:00:00.000+00:00","reasonKey":"orders","reasonValues":"{\\"orders\\":3}"}],`,
        `"advocateMarks":[{"customerId":"${CUSTOMER}","markedAt":"2026-11-23T14:52:12.278+00:00"}],`,
        `"pointsLedger":[{"id":${points1},"customerId":"${CUSTOMER}","source":"order","sourceId":"9","kind":"earn","points":19,"at":"2026-11-23T14:52:12.278+00:00","availableAt":"2026-11-24T08:00:00.000+00:00","orderId":"9","basisMinor":1999.0,"reason":null,"createdAt":"2026-11-23T14:52:12.278+00:00"},{"id":${points2},"customerId":"${CUSTOMER}","source":"adjustment","sourceId":"gift","kind":"adjust","points":-5,"at":"2026-11-24T08:00:00.000+00:00","availableAt":"2026-11-24T08:00:00.000+00:00","orderId":null,"basisMinor":null,"reason":"Sorry, \\"oops\\"","createdAt":"2026-11-24T08:00:00.000+00:00"}],`,
        `"loyaltyAccount":[{"customerId":"${CUSTOMER}","available":14,"pending":0,"writtenMetafields":null,"summaryDue":1,"summaryRefused":null,"summaryRefusedAt":null,"updatedAt":"2026-11-24T08:00:00.000+00:00"}],`,
        `"redemptions":[{"id":${redemption},"customerId":"${CUSTOMER}","points":10,"valueMinor":100,"currencyCode":"EUR","code":"REWARD-${SHOP}","status":"issued","discountId":null,"lastError":null,"idempotencyKey":null,"lockedBy":null,"lockedUntil":null,"createdAt":"2026-11-23T14:52:12.278+00:00","updatedAt":"2026-11-24T08:00:00.000+00:00"}],`,
        `"referralCodes":[{"customerId":"${CUSTOMER}","code":"ADVOCATE-${SHOP}","discountId":null,"createdAt":"2026-11-23T14:52:12.278+00:00"}],`,
        `"referralsAsReferrer":[{"id":${referral1},"code":"ADVOCATE-${SHOP}","referrerId":"${CUSTOMER}","friendId":"${NEIGHBOUR}","orderId":"12","channel":"discount_code","status":"rewarded","reasons":"[]","createdAt":"2026-11-23T14:52:12.278+00:00","decidedAt":"2026-11-24T08:00:00.000+00:00"}],`,
        `"referralsAsFriend":[{"id":${referral2},"code":"FRIEND-REF","referrerId":"${NEIGHBOUR}","friendId":"${CUSTOMER}","orderId":"10","channel":"landing_site","status":"held","reasons":"[\\"self\\"]","createdAt":"2026-11-24T08:00:00.000+00:00","decidedAt":null}],`,
        `"dataRequests":[{"id":${dataRequest},"customerId":"${CUSTOMER}","shopifyRequestId":"4","webhookId":"earlier-${SHOP}","requestedAt":"2026-11-23T14:52:12.278+00:00","completedAt":"2026-11-23T14:52:12.278+00:00","sentAt":null}],`,
        `"deliveries":[`,
        `{"id":${stamped},"topic":"orders/create","webhookId":"${SHOP}-stamped","eventId":null,"triggeredAt":null,"apiVersion":"2026-07","receivedAt":"2026-11-23T14:52:12.278+00:00","payload":{"id":10,"customer":{"id":${CUSTOMER}}},"status":"processed","lastError":null,"processedAt":"2026-11-24T08:00:00.000+00:00","customerId":"${CUSTOMER}","orderId":"10"},`,
        `{"id":${byCustomer},"topic":"customers/update","webhookId":"${SHOP}-by-customer","eventId":null,"triggeredAt":null,"apiVersion":"2026-07","receivedAt":"2026-11-23T14:52:12.278+00:00","payload":{"id":${CUSTOMER},"email":"zoe@example.com"},"status":"pending","lastError":"Error: unreachable","processedAt":null,"customerId":null,"orderId":null},`,
        `{"id":${byGuestOrder},"topic":"refunds/create","webhookId":"${SHOP}-by-guest-order","eventId":null,"triggeredAt":null,"apiVersion":"2026-07","receivedAt":"2026-11-23T14:52:12.278+00:00","payload":{"id":5,"order_id":11},"status":"failed","lastError":null,"processedAt":null,"customerId":null,"orderId":null}]}`,
      ].join(""),
    );
  });

  it("embeds a payload that is not JSON as its text, and a JSON one as JSON", async () => {
    await seedCustomer(SHOP);
    await delivery(SHOP, "text", "orders/updated", `not json "${CUSTOMER}"`, { customerId: CUSTOMER });
    await delivery(SHOP, "scalar", "orders/updated", `"just a string"`, { customerId: CUSTOMER });
    await delivery(SHOP, "array", "orders/updated", `[${CUSTOMER},null,true]`, { customerId: CUSTOMER });
    const { request: own } = await seedDeliveries(SHOP);

    const exported = await exportCustomerData(prisma, request(own.id), LATER);

    const payloads = [...exported.matchAll(/"payload":(.*?),"status"/g)].map((match) => match[1]);
    expect(payloads.slice(0, 3)).toEqual([`"not json \\"${CUSTOMER}\\""`, `"just a string"`, `[${CUSTOMER},null,true]`]);
  });

  it("reads the customer and order a payload names, exactly, for the topics that name one", async () => {
    const payloads: [topic: string, payload: string][] = [
      ["orders/create", `{"id":820982911946154508,"customer":{"id":${CUSTOMER}}}`],
      ["orders/cancelled", `{"id":1,"customer":null}`],
      ["orders/paid", `{"id":"7","customer":{"id":"8"}}`],
      ["customers/delete", `{"id":${CUSTOMER}}`],
      ["customers/redact", `{"customer":{"id":${NEIGHBOUR}},"orders_to_redact":[1]}`],
      ["customers/data_request", `{"customer":{"id":3}}`],
      ["refunds/create", `{"id":5,"order_id":820982911946154508}`],
      ["refunds/create", `[1,2]`],
      ["orders/updated", `not json`],
      ["app/uninstalled", `{"id":1,"customer":{"id":2}}`],
    ];
    for (const [index, [topic, payload]] of payloads.entries()) await delivery(SHOP, `ids-${index}`, topic, payload);
    const sql = complianceSql(prisma);

    const rows = await prisma.$queryRaw<{ customerId: string | null; orderId: string | null }[]>`
      SELECT ${sql.payloadCustomerId} AS "customerId", ${sql.payloadOrderId} AS "orderId" FROM "WebhookDelivery" w ORDER BY w."id"`;

    expect(rows.map((row) => [row.customerId, row.orderId])).toEqual([
      [CUSTOMER, "820982911946154508"],
      [null, "1"],
      ["8", "7"],
      [CUSTOMER, null],
      [NEIGHBOUR, null],
      ["3", null],
      [null, "820982911946154508"],
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("strips payloads to the same text: kept fields in order, missing ones null, nested objects filtered, whole fields as sent, ids exact", async () => {
    const cases: [topic: string, payload: string, stripped: string][] = [
      [
        "orders/create",
        `{"email":"zoe@example.com","id":820982911946154508,"name":"#1","note_attributes":[{"name":"ref","value":"A"}],"total_price_set":{"shop_money":{"amount":"1.00","currency_code":"EUR"}},"test":false,"customer":{"id":${CUSTOMER},"email":"zoe@example.com","admin_graphql_api_id":"gid://shopify/Customer/${CUSTOMER}"},"line_items":[{"title":"Secret"}]}`,
        `{"id":820982911946154508,"admin_graphql_api_id":null,"name":"#1","order_number":null,"created_at":null,"processed_at":null,"updated_at":null,"cancelled_at":null,"financial_status":null,"test":false,"currency":null,"subtotal_price_set":null,"total_price_set":{"shop_money":{"amount":"1.00","currency_code":"EUR"}},"discount_codes":null,"note_attributes":[{"name":"ref","value":"A"}],"landing_site":null,"customer":{"id":${CUSTOMER},"admin_graphql_api_id":"gid://shopify/Customer/${CUSTOMER}"}}`,
      ],
      // A guest order: no customer, which stays null.
      ["orders/paid", `{"id":2,"customer":null}`, `{"id":2,"admin_graphql_api_id":null,"name":null,"order_number":null,"created_at":null,"processed_at":null,"updated_at":null,"cancelled_at":null,"financial_status":null,"test":null,"currency":null,"subtotal_price_set":null,"total_price_set":null,"discount_codes":null,"note_attributes":null,"landing_site":null,"customer":null}`],
      ["customers/redact", `{"shop_id":1,"shop_domain":"a","customer":{"id":${CUSTOMER},"email":"zoe@example.com","phone":"+1"},"orders_to_redact":[820982911946154508]}`, `{"shop_id":1,"shop_domain":"a","customer":{"id":${CUSTOMER}},"orders_to_redact":[820982911946154508]}`],
      // Not objects: left as they came (they are pruned later).
      ["customers/update", `[{"email":"zoe@example.com"}]`, `[{"email":"zoe@example.com"}]`],
      ["customers/update", `not json zoe@example.com`, `not json zoe@example.com`],
      // A topic we do not process: nothing to strip.
      ["products/update", `{"title":"x"}`, `{"title":"x"}`],
    ];
    const rows = [];
    for (const [index, [topic, payload]] of cases.entries()) rows.push(await delivery(SHOP, `strip-${index}`, topic, payload));

    for (const row of rows) for (const statement of stripPayload(prisma, row.id, row.topic)) await statement;

    const stored = await prisma.webhookDelivery.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { id: "asc" } });
    expect(stored.map((row) => row.payload)).toEqual(cases.map(([, , stripped]) => stripped));
  });

  it("erases the same rows and no others, tombstones included, finding unprocessed deliveries by their exact ids", async () => {
    await seedCustomer(SHOP);
    await seedCustomer(OTHER_SHOP);
    const deliveries = await seedDeliveries(SHOP);
    await seedDeliveries(OTHER_SHOP);
    const counts = async (shop: string) => {
      const counted: Record<string, number> = {};
      for (const model of Prisma.dmmf.datamodel.models.filter((candidate) => candidate.fields.some((field) => field.name === "shop"))) {
        const [row] = await prisma.$queryRaw<{ count: number | bigint }[]>`SELECT COUNT(*) AS "count" FROM ${Prisma.raw(`"${model.dbName ?? model.name}"`)} WHERE "shop" = ${shop}`;
        if (Number(row!.count) > 0) counted[model.name] = Number(row!.count);
      }
      return counted;
    };
    const otherShopBefore = await counts(OTHER_SHOP);

    await eraseCustomerData(prisma, request(deliveries.request.id), LATER);

    // What is left of the shop: the neighbour's rows, the delivery that is not JSON, and the request itself.
    expect(await counts(SHOP)).toEqual({
      Customer: 1,
      Order: 1,
      Refund: 1,
      StageChange: 1,
      WebhookDelivery: 3,
      DeletedRecord: 4,
    });
    expect((await prisma.webhookDelivery.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } })).map((row) => row.id)).toEqual([
      deliveries.neighbour.id,
      deliveries.notJson.id,
      deliveries.request.id,
    ]);
    expect(await prisma.customer.findMany({ where: { shop: SHOP }, select: { id: true } })).toEqual([{ id: NEIGHBOUR }]);
    const tombstones = await prisma.deletedRecord.findMany({ where: { shop: SHOP }, orderBy: [{ kind: "asc" }, { id: "asc" }] });
    expect(tombstones.map(({ kind, id, deletedAt, reason }) => ({ kind, id, deletedAt, reason }))).toEqual([
      { kind: "customer", id: CUSTOMER, deletedAt: LATER, reason: "redacted" },
      { kind: "order", id: "10", deletedAt: LATER, reason: "redacted" },
      { kind: "order", id: "11", deletedAt: LATER, reason: "redacted" },
      { kind: "order", id: "9", deletedAt: LATER, reason: "redacted" },
    ]);
    expect(await counts(OTHER_SHOP)).toEqual(otherShopBefore);
  });

  it("erases a delivery settled after the erasure when its payload names the redacted customer exactly, not its rounded neighbour", async () => {
    await prisma.deletedRecord.create({ data: { shop: SHOP, kind: "customer", id: CUSTOMER, deletedAt: AT, reason: "redacted" } });
    await prisma.deletedRecord.create({ data: { shop: SHOP, kind: "order", id: "820982911946154508", deletedAt: AT, reason: "redacted" } });
    const aboutThem = await delivery(SHOP, "late", "customers/update", `{"id":${CUSTOMER}}`, { status: "processing" });
    const aboutTheirOrder = await delivery(SHOP, "late-refund", "refunds/create", `{"id":1,"order_id":820982911946154508}`, { status: "processing" });
    const neighbour = await delivery(SHOP, "neighbour", "customers/update", `{"id":${NEIGHBOUR}}`, { status: "processing" });

    for (const settled of [aboutThem, aboutTheirOrder, neighbour]) {
      await settleDelivery(prisma, settled, { id: settled.id }, { status: "processed", processedAt: LATER });
    }

    expect(await prisma.webhookDelivery.findMany({ where: { shop: SHOP }, select: { id: true, payload: true } })).toEqual([
      { id: neighbour.id, payload: `{"id":${NEIGHBOUR},"admin_graphql_api_id":null,"created_at":null,"updated_at":null}` },
    ]);
  });

  it("strips Shopify's payloads (the sandbox's, topic by topic) to exactly their kept fields", async () => {
    const customer = store.customers().find((candidate) => store.ordersOfCustomer(candidate.id).some((order) => order.refunds.length > 0))!;
    const order = store.ordersOfCustomer(customer.id).find((candidate) => candidate.refunds.length > 0)!;
    const payloads: Record<string, object> = {
      "orders/create": orderPayload(store, order),
      "orders/updated": { ...orderPayload(store, order), browser_ip: "203.0.113.7" },
      "orders/paid": orderPayload(store, order),
      "orders/cancelled": orderPayload(store, order),
      "refunds/create": refundPayload(store, order, order.refunds[0]!),
      "customers/create": customerPayload(store, customer),
      "customers/update": customerPayload(store, customer),
      "customers/redact": customersRedactPayload(store, customer),
      "customers/data_request": customersDataRequestPayload(store, customer, { dataRequestId: 9 }),
      "shop/redact": shopRedactPayload(store),
      "app/uninstalled": appUninstalledPayload(store),
    };
    const rows = [];
    for (const [topic, payload] of Object.entries(payloads)) rows.push(await delivery(SHOP, `shopify-${topic}`, topic, JSON.stringify(payload)));

    for (const row of rows) for (const statement of stripPayload(prisma, row.id, row.topic)) await statement;

    const stored = await prisma.webhookDelivery.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { id: "asc" } });
    expect(stored.map((row) => [row.topic, row.payload])).toEqual(
      Object.entries(payloads).map(([topic, payload]) => [topic, JSON.stringify(keptOf(payload as Record<string, unknown>, KEPT_FIELDS[topic]!))]),
    );
    expect(stored.filter((row) => row.payload.includes(customer.email!))).toEqual([]);
  });

  it("the retention job prunes old deliveries, erases failed ones about a redacted customer by stamp or exact payload id, and drops sent exports", async () => {
    const now = new Date(LATER.getTime() + DELIVERY_RETENTION_MS + 1000);
    await prisma.deletedRecord.create({ data: { shop: SHOP, kind: "customer", id: CUSTOMER, deletedAt: AT, reason: "redacted" } });
    await delivery(SHOP, "old", "customers/update", `{"id":1}`, { status: "processed", processedAt: AT });
    const recent = await delivery(SHOP, "recent", "customers/update", `{"id":1}`, { status: "processed", processedAt: new Date(now.getTime() - 1000) });
    await delivery(SHOP, "failed-payload", "customers/update", `{"id":${CUSTOMER}}`, { status: "failed", receivedAt: now });
    await delivery(SHOP, "failed-stamp", "orders/updated", `not json`, { status: "failed", receivedAt: now, customerId: CUSTOMER });
    const failedNeighbour = await delivery(SHOP, "failed-neighbour", "customers/update", `{"id":${NEIGHBOUR}}`, { status: "failed", receivedAt: now });
    const sent = await prisma.dataRequest.create({ data: { shop: SHOP, customerId: NEIGHBOUR, requestedAt: AT, completedAt: AT, sentAt: AT, export: "{}" } });
    const unsent = await prisma.dataRequest.create({ data: { shop: SHOP, customerId: NEIGHBOUR, requestedAt: AT, completedAt: AT, export: "{}" } });

    // Old processed: pruned. Failed about them, by payload or by stamp: erased. The neighbour's stays.
    const result = await runRetentionJob(
      { db: prisma, now: () => now, adminFor: () => Promise.reject(new Error("no Admin API here")) },
      { job: {} as Job, payload: null, heartbeat: () => Promise.resolve(true) },
    );

    expect(result).toMatchObject({ snoozeUntil: expect.any(Date) });
    expect((await prisma.webhookDelivery.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((row) => row.id)).toEqual([recent.id, failedNeighbour.id]);
    expect(await prisma.dataRequest.findMany({ orderBy: { id: "asc" }, select: { id: true, export: true } })).toEqual([
      { id: sent.id, export: null },
      { id: unsent.id, export: "{}" },
    ]);
  });
});
