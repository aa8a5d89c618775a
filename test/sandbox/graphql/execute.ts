import { execute, getOperationAST, getVariableValues, GraphQLError, parse, validate, type DocumentNode } from "graphql";
import type { SandboxShopApi } from "../store/shop-api";
import { Scopes } from "./access";
import { actualQueryCost, MAX_QUERY_COST, requestedQueryCost } from "./cost";
import type { FileStore } from "./files";
import type { ResolverContext } from "./resolvers/context";
import { dispatchField, resolveType } from "./resolvers/dispatch";
import { adminEngine } from "./resolvers/index";
import { documentPaths, parseError, validationError, variableError, type ResponseError } from "./response-errors";
import { selectionContext } from "./selection";
import type { LeakyBucket, ThrottleStatus } from "./throttle";

export interface AdminGraphqlContext {
  shop: SandboxShopApi;
  /** The numeric app id: `$app` metafield namespaces resolve to `app--<appId>`. */
  appId: string;
  /** Access scopes granted to the app on this shop. */
  scopes: readonly string[];
  /** The shop+app leaky bucket (see LeakyBuckets). */
  bucket: LeakyBucket;
  files: FileStore;
  /** Milliseconds for the bucket; defaults to the bucket's own clock (performance.now()). */
  now?: () => number;
}

export interface AdminGraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphqlBody {
  errors?: ResponseError[];
  data?: unknown;
  extensions?: { cost?: Cost; search?: unknown[] };
}

export interface AdminGraphqlResponse {
  status: number;
  body: AdminGraphqlBody;
}

const RATE_LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

/**
 * Runs one Admin GraphQL request against a sandbox shop the way Shopify does: parse and validate
 * against the real 2026-07 schema, refuse queries over 1,000 points, throttle on the shop+app
 * bucket, execute, charge the actual cost, and answer Shopify's body (`errors`, `data`,
 * `extensions.cost`, `extensions.search`).
 */
export async function executeAdminGraphql(context: AdminGraphqlContext, request: AdminGraphqlRequest): Promise<AdminGraphqlResponse> {
  const engine = adminEngine();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return answer({ errors: [parseError(error)] });
    throw error;
  }

  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) {
    const message = request.operationName ? `No operation named "${request.operationName}"` : "An operation name is required";
    return answer({ errors: [{ message, extensions: { code: "OPERATION_NOT_FOUND" } }] });
  }
  const invalid = validate(engine.schema, document);
  if (invalid.length > 0) {
    const paths = documentPaths(document);
    return answer({ errors: invalid.map((error) => validationError(error, paths)) });
  }
  const provided = request.variables ?? {};
  const coerced = getVariableValues(engine.schema, operation.variableDefinitions ?? [], provided);
  if (coerced.errors) return answer({ errors: coerced.errors.map((error) => variableError(error, operation, provided)) });

  const selection = selectionContext(engine.schema, document, coerced.coerced);
  const requested = requestedQueryCost(selection, operation);
  const at = context.now?.();
  if (requested > MAX_QUERY_COST) {
    return answer({
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST, documentation: RATE_LIMITS_DOCUMENTATION },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: context.bucket.status(at) } },
    });
  }
  if (!context.bucket.tryTake(requested, at)) {
    return answer({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMITS_DOCUMENTATION } }],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: context.bucket.status(at) } },
    });
  }

  const resolverContext: ResolverContext = {
    engine,
    shop: context.shop,
    appId: context.appId,
    scopes: new Scopes(context.scopes),
    files: context.files,
    searchReports: [],
  };
  const result = await execute({
    schema: engine.schema,
    document,
    variableValues: provided,
    operationName: request.operationName ?? undefined,
    contextValue: resolverContext,
    fieldResolver: dispatchField,
    typeResolver: resolveType,
  });
  const actual = Math.min(requested, actualQueryCost(selection, operation, result.data));
  context.bucket.refund(requested - actual, at);

  const body: AdminGraphqlBody = {};
  if (result.errors?.length) body.errors = result.errors.map((error) => error.toJSON());
  body.data = result.data ?? null;
  body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: context.bucket.status(at) } };
  if (resolverContext.searchReports.length > 0) body.extensions.search = resolverContext.searchReports;
  return answer(body);
}

function answer(body: AdminGraphqlBody): AdminGraphqlResponse {
  return { status: 200, body };
}
