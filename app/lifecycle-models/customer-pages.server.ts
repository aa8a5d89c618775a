import { randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { customerLoyalty, heldReferralId } from "~/loyalty-models/customer-loyalty.server";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { approveReferral, rejectReferral } from "~/loyalty-models/referrals.server";
import { shopProfile } from "~/shops/profile.server";
import { markAdvocate } from "./advocates.server";
import { customerListPage, customerListRows, type CustomerListQuery } from "./customer-list.server";
import { customerTimeline } from "./customer-timeline.server";

/*
 * What the admin's customer pages (the list, its CSV export, one customer) load and change.
 */

/** One page of the customer list, with the shop's currency for its revenue column. Throws InvalidCursorError for a cursor that is not ours. */
export async function loadCustomerList(shop: string, query: CustomerListQuery) {
  const [page, { currencyCode }] = await Promise.all([customerListPage(prisma, shop, query), shopProfile(prisma, shop)]);
  return { ...page, currencyCode };
}

/** The whole filtered list, walked page by page, with what its CSV needs to show money and days as the shop does. */
export async function customerExport(shop: string, filters: CustomerListQuery) {
  const { currencyCode, timeZone } = await shopProfile(prisma, shop);
  return { currencyCode, timeZone, rows: customerListRows(prisma, shop, filters) };
}

/** One customer's page: lifecycle, timeline, loyalty and advocacy; null for a customer we do not hold. */
export async function loadCustomerPage(shop: string, customerId: string) {
  const customer = await prisma.customer.findUnique({
    where: { shop_id: { shop, id: customerId } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  if (!customer) return null;
  const [lifecycle, timeline, loyalty, mark] = await Promise.all([
    prisma.customerLifecycle.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    customerTimeline(prisma, shop, customerId),
    customerLoyalty(prisma, shop, customerId),
    prisma.advocateMark.findUnique({ where: { shop_customerId: { shop, customerId } } }),
  ]);
  return {
    customer: { ...customer, name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.id },
    lifecycle: lifecycle && {
      stage: lifecycle.stage,
      reasonKey: lifecycle.reasonKey,
      reasonValues: JSON.parse(lifecycle.reasonValues) as Record<string, string | number>,
      rfmGroup: lifecycle.rfmGroup,
      valueBand: lifecycle.valueBand,
    },
    timeline,
    ...loyalty,
    markedAdvocate: mark !== null,
    // A fresh id for the next adjustment: submitting the same form twice counts once.
    adjustmentId: randomUUID(),
  };
}

/** What the merchant can change on a customer's page. */
export type CustomerChange =
  | { intent: "mark-advocate"; marked: boolean }
  | { intent: "adjust-points"; points: number; reason: string; adjustmentId: string }
  | { intent: "approve-referral" | "reject-referral"; referralId: number };

/** Applies the change; `notFound` when the customer, or the held referral it is about, is not ours. */
export async function updateCustomer(shop: string, customerId: string, change: CustomerChange, now: Date) {
  const customer = await prisma.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { id: true } });
  if (!customer) return { notFound: "customer" as const };
  switch (change.intent) {
    case "mark-advocate":
      await markAdvocate(prisma, shop, customerId, change.marked);
      return { marked: change.marked };
    case "adjust-points": {
      const balance = await adjustPoints(prisma, shop, customerId, change.points, change.reason, `admin:${change.adjustmentId}`, now);
      return { adjusted: change.points, balance };
    }
    default: {
      const referralId = await heldReferralId(prisma, shop, customerId, change.referralId);
      if (referralId === null) return { notFound: "referral" as const };
      if (change.intent === "approve-referral") await approveReferral(prisma, shop, referralId, now);
      else await rejectReferral(prisma, shop, referralId, now);
      return { referral: change.intent === "approve-referral" ? ("approved" as const) : ("rejected" as const) };
    }
  }
}
