import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { loyaltySummary } from "~/loyalty/summary";
import { loyaltySettings } from "~/loyalty-store/settings.server";
import { authenticateProxy, proxyError } from "~/storefront/proxy.server";

/**
 * GET /apps/lifecycle/loyalty: the logged-in customer's points, for the widget to refresh after an
 * action (it renders from metafields on page load and calls nothing then).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, customerId } = await authenticateProxy(request);
  const headers = { "Cache-Control": "no-store" };
  const settings = await loyaltySettings(prisma, shop);
  // Off, the theme shows no block: nothing asks, and nothing is served.
  if (!settings.enabled) return proxyError(403, "programme_off");
  if (!customerId) return Response.json({ loggedIn: false }, { headers });
  const account = await prisma.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } });
  return Response.json({ loggedIn: true, ...loyaltySummary(account ?? { available: 0, pending: 0 }, settings) }, { headers });
};
