import type { GraphQLResolveInfo } from "graphql";
import type { SandboxBulkOperation } from "../../store/model";
import { connectionOf, type ConnectionArgs } from "../connection";
import { unsupportedArgument } from "../errors";
import { gid } from "../gid";
import { dateTerm, enumTerm } from "../query-filter";
import { objectResolvers, type Args, type ResolverContext } from "./context";
import { searchFilter } from "./search";

const SORT_VALUES: Record<string, (operation: SandboxBulkOperation) => number | string> = {
  CREATED_AT: (operation) => operation.createdAt,
  COMPLETED_AT: (operation) => operation.completedAt ?? "",
};

export function bulkOperationConnection(context: ResolverContext, info: GraphQLResolveInfo, args: Args) {
  const sortKey = (args.sortKey as string | undefined) ?? "CREATED_AT";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw unsupportedArgument(info.parentType.name, info.fieldName, `sortKey ${sortKey}`);
  const matches = searchFilter<SandboxBulkOperation>(context, info, args.query, () => ({
    fields: {
      status: enumTerm((operation) => operation.status, ["canceled", "canceling", "completed", "created", "failed", "running"]),
      operation_type: enumTerm((operation) => operation.type, ["query", "mutation"]),
      created_at: dateTerm((operation) => operation.createdAt),
    },
    text: () => true,
  }));
  // Newest first unless reversed, as Shopify lists them.
  const connectionArgs = { ...(args as ConnectionArgs), reverse: args.reverse !== true };
  return connectionOf(context.shop.bulkOperations().filter(matches), connectionArgs, { sortValue, idOf: (operation) => operation.id });
}

/** The most recent operation of a type (Shopify's deprecated currentBulkOperation). */
export function currentBulkOperation(context: ResolverContext, type: string): SandboxBulkOperation | null {
  const operations = context.shop.bulkOperations().filter((operation) => operation.type === type);
  return operations[operations.length - 1] ?? null;
}

export const bulkOperationResolvers = {
  BulkOperation: objectResolvers<SandboxBulkOperation>({
    id: (operation) => gid("BulkOperation", operation.id),
    status: (operation) => operation.status,
    type: (operation) => operation.type,
    query: (operation) => operation.query,
    errorCode: (operation) => operation.errorCode,
    createdAt: (operation) => operation.createdAt,
    completedAt: (operation) => operation.completedAt,
    objectCount: (operation) => String(operation.objectCount),
    rootObjectCount: (operation) => String(operation.rootObjectCount),
    fileSize: (operation) => (operation.fileSize === null ? null : String(operation.fileSize)),
    url: (operation) => operation.url,
    partialDataUrl: (operation) => operation.partialDataUrl,
  }),
};
