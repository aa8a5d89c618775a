import { getArgumentValues, getNamedType, GraphQLError, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import type { SandboxBulkOperation } from "../../store/model";
import type { ConnectionSource } from "../connection";
import type { ResolverContext } from "../resolvers/context";
import { unpagedResolver } from "../resolvers/dispatch";
import type { BulkQueryPlan } from "./plan-query";
import { Projector, type NestedConnection } from "./project";
import { bulkState, startBulkOperation, yieldToEventLoop } from "./state";

/** Rows between yields to the event loop: a large export must not hold up the files it serves meanwhile (a download slows to its pace). */
const ROWS_PER_SLICE = 250;

interface Row {
  line: string;
  root: boolean;
}

/**
 * The JSONL rows of a bulk query: one line per node; items of nested connections on lines of
 * their own with `__parentId`. Ungrouped (Shopify's default), children are written after the
 * *next* root row, so readers that assume a child directly follows its parent fail here as they
 * would on Shopify; grouped, they follow their parent.
 */
export function* bulkQueryRows(context: ResolverContext, plan: BulkQueryPlan): Generator<Row> {
  const projector = new Projector(context, plan.selection, plan.operation);
  const rootField = plan.rootNodes[0]!;
  const definition = plan.rootType.getFields()[rootField.name.value]!;
  const info = {
    fieldName: definition.name,
    fieldNodes: plan.rootNodes,
    returnType: definition.type,
    parentType: plan.rootType,
    path: { prev: undefined, key: rootField.alias?.value ?? definition.name, typename: plan.rootType.name },
    schema: plan.selection.schema,
    fragments: plan.selection.fragments,
    rootValue: undefined,
    operation: plan.operation,
    variableValues: {},
  } as unknown as GraphQLResolveInfo;
  const resolveRoot = unpagedResolver(context, plan.rootType.name, definition.name, definition.type);
  const source = resolveRoot(undefined, getArgumentValues(definition, rootField, {}), info) as ConnectionSource<unknown>;
  const connectionType = getNamedType(definition.type) as GraphQLObjectType;
  const nodeFields = projector.nodeFieldsOf(connectionType, plan.rootNodes);
  const nodeType = getNamedType(connectionType.getFields().nodes!.type) as GraphQLObjectType;

  let pending: Row[] = [];
  for (const item of source.items) {
    const nested: NestedConnection[] = [];
    const row = projector.project(projector.objectTypeOf(nodeType, item), item, nodeFields, nested);
    yield { line: JSON.stringify(row), root: true };
    if (plan.groupObjects) {
      const children: Row[] = [];
      collectChildren(projector, row, nested, children);
      yield* children;
      continue;
    }
    yield* pending;
    pending = [];
    collectChildren(projector, row, nested, pending);
  }
  yield* pending;
}

function collectChildren(projector: Projector, parent: Record<string, unknown>, nested: NestedConnection[], into: Row[]): void {
  for (const connection of nested) {
    for (const item of connection.source.items) {
      const grandchildren: NestedConnection[] = [];
      const row = projector.project(projector.objectTypeOf(connection.nodeType, item), item, connection.nodeFields, grandchildren);
      row.__parentId = parent.id;
      into.push({ line: JSON.stringify(row), root: false });
      collectChildren(projector, row, grandchildren, into);
    }
  }
}

/**
 * Runs a created bulk query to its end: RUNNING, rows streamed into a result file, then COMPLETED
 * (or FAILED / CANCELED), each status set through the shop so `bulk_operations/finish` goes out.
 */
export async function runBulkQuery(context: ResolverContext, operation: SandboxBulkOperation, plan: BulkQueryPlan): Promise<void> {
  const { shop, files } = context;
  const started = startBulkOperation(shop, operation);
  if (!started) return;
  const { failWith } = started;
  const state = bulkState(shop);
  const writer = files.createResultWriter(`bulk-${operation.id}.jsonl`);
  let objectCount = 0;
  let rootObjectCount = 0;
  try {
    const rows = bulkQueryRows(context, plan);
    for (let next = rows.next(); !next.done; next = rows.next()) {
      writer.write(`${next.value.line}\n`);
      objectCount += 1;
      if (next.value.root) rootObjectCount += 1;
      if (objectCount % ROWS_PER_SLICE === 0) {
        shop.updateBulkOperation(operation.id, { objectCount, rootObjectCount });
        await yieldToEventLoop();
        if (state.cancelRequested.has(operation.id)) {
          shop.updateBulkOperation(operation.id, { status: "CANCELED", objectCount, rootObjectCount });
          return;
        }
        // A simulated failure strikes once some rows are out, like a timeout mid-export.
        if (failWith) break;
      }
    }
    if (failWith) {
      const partial = objectCount > 0 ? writer.finish() : null;
      shop.updateBulkOperation(operation.id, { status: "FAILED", errorCode: failWith, objectCount, rootObjectCount, partialDataUrl: partial?.url ?? null });
      return;
    }
    const file = writer.finish();
    shop.updateBulkOperation(operation.id, {
      status: "COMPLETED",
      objectCount,
      rootObjectCount,
      fileSize: objectCount > 0 ? file.size : null,
      url: objectCount > 0 ? file.url : null,
    });
  } catch (error) {
    const denied = error instanceof GraphQLError && error.extensions.code === "ACCESS_DENIED";
    // Shopify says no more than the error code; the log says what the sandbox could not do.
    if (!denied) console.error(`[sandbox] bulk operation ${operation.id} failed:`, error instanceof Error ? error.message : error);
    const errorCode = denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR";
    shop.updateBulkOperation(operation.id, { status: "FAILED", errorCode, objectCount, rootObjectCount });
  }
}
