/** Shopify global ids: `gid://shopify/<Type>/<numeric id>[?query]`. */

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

// Shopify's ids are signed 64-bit integers; a longer number is not an id Shopify could hold.
const MAX_ID = 2n ** 63n - 1n;

/**
 * What an id past 2^53 (a valid 64-bit id, like the 820982911946154508 of Shopify's sample
 * payloads) parses to: the sandbox generates ids far below it, so such an id names nothing it
 * holds, and every lookup answers as Shopify does for an unknown id (null, "does not exist").
 */
const UNHELD_ID = -1;

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

export function parseGid(value: string): { type: string; id: number } | null {
  const match = GID.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const id = Number(match[2]);
  if (Number.isSafeInteger(id)) return { type: match[1], id };
  return BigInt(match[2]) <= MAX_ID ? { type: match[1], id: UNHELD_ID } : null;
}
