import { planBulkMutation, runBulkMutation } from "../../bulk/run-mutation";
import { planBulkQuery } from "../../bulk/plan-query";
import { runBulkQuery } from "../../bulk/run-query";
import { bulkState, track } from "../../bulk/state";
import { objectResolvers, propertyResolvers, type ResolverContext } from "../context";
import { idOf } from "../query-root";
import { attempt, userError } from "./user-errors";

const IN_PROGRESS = new Set(["CREATED", "RUNNING"]);

function bulkOperationRunQuery(context: ResolverContext, query: string, groupObjects: boolean) {
  const planned = planBulkQuery(context.engine, query, groupObjects);
  if ("errors" in planned) return { bulkOperation: null, userErrors: planned.errors.map((message) => userError(["query"], message, "INVALID")) };
  const { result: operation, userErrors } = attempt(() => context.shop.createBulkOperation({ type: "QUERY", query }));
  if (!operation) return { bulkOperation: null, userErrors };
  track(context.shop, operation.id, () => runBulkQuery(context, operation, planned.plan), "QUERY");
  return { bulkOperation: operation, userErrors: [] };
}

function bulkOperationRunMutation(context: ResolverContext, mutation: string, stagedUploadPath: string, clientIdentifier: string | null | undefined) {
  const planned = planBulkMutation(context, mutation, stagedUploadPath, clientIdentifier);
  if ("errors" in planned) return { bulkOperation: null, userErrors: planned.errors };
  const { result: operation, userErrors } = attempt(() => context.shop.createBulkOperation({ type: "MUTATION", query: mutation }));
  if (!operation) return { bulkOperation: null, userErrors };
  track(context.shop, operation.id, () => runBulkMutation(context, operation, planned.plan), "MUTATION");
  return { bulkOperation: operation, userErrors: [] };
}

function bulkOperationCancel(context: ResolverContext, id: string) {
  const operation = context.shop.bulkOperation(idOf(id, "BulkOperation"));
  if (!operation) return { bulkOperation: null, userErrors: [userError(["id"], "Bulk operation does not exist")] };
  if (operation.status === "CANCELING") return { bulkOperation: operation, userErrors: [] };
  if (!IN_PROGRESS.has(operation.status)) {
    return { bulkOperation: operation, userErrors: [userError(null, `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}`)] };
  }
  bulkState(context.shop).cancelRequested.add(operation.id);
  return { bulkOperation: context.shop.updateBulkOperation(operation.id, { status: "CANCELING" }), userErrors: [] };
}

export const bulkMutations = objectResolvers<unknown>({
  bulkOperationRunQuery: (_root, args, context) => bulkOperationRunQuery(context, args.query as string, args.groupObjects === true),
  bulkOperationRunMutation: (_root, args, context) =>
    bulkOperationRunMutation(context, args.mutation as string, args.stagedUploadPath as string, args.clientIdentifier as string | null | undefined),
  bulkOperationCancel: (_root, args, context) => bulkOperationCancel(context, args.id as string),
});

const bulkPayload = propertyResolvers<{ bulkOperation: unknown; userErrors: unknown }>("bulkOperation", "userErrors");

export const bulkPayloads = {
  BulkOperationRunQueryPayload: bulkPayload,
  BulkOperationRunMutationPayload: bulkPayload,
  BulkOperationCancelPayload: bulkPayload,
};
