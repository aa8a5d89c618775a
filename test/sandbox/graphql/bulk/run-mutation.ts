import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode } from "graphql";
import type { SandboxBulkOperation } from "../../store/model";
import { MAX_STAGED_UPLOAD_BYTES } from "../files";
import type { ResolverContext } from "../resolvers/context";
import { dispatchField, resolveType } from "../resolvers/dispatch";
import { documentPaths, syntaxDescription, validationError } from "../response-errors";
import { collectFields, selectionContext } from "../selection";
import type { UserErrorSource } from "../resolvers/values";
import { bulkState, startBulkOperation, yieldToEventLoop } from "./state";

/** Mutations that cannot themselves run in bulk. */
const NOT_IN_BULK = new Set(["bulkOperationRunMutation", "bulkOperationRunQuery", "bulkOperationCancel", "stagedUploadsCreate"]);
const LINES_PER_SLICE = 200;

export interface BulkMutationPlan {
  document: DocumentNode;
  variables: Record<string, unknown>[];
}

function refusal(field: string[] | null, message: string, code: string | null): { errors: UserErrorSource[] } {
  return { errors: [{ field, message, code }] };
}

/** Checks a bulk mutation like bulkOperationRunMutation does, and reads its variables file. */
export function planBulkMutation(
  context: ResolverContext,
  mutation: string,
  stagedUploadPath: string,
  clientIdentifier: string | null | undefined,
): { plan: BulkMutationPlan } | { errors: UserErrorSource[] } {
  if (clientIdentifier != null && clientIdentifier.length < 10) {
    return refusal(["clientIdentifier"], "is too short (minimum is 10 characters)", "INVALID_MUTATION");
  }
  let document: DocumentNode;
  try {
    document = parse(mutation);
  } catch (error) {
    if (error instanceof GraphQLError) return refusal(null, `Failed to parse the mutation - ${syntaxDescription(error)}`, "INVALID_MUTATION");
    throw error;
  }
  const operation = getOperationAST(document);
  if (!operation || operation.operation !== "mutation") {
    return refusal(null, "Invalid operation type. Only `mutation` operations are supported.", "INVALID_MUTATION");
  }
  const roots = [...collectFields(selectionContext(context.engine.schema, document, {}), context.engine.schema.getMutationType()!, [operation.selectionSet]).values()];
  if (roots.length !== 1) return refusal(["mutation"], "You must specify a single top level mutation.", null);
  if (NOT_IN_BULK.has(roots[0]![0]!.name.value)) return refusal(["mutation"], "You must use an allowed mutation name.", null);
  const invalid = validate(context.engine.schema, document);
  if (invalid.length > 0) {
    return refusal(null, `Invalid mutation: ${validationError(invalid[0]!, documentPaths(document)).message}`, "INVALID_MUTATION");
  }

  const file = context.files.stagedFile(stagedUploadPath);
  if (!file) {
    return refusal(
      null,
      "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
      "NO_SUCH_FILE",
    );
  }
  if (file.length > MAX_STAGED_UPLOAD_BYTES) {
    return refusal(["stagedUploadPath"], "The JSONL file exceeds the maximum allowed size of 100 MB.", "INVALID_MUTATION");
  }
  const variables: Record<string, unknown>[] = [];
  for (const line of file.toString("utf8").split("\n")) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = null;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return refusal(null, "The JSONL file submitted via the stagedUploadsCreate mutation is invalid. Update the file and try again.", "INVALID_STAGED_UPLOAD_FILE");
    }
    variables.push(parsed as Record<string, unknown>);
  }
  return { plan: { document, variables } };
}

/**
 * Runs the mutation once per line of variables, writing `{"data": …, "__lineNumber": n}` per line
 * (plus `errors` when the line failed), then completes the operation through the shop.
 */
export async function runBulkMutation(context: ResolverContext, operation: SandboxBulkOperation, plan: BulkMutationPlan): Promise<void> {
  const { shop, files } = context;
  const started = startBulkOperation(shop, operation);
  if (!started) return;
  const { failWith } = started;
  const state = bulkState(shop);
  const writer = files.createResultWriter(`bulk-${operation.id}.jsonl`);
  let done = 0;
  for (const [lineNumber, variables] of plan.variables.entries()) {
    if (failWith && done >= Math.ceil(plan.variables.length / 2)) break;
    const result = await execute({
      schema: context.engine.schema,
      document: plan.document,
      variableValues: variables,
      contextValue: { ...context, searchReports: [] },
      fieldResolver: dispatchField,
      typeResolver: resolveType,
    });
    const line: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) line.errors = result.errors.map((error) => error.toJSON());
    line.__lineNumber = lineNumber;
    writer.write(`${JSON.stringify(line)}\n`);
    done += 1;
    if (done % LINES_PER_SLICE === 0) {
      shop.updateBulkOperation(operation.id, { objectCount: done, rootObjectCount: done });
      await yieldToEventLoop();
      if (state.cancelRequested.has(operation.id)) {
        shop.updateBulkOperation(operation.id, { status: "CANCELED", objectCount: done, rootObjectCount: done });
        return;
      }
    }
  }
  const file = writer.finish();
  if (failWith) {
    shop.updateBulkOperation(operation.id, { status: "FAILED", errorCode: failWith, objectCount: done, rootObjectCount: done, partialDataUrl: done > 0 ? file.url : null });
    return;
  }
  shop.updateBulkOperation(operation.id, {
    status: "COMPLETED",
    objectCount: done,
    rootObjectCount: done,
    fileSize: done > 0 ? file.size : null,
    url: done > 0 ? file.url : null,
  });
}
