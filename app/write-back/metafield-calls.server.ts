import type { AdminApi } from "~/admin-api/client.server";
import { setMetafields, type MetafieldsSetUserError } from "~/admin-api/metafields.server";
import type { MetafieldsSetInput } from "~/types/admin.types";

/** A metafield to set, with the customer it belongs to. */
export interface OwnedMetafield {
  owner: string;
  input: MetafieldsSetInput;
}

// Shopify's field path names the input: ["metafields", "3", "ownerId"].
function inputIndex(error: MetafieldsSetUserError): number | null {
  if (error.elementIndex !== null && error.elementIndex !== undefined) return error.elementIndex;
  const index = error.field?.[0] === "metafields" ? Number(error.field[1]) : NaN;
  return Number.isInteger(index) ? index : null;
}

const reasonOf = (errors: readonly MetafieldsSetUserError[]) => `metafieldsSet: ${errors.map((error) => error.message).join("; ")}`;

/**
 * Sets one call's worth of metafields (up to 25). metafieldsSet is all or nothing, so one owner
 * Shopify refuses (deleted there, a value it rejects) would hold back the others: the call is made
 * again without the owners its errors point to, and when they point to none, each owner's fields
 * are set alone. Returns the owners Shopify refused, with its reasons; everyone else's are set.
 */
export async function setMetafieldsExceptRefused(api: AdminApi, fields: readonly OwnedMetafield[]): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  let remaining = fields;
  while (remaining.length > 0) {
    const errors = await setMetafields(
      api,
      remaining.map((field) => field.input),
    );
    if (errors.length === 0) break;
    const named = new Map<string, MetafieldsSetUserError[]>();
    for (const error of errors) {
      const index = inputIndex(error);
      const owner = index === null ? undefined : remaining[index]?.owner;
      if (owner !== undefined) named.set(owner, [...(named.get(owner) ?? []), error]);
    }
    if (named.size === 0) {
      const owners = [...new Set(remaining.map((field) => field.owner))];
      if (owners.length === 1) {
        refused.set(owners[0]!, reasonOf(errors));
        break;
      }
      for (const owner of owners) {
        const alone = await setMetafieldsExceptRefused(
          api,
          remaining.filter((field) => field.owner === owner),
        );
        for (const [who, reason] of alone) refused.set(who, reason);
      }
      break;
    }
    for (const [owner, ownErrors] of named) refused.set(owner, reasonOf(ownErrors));
    remaining = remaining.filter((field) => !named.has(field.owner));
  }
  return refused;
}
