import { GraphqlQueryError, HttpRequestError, HttpResponseError } from "@shopify/shopify-api";
import { AdminApiError, AdminApiInvalidArgumentsError, AdminApiThrottledError, AdminApiUserErrors, type UserError } from "./errors";

/** What `admin.graphql` from shopify-app-remix is: every Admin API call goes through one of these. */
export type AdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<Response>;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminApiOptions {
  /** How often a THROTTLED operation is retried before giving up (each wait is what throttleStatus says). */
  maxThrottleRetries?: number;
  /** How often a 5xx or network failure is retried, with exponential backoff. */
  maxServerRetries?: number;
  /** Called with the cost Shopify reports for every completed operation. */
  onCost?: (operation: string, cost: QueryCost) => void;
  /**
   * Share of the bucket (0–1) to leave for others: after each operation this client waits until at
   * least that much is available again. Background jobs set it so the merchant's pages, which share
   * the app's bucket for the shop, are never starved by a long write.
   */
  reserveShare?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface AdminApi {
  request<TData, TVariables extends Record<string, unknown> = Record<string, unknown>>(
    document: string,
    variables?: TVariables,
  ): Promise<TData>;
}

interface GraphqlBody {
  data?: unknown;
  errors?: { graphQLErrors?: GraphqlErrorEntry[]; message?: string } | GraphqlErrorEntry[];
  extensions?: { cost?: QueryCost };
}
interface GraphqlErrorEntry {
  message: string;
  extensions?: { code?: string };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
}

/**
 * Wraps `admin.graphql` with what Shopify expects from a well-behaved client: THROTTLED answers are
 * retried after the bucket has refilled enough for the request, server errors are retried with
 * backoff, and GraphQL errors become typed errors.
 */
export function createAdminApi(graphql: AdminGraphql, options: AdminApiOptions = {}): AdminApi {
  const { maxThrottleRetries = 20, maxServerRetries = 4, onCost, sleep = defaultSleep, reserveShare = 0 } = options;

  return {
    async request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData> {
      const operation = operationName(document);
      let throttled = 0;
      let failed = 0;
      for (;;) {
        let body: GraphqlBody;
        try {
          const response = await graphql(document, variables ? { variables } : undefined);
          body = (await response.json()) as GraphqlBody;
        } catch (error) {
          // shopify-app-remix answers an invalid session (401) with a Response: re-authentication.
          if (error instanceof Response) throw error;
          if (error instanceof GraphqlQueryError) {
            body = error.body as GraphqlBody;
          } else if (isRetryableTransportError(error) && failed < maxServerRetries) {
            failed += 1;
            await sleep(250 * 2 ** failed);
            continue;
          } else {
            throw new AdminApiError(`${operation}: ${(error as Error).message}`, operation, error);
          }
        }

        const cost = body.extensions?.cost;
        const errors = graphqlErrors(body);
        if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
          if (throttled >= maxThrottleRetries) {
            throw new AdminApiThrottledError(`${operation}: still throttled after ${throttled} retries`, operation, cost);
          }
          throttled += 1;
          await sleep(throttleWaitMs(cost));
          continue;
        }
        if (cost) onCost?.(operation, cost);
        if (errors.length > 0) {
          const message = `${operation}: ${errors.map((error) => error.message).join("; ")}`;
          if (errors.some(refusesArguments)) throw new AdminApiInvalidArgumentsError(message, operation, errors);
          throw new AdminApiError(message, operation, errors);
        }
        if (cost && reserveShare > 0) {
          const { maximumAvailable, currentlyAvailable, restoreRate } = cost.throttleStatus;
          const missing = reserveShare * maximumAvailable - currentlyAvailable;
          if (missing > 0) await sleep(Math.ceil((missing / Math.max(restoreRate, 1)) * 1000));
        }
        return body.data as TData;
      }
    },
  };
}

// How Shopify refuses an argument: a variable its type does not accept (an id that is not a global
// id: "Variable $id of type ID! was provided invalid value"), a literal argument it cannot coerce,
// or an id of another type ("Invalid id: gid://shopify/Order/1" where a customer was asked for).
const ARGUMENT_ERROR_CODES = new Set(["INVALID_VARIABLE", "argumentLiteralsIncompatible"]);

function refusesArguments(error: GraphqlErrorEntry): boolean {
  const code = error.extensions?.code;
  return (code !== undefined && ARGUMENT_ERROR_CODES.has(code)) || /^Invalid (global )?id\b/i.test(error.message);
}

function graphqlErrors(body: GraphqlBody): GraphqlErrorEntry[] {
  if (!body.errors) return [];
  if (Array.isArray(body.errors)) return body.errors;
  return body.errors.graphQLErrors ?? (body.errors.message ? [{ message: body.errors.message }] : []);
}

/** How long until the bucket holds the points this request asked for (Shopify's documented way to wait). */
export function throttleWaitMs(cost: QueryCost | undefined): number {
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const missing = Math.max(cost.requestedQueryCost - currentlyAvailable, 0);
  return Math.max(Math.ceil((missing / Math.max(restoreRate, 1)) * 1000), 50);
}

function isRetryableTransportError(error: unknown): boolean {
  if (error instanceof HttpResponseError) return error.response.code >= 500 || error.response.code === 429;
  if (error instanceof HttpRequestError) return true;
  return error instanceof TypeError; // fetch's network failure
}

/** Mutations report refusals in `userErrors`; this turns a non-empty list into a typed error. */
export function assertNoUserErrors<T extends { userErrors: readonly UserError[] }>(operation: string, payload: T | null | undefined): T {
  if (!payload) throw new AdminApiError(`${operation}: empty payload`, operation);
  if (payload.userErrors.length > 0) throw new AdminApiUserErrors(operation, payload.userErrors);
  return payload;
}
