import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { createAdminApi } from "~/admin-api/client.server";
import { RedemptionFailedError, RedemptionPendingError } from "~/loyalty-models/redemptions.server";
import { redeemReward } from "~/loyalty-models/storefront.server";
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
  try {
    const redeemed = await redeemReward(shop, createAdminApi(admin.graphql), customerId, key.data, new Date());
    if (redeemed.status === "off") return proxyError(403, "programme_off");
    if (redeemed.status === "failed") return proxyError(502, "reward_unavailable");
    if (redeemed.status === "pending") return proxyError(202, "reward_pending");
    return Response.json({ code: redeemed.code, value_minor: redeemed.valueMinor, ...redeemed.summary }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof InsufficientPointsError) return proxyError(409, "not_enough_points");
    if (error instanceof RedemptionFailedError) return proxyError(502, "reward_unavailable");
    if (error instanceof RedemptionPendingError) return proxyError(202, "reward_pending");
    throw error;
  }
};

export const loader = () => proxyError(405, "method_not_allowed");
