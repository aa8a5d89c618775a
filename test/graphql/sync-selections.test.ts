import { parse, print, visit, type SelectionSetNode } from "graphql";
import { describe, expect, it } from "vitest";
import { BULK_CUSTOMERS_QUERY, BULK_ORDERS_QUERY } from "~/admin-api/bulk-operations.server";
import { SYNC_CUSTOMER_QUERY, SYNC_CUSTOMERS_PAGE_QUERY } from "~/admin-api/customers.server";
import { SYNC_ORDERS_PAGE_QUERY } from "~/admin-api/orders.server";

/** The printed selection set at `path` (e.g. customers → edges → node). */
function selectionOf(document: string, path: readonly string[]): string {
  let found: SelectionSetNode | undefined;
  let depth = 0;
  visit(parse(document), {
    Field: {
      enter(node) {
        if (node.name.value === path[depth]) {
          depth += 1;
          if (depth === path.length) found = node.selectionSet;
        }
      },
    },
  });
  if (!found) throw new Error(`no ${path.join(".")} in document`);
  return print(found);
}

// GraphQL documents cannot share text (every document is checked and typed on its own), so the
// same node selection is written in each: one parser reads them all, and this keeps them equal.
describe("sync queries select the same fields however they fetch", () => {
  it("customers: one by id, a page, the bulk export", () => {
    const bulk = selectionOf(BULK_CUSTOMERS_QUERY, ["customers", "edges", "node"]);
    expect(selectionOf(SYNC_CUSTOMERS_PAGE_QUERY, ["customers", "nodes"])).toBe(bulk);
    expect(selectionOf(SYNC_CUSTOMER_QUERY, ["customer"])).toBe(bulk);
  });

  it("orders: a page, the bulk export", () => {
    expect(selectionOf(SYNC_ORDERS_PAGE_QUERY, ["orders", "nodes"])).toBe(selectionOf(BULK_ORDERS_QUERY, ["orders", "edges", "node"]));
  });
});
