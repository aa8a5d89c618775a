/** A GraphQL error Shopify returned for the whole operation (syntax, access, a field we may not read, ...). */
export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly operation: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Shopify refused the operation's arguments: an id that is not a valid global id, or of the wrong
 * type, or a variable of the wrong value. Asking again with the same arguments cannot succeed.
 */
export class AdminApiInvalidArgumentsError extends AdminApiError {
  override name = "AdminApiInvalidArgumentsError";
}

/** Still throttled after the retries we allow ourselves. */
export class AdminApiThrottledError extends AdminApiError {
  override name = "AdminApiThrottledError";
}

export interface UserError {
  field?: readonly string[] | null;
  message: string;
  code?: string | null;
}

/** A mutation ran but refused the input: Shopify's `userErrors`, kept whole for the caller. */
export class AdminApiUserErrors extends AdminApiError {
  override name = "AdminApiUserErrors";
  constructor(
    operation: string,
    readonly userErrors: readonly UserError[],
  ) {
    super(`${operation}: ${userErrors.map((error) => error.message).join("; ")}`, operation, userErrors);
  }
}

/** A record or id Shopify sent that does not fit its shape (a node, an amount, a GID); reading it again cannot help. */
export class InvalidRecordError extends Error {
  override name = "InvalidRecordError";
}
