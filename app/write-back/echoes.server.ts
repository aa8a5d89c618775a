import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

/**
 * What we hold of a customer that a customers/update delivery could contradict, and Shopify's
 * updatedAt for them as our last tag write left them (that write answered with the whole customer,
 * which we keep: see recordTagWrites). Null when we hold no such customer.
 */
export async function heldCustomer(db: PrismaClient, shop: string, customerId: string) {
  const [customer, lifecycle] = await Promise.all([
    db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { tags: true, firstName: true, lastName: true, email: true, state: true },
    }),
    db.customerLifecycle.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { tagsUpdatedAt: true } }),
  ]);
  return customer && { ...customer, tagsUpdatedAt: lifecycle?.tagsUpdatedAt ?? null };
}

export type HeldCustomer = Awaited<ReturnType<typeof heldCustomer>>;

// The fields of Shopify's customer payload (2026-07, REST-shaped: times in the shop's offset, to
// the second; no tags or marketing consent since 2025-01) that show a change we would keep.
const CustomerPayloadFields = z.object({
  updated_at: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  state: z.string(),
});

/**
 * Does this customers/update delivery only reflect our own tag write? Shopify sends one for every
 * write, and our write's answer already gave us the customer as it left them. It does when the
 * customer was last updated no later than that answer says, and every field it shows equals ours:
 * then reading the customer again would bring nothing new. A later update, or any field that
 * differs, is a change of the merchant's (or someone's) and is read. A tag or consent change made
 * within the same second as our write, after it, shows in no field of the payload: the hourly
 * reconciliation, which reads every customer updated since its last run, brings it.
 */
export function reflectsOwnWrite(held: HeldCustomer, payload: unknown): boolean {
  if (!held?.tagsUpdatedAt) return false;
  const parsed = CustomerPayloadFields.safeParse(payload);
  if (!parsed.success) return false;
  const { updated_at, first_name, last_name, email, state } = parsed.data;
  const updatedAt = new Date(updated_at);
  if (Number.isNaN(updatedAt.getTime()) || updatedAt.getTime() > held.tagsUpdatedAt.getTime()) return false;
  return first_name === held.firstName && last_name === held.lastName && email === held.email && state.toUpperCase() === held.state;
}
