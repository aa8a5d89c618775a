import type { ActionFunctionArgs } from "@remix-run/node";
import { createAdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { loyaltySummary } from "~/loyalty-store/metafields.server";
import { redeemPoints, RedemptionFailedError } from "~/loyalty-store/redemptions.server";
import { loyaltySettings } from "~/loyalty-store/settings.server";
import { InsufficientPointsError } from "~/loyalty/points";
import { authenticateProxy, proxyError } from "~/storefront/proxy.server";

/** POST /apps/lifecycle/redeem: the logged-in customer turns one reward's points into their own discount code. */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return proxyError(405, "method_not_allowed");
  const { shop, customerId, admin } = await authenticateProxy(request);
  if (!customerId) return proxyError(401, "login_required");
  const settings = await loyaltySettings(prisma, shop);
  if (!settings.enabled) return proxyError(403, "programme_off");
  try {
    const redemption = await redeemPoints(prisma, createAdminApi(admin.graphql), shop, customerId, new Date());
    const account = await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId } } });
    return Response.json(
      { code: redemption.code, value_minor: redemption.valueMinor, ...loyaltySummary(account, settings) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof InsufficientPointsError) return proxyError(409, "not_enough_points");
    if (error instanceof RedemptionFailedError) return proxyError(502, "reward_unavailable");
    throw error;
  }
};

export const loader = () => proxyError(405, "method_not_allowed");
