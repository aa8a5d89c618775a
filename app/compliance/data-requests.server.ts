import type { PrismaClient } from "@prisma/client";
import { exportCustomerData, type CustomerRequest } from "./customer-data.server";

/**
 * customers/data_request: the export is made at once and kept for the merchant, who sends it to the
 * customer (Shopify leaves that to them) and marks the request fulfilled. Processing the same
 * delivery again (its worker died half-way) finds the request it already recorded.
 */
export async function recordDataRequest(
  db: PrismaClient,
  request: CustomerRequest & { webhookId: string; shopifyRequestId: string | null; requestedAt: Date },
  now: Date,
) {
  const data = await exportCustomerData(db, request, now);
  await db.dataRequest.upsert({
    where: { shop_webhookId: { shop: request.shop, webhookId: request.webhookId } },
    create: {
      shop: request.shop,
      customerId: request.customerId,
      shopifyRequestId: request.shopifyRequestId,
      webhookId: request.webhookId,
      requestedAt: request.requestedAt,
      completedAt: now,
      export: data,
    },
    update: {},
  });
}

export interface DataRequestRow {
  id: number;
  customerId: string;
  shopifyRequestId: string | null;
  requestedAt: Date;
  completedAt: Date | null;
  sentAt: Date | null;
  /** Whether the export can still be downloaded (it is dropped a while after it was sent, see app/webhooks/retention.server.ts). */
  hasExport: boolean;
  /** From the profile we hold (nothing when we hold none). */
  name: string | null;
  email: string | null;
}

/** The shop's requests, newest first: open ones (not yet sent to the customer) and fulfilled ones. */
export async function listDataRequests(db: PrismaClient, shop: string): Promise<{ open: DataRequestRow[]; fulfilled: DataRequestRow[] }> {
  const rows = await db.dataRequest.findMany({
    where: { shop },
    select: { id: true, customerId: true, shopifyRequestId: true, requestedAt: true, completedAt: true, sentAt: true },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
  });
  const dropped = new Set((await db.dataRequest.findMany({ where: { shop, export: null }, select: { id: true } })).map((row) => row.id));
  const customers = await db.customer.findMany({
    where: { shop, id: { in: [...new Set(rows.map((row) => row.customerId))] } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const withNames = rows.map((row): DataRequestRow => {
    const customer = byId.get(row.customerId);
    const name = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ");
    return { ...row, hasExport: !dropped.has(row.id), name: name || null, email: customer?.email ?? null };
  });
  return { open: withNames.filter((row) => !row.sentAt), fulfilled: withNames.filter((row) => row.sentAt) };
}

/** The merchant sent the data to the customer (`sent`), or marked it so by mistake; false when the shop has no such request. */
export async function markDataRequestSent(db: PrismaClient, shop: string, id: number, sent: boolean, now: Date): Promise<boolean> {
  const request = await db.dataRequest.findFirst({ where: { shop, id }, select: { sentAt: true } });
  if (!request) return false;
  // Marking it sent again (a second click, another tab) keeps the date it was first sent.
  if (sent && request.sentAt) return true;
  await db.dataRequest.updateMany({ where: { shop, id }, data: { sentAt: sent ? now : null } });
  return true;
}

/** The export of one of the shop's requests, as stored (JSON text); null when there is none. */
export async function dataRequestExport(db: PrismaClient, shop: string, id: number) {
  return db.dataRequest.findFirst({ where: { shop, id }, select: { customerId: true, requestedAt: true, export: true } });
}
