/** Codes as Shopify's userErrors use them, so the GraphQL layer can pass them through. */
export type SandboxUserErrorCode =
  | "BLANK"
  | "INVALID"
  | "INVALID_TYPE"
  | "INVALID_VALUE"
  | "NOT_FOUND"
  | "TAKEN"
  | "TOO_LONG"
  | "TOO_SHORT"
  | "LESS_THAN_OR_EQUAL_TO"
  | "GREATER_THAN"
  | "LIMIT_REACHED";

/**
 * An input Shopify would refuse. The GraphQL layer turns it into a `userErrors` entry instead of
 * a top-level error, exactly as Shopify answers a mutation with bad input.
 */
export class SandboxUserError extends Error {
  override readonly name = "SandboxUserError";

  constructor(
    /** Path of the offending input field, as in Shopify's userErrors (e.g. ["metafields", "0", "value"]). */
    readonly field: string[] | null,
    message: string,
    readonly code: SandboxUserErrorCode = "INVALID",
  ) {
    super(message);
  }
}
