import { z } from "zod";
import { authenticate } from "~/shopify.server";

/** What Shopify adds to every App Proxy request; the customer is the one logged in to the storefront, or nobody. */
const ProxyParams = z.object({
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  logged_in_customer_id: z
    .string()
    .regex(/^\d*$/)
    .optional()
    .transform((value) => (value ? value : null)),
});

export interface ProxyContext {
  shop: string;
  /** Only ever from Shopify's signed parameters: the storefront cannot ask for anyone else. */
  customerId: string | null;
  admin: NonNullable<Awaited<ReturnType<typeof authenticate.public.appProxy>>["admin"]>;
}

const refuse = (status: number, error: string) => Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * Verifies Shopify's App Proxy signature (a tampered, missing or stale one is 401) and returns the
 * shop and the logged-in customer. Throws a Response for anything else a caller should not pass.
 */
export async function authenticateProxy(request: Request): Promise<ProxyContext> {
  let context: Awaited<ReturnType<typeof authenticate.public.appProxy>>;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    // Shopify's library answers a bad signature with 400; to the storefront it is unauthorised.
    if (error instanceof Response && error.status === 400) throw refuse(401, "invalid_signature");
    throw error;
  }
  const params = ProxyParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success) throw refuse(400, "invalid_parameters");
  if (!context.admin) throw refuse(403, "not_installed");
  return { shop: params.data.shop, customerId: params.data.logged_in_customer_id, admin: context.admin };
}

export { refuse as proxyError };
