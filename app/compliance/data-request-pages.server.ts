import prisma from "~/db.server";
import { shopProfile } from "~/shops/profile.server";
import { dataRequestExport, listDataRequests, markDataRequestSent } from "./data-requests.server";

/*
 * What the admin's data-request pages load and change.
 */

/** The open and fulfilled requests, with the shop's time zone (UTC before the first import) to show their dates in. */
export async function loadDataRequests(shop: string) {
  const [requests, { timeZone }] = await Promise.all([listDataRequests(prisma, shop), shopProfile(prisma, shop)]);
  return { ...requests, timeZone: timeZone ?? "UTC" };
}

/** Marks the request sent (or open again); false when the shop has no such request. */
export function markDataRequest(shop: string, id: number, sent: boolean, now: Date): Promise<boolean> {
  return markDataRequestSent(prisma, shop, id, sent, now);
}

/** One request's stored export; null when the shop has no such request. */
export function loadDataRequestExport(shop: string, id: number) {
  return dataRequestExport(prisma, shop, id);
}
