import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { createAdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { loyaltySummary } from "~/loyalty/summary";
import { redeemPoints, RedemptionFailedError, RedemptionPendingError } from "~/loyalty-store/redemptions.server";
import { loyaltySettings } from "~/loyalty-store/settings.server";
import { InsufficientPointsError } from "~/loyalty/points";
import { authenticateProxy, proxyError } from "~/storefront/proxy.server";

// The block's script makes one key per redemption it asks for and sends it again on a retry.
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/**
 * POST /apps/lifecycle/redeem?idempotency_key=…: the logged-in customer turns one reward's points
 * into their own discount code. The same key returns the same redemption and never spends twice.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return proxyError(405, "method_not_allowed");
  const { shop, customerId, admin } = await authenticateProxy(request);
  if (!customerId) return proxyError(401, "login_required");
  const key = IdempotencyKey.safeParse(new URL(request.url).searchParams.get("idempotency_key"));
  if (!key.success) return proxyError(400, "idempotency_key_required");
  const settings = await loyaltySettings(prisma, shop);
  if (!settings.enabled) return proxyError(403, "programme_off");
  try {
    const redemption = await redeemPoints(prisma, createAdminApi(admin.graphql), shop, customerId, new Date(), { idempotencyKey: key.data });
    // Failed before (this key sent again): the points came back, as they did the first time.
    if (redemption.status === "failed") return proxyError(502, "reward_unavailable");
    if (redemption.status !== "issued") return proxyError(202, "reward_pending");
    const account = await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId } } });
    return Response.json(
      { code: redemption.code, value_minor: redemption.valueMinor, ...loyaltySummary(account, settings) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof InsufficientPointsError) return proxyError(409, "not_enough_points");
    if (error instanceof RedemptionFailedError) return proxyError(502, "reward_unavailable");
    if (error instanceof RedemptionPendingError) return proxyError(202, "reward_pending");
    throw error;
  }
};

export const loader = () => proxyError(405, "method_not_allowed");
