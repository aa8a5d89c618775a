import { SandboxUserError } from "../../../store/errors";
import type { UserErrorSource } from "../values";

/**
 * Runs a shop change and answers Shopify's `userErrors` for input the shop refuses. `field` maps the
 * shop's field path onto the mutation's argument path (e.g. ["code"] → ["basicCodeDiscount", "code"]).
 */
export function attempt<T>(
  change: () => T,
  field: (path: string[] | null) => string[] | null = (path) => path,
): { result: T; userErrors: [] } | { result: null; userErrors: UserErrorSource[] } {
  try {
    return { result: change(), userErrors: [] };
  } catch (error) {
    if (!(error instanceof SandboxUserError)) throw error;
    return { result: null, userErrors: [{ field: field(error.field), message: error.message, code: error.code }] };
  }
}

export function userError(field: string[] | null, message: string, code: string | null = null): UserErrorSource {
  return { field, message, code };
}
