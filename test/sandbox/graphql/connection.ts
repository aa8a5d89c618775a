import { badRequest } from "./errors";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export type SortValue = number | string;

/**
 * What a connection field resolves to: every matching item in order, plus how to page through
 * them. The Connection/Edge resolvers cut the page; bulk operations walk `items` whole.
 */
export interface ConnectionSource<T> {
  readonly items: readonly T[];
  readonly args: ConnectionArgs;
  readonly sortValue: (item: T) => SortValue;
  readonly idOf: (item: T) => number;
  readonly reversed: boolean;
}

export interface Page<T> {
  items: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

const MAX_PAGE_SIZE = 250;

/**
 * Orders items by a sort value then id (ascending, or descending with `reverse`), the order
 * Shopify pages in, so cursors stay valid while other items change.
 */
export function connectionOf<T>(
  items: readonly T[],
  args: ConnectionArgs,
  order: { sortValue: (item: T) => SortValue; idOf: (item: T) => number; presorted?: boolean },
): ConnectionSource<T> {
  const reversed = args.reverse === true;
  const sorted = order.presorted ? [...items] : [...items].sort((a, b) => compareKeys(order.sortValue(a), order.idOf(a), order.sortValue(b), order.idOf(b)));
  if (reversed) sorted.reverse();
  return { items: sorted, args, sortValue: order.sortValue, idOf: order.idOf, reversed };
}

/** A connection over a small nested list (line items, addresses) in id order. */
export function listConnection<T>(items: readonly T[], args: ConnectionArgs, idOf: (item: T) => number): ConnectionSource<T> {
  return connectionOf(items, args, { sortValue: idOf, idOf });
}

const pages = new WeakMap<ConnectionSource<unknown>, Page<unknown>>();

/**
 * Shopify refuses a paginated connection without `first`/`last`, or a page over 250 items (bulk
 * operations take whole connections and skip this).
 */
export function checkPageSize({ first, last }: ConnectionArgs): void {
  if (first == null && last == null) throw badRequest("you must provide one of first or last");
  for (const [name, size] of [["first", first], ["last", last]] as const) {
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw badRequest(`The '${name}' argument must be between 0 and ${MAX_PAGE_SIZE}.`);
    }
  }
}

/** The requested page. Computed once per source, whichever of edges/nodes/pageInfo asks first. */
export function pageOf<T>(source: ConnectionSource<T>): Page<T> {
  const cached = pages.get(source as ConnectionSource<unknown>);
  if (cached) return cached as Page<T>;
  const { first, last, after, before } = source.args;
  let start = 0;
  let end = source.items.length;
  if (after) start = boundary(source, decodeCursor(after), "after");
  if (before) end = Math.max(start, boundary(source, decodeCursor(before), "before"));
  let from = start;
  let to = end;
  if (first != null) to = Math.min(to, from + first);
  if (last != null) from = Math.max(from, to - last);
  const items = source.items.slice(from, to);
  const page: Page<T> = {
    items,
    cursors: items.map((item) => encodeCursor(source.idOf(item), source.sortValue(item))),
    hasNextPage: to < source.items.length,
    hasPreviousPage: from > 0,
  };
  pages.set(source as ConnectionSource<unknown>, page as Page<unknown>);
  return page;
}

function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(value) })).toString("base64");
}

function decodeCursor(cursor: string): { id: number; value: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === "number" && typeof parsed.last_value === "string") {
      return { id: parsed.last_id, value: parsed.last_value };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badRequest("Invalid cursor for current pagination sort.");
}

/**
 * Index of the first item after (for `after`) or at-or-after (for `before`) the cursor position.
 * Binary search: items are ordered by (sort value, id).
 */
function boundary<T>(source: ConnectionSource<T>, cursor: { id: number; value: string }, kind: "after" | "before"): number {
  const direction = source.reversed ? -1 : 1;
  const compareToCursor = (item: T) => {
    const value = source.sortValue(item);
    const cursorValue = typeof value === "number" ? Number(cursor.value) : cursor.value;
    return direction * compareKeys(value, source.idOf(item), cursorValue, cursor.id);
  };
  let low = 0;
  let high = source.items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const comparison = compareToCursor(source.items[middle]!);
    if (kind === "after" ? comparison <= 0 : comparison < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function compareKeys(leftValue: SortValue, leftId: number, rightValue: SortValue, rightId: number): number {
  if (leftValue < rightValue) return -1;
  if (leftValue > rightValue) return 1;
  return leftId - rightId;
}
