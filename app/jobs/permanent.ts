import { z } from "zod";
import { AdminApiInvalidArgumentsError, InvalidRecordError } from "~/admin-api/errors";

/** A job that retrying cannot help; it goes straight to dead, with its reason. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/**
 * A failure that can never succeed, however often retried: arguments Shopify refused, a record or
 * payload that does not fit its shape. Work failing with one is given up at once with its reason,
 * and not offered to the merchant for a retry (retryFailedDelivery, retryDeadJob).
 */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PermanentJobError || error instanceof AdminApiInvalidArgumentsError || error instanceof InvalidRecordError || error instanceof z.ZodError;
}
