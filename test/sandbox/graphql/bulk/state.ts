import type { SandboxBulkOperation } from "../../store/model";
import type { SandboxShopApi } from "../../store/shop-api";

type ErrorCode = NonNullable<SandboxBulkOperation["errorCode"]>;

/** What the bulk runners keep per shop between requests. */
interface BulkState {
  running: Map<number, Promise<void>>;
  /** The last bulk query queued: the next one starts after it. */
  lastQuery: Promise<void>;
  cancelRequested: Set<number>;
  /** Failures planned for the next operations, first one first. */
  failNext: ErrorCode[];
}

const states = new WeakMap<SandboxShopApi, BulkState>();

export function bulkState(shop: SandboxShopApi): BulkState {
  let state = states.get(shop);
  if (!state) {
    state = { running: new Map(), lastQuery: Promise.resolve(), cancelRequested: new Set(), failNext: [] };
    states.set(shop, state);
  }
  return state;
}

/**
 * Makes the shop's next bulk operation (or the next `times`) fail part-way with `errorCode`
 * (Shopify's failure modes), leaving the rows written so far at `partialDataUrl`: for testing fallbacks.
 */
export function failNextBulkOperation(shop: SandboxShopApi, errorCode: ErrorCode = "INTERNAL_SERVER_ERROR", times = 1): void {
  bulkState(shop).failNext.push(...Array.from({ length: times }, () => errorCode));
}

/**
 * Until the returned function is called, the shop's bulk queries asked for from now on wait their
 * turn (CREATED), as behind a busy Shopify: a test that needs the app to find its export unfinished
 * then does not depend on how fast the sandbox runs it. Release before waiting for them to settle.
 */
export function holdBulkQueries(shop: SandboxShopApi): () => void {
  const state = bulkState(shop);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  state.lastQuery = state.lastQuery.then(() => held);
  return release;
}

/** Resolves once every bulk operation the shop has running has finished (completed, failed or canceled). */
export async function bulkOperationsSettled(shop: SandboxShopApi): Promise<void> {
  const { running } = bulkState(shop);
  while (running.size > 0) await Promise.all([...running.values()]);
}

/**
 * Runs `work` as the operation's background job, tracked until it ends. Bulk queries run one after
 * another, in the order asked for (each CREATED until its turn): Shopify runs concurrent exports on
 * machines of their own, so the first asked for finishes as soon as it would alone; sharing this
 * process's one thread, it would finish no sooner than the last.
 */
export function track(shop: SandboxShopApi, operationId: number, work: () => Promise<void>, type: "QUERY" | "MUTATION"): void {
  const state = bulkState(shop);
  const turn = type === "QUERY" ? state.lastQuery : Promise.resolve();
  const job = turn
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    .then(work)
    // The runners record failures on the operation; anything else is a sandbox bug worth seeing.
    .catch((error: unknown) => console.error(`[sandbox] bulk operation ${operationId} crashed`, error))
    .finally(() => {
      state.running.delete(operationId);
      state.cancelRequested.delete(operationId);
    });
  if (type === "QUERY") state.lastQuery = job;
  state.running.set(operationId, job);
}

/** Lets the event loop serve other requests between slices of a long job. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Moves a created operation to RUNNING, unless it was canceled before it started (then CANCELED and
 * null). Answers the failure planned for it by failNextBulkOperation, if any.
 */
export function startBulkOperation(shop: SandboxShopApi, operation: SandboxBulkOperation): { failWith: ErrorCode | null } | null {
  const state = bulkState(shop);
  const failWith = state.failNext.shift() ?? null;
  if (state.cancelRequested.has(operation.id)) {
    shop.updateBulkOperation(operation.id, { status: "CANCELED" });
    return null;
  }
  shop.updateBulkOperation(operation.id, { status: "RUNNING" });
  return { failWith };
}
