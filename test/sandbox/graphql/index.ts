/**
 * The sandbox store's Admin GraphQL API: what the HTTP layer and tests call. Requests are
 * authenticated and routed by the caller; files (bulk results, staged uploads) are served by the
 * file store's handler under its own base URL.
 */
export { executeAdminGraphql, type AdminGraphqlContext, type AdminGraphqlRequest, type AdminGraphqlResponse } from "./execute";
export { handleAdminGraphqlRequest } from "./http";
export { createFileStore, type FileStore } from "./files";
export { LeakyBucket, LeakyBuckets, restoreRateFor, type ThrottleStatus } from "./throttle";
export { bulkOperationsSettled, failNextBulkOperation, holdBulkQueries } from "./bulk/state";
export { adminSchema } from "./schema";
