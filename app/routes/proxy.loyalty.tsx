import type { LoaderFunctionArgs } from "@remix-run/node";
import { storefrontLoyalty } from "~/loyalty-store/storefront.server";
import { authenticateProxy, proxyError } from "~/storefront/proxy.server";

/**
 * GET /apps/lifecycle/loyalty: the logged-in customer's points, for the widget to refresh after an
 * action (it renders from metafields on page load and calls nothing then).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, customerId } = await authenticateProxy(request);
  const headers = { "Cache-Control": "no-store" };
  const loyalty = await storefrontLoyalty(shop, customerId);
  // Off, the theme shows no block: nothing asks, and nothing is served.
  if (!loyalty) return proxyError(403, "programme_off");
  return Response.json(loyalty, { headers });
};
