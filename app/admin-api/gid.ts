import { InvalidRecordError } from "./errors";

/** "gid://shopify/Order/123" → "123" (kept as text: JSON numbers lose precision past 2^53). */
export function legacyId(gid: string, type?: string): string {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match || (type && match[1] !== type)) throw new InvalidRecordError(`Not a ${type ?? "Shopify"} GID: ${gid}`);
  return match[2]!;
}

/** The Admin API's global id of the customer we hold as `customerId` ("123" → "gid://shopify/Customer/123"). */
export const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

/** The Admin API's global id of the order we hold as `orderId`. */
export const orderGid = (orderId: string) => `gid://shopify/Order/${orderId}`;
