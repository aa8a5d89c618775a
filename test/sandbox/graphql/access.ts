import type { SandboxOrder } from "../store/model";
import { accessDenied } from "./errors";

/** Granted access scopes; a write scope includes its read scope, as Shopify grants them. */
export class Scopes {
  private readonly granted: ReadonlySet<string>;

  constructor(scopes: readonly string[]) {
    this.granted = new Set(scopes.map((scope) => scope.trim()).filter(Boolean));
  }

  has(scope: string): boolean {
    if (this.granted.has(scope)) return true;
    return scope.startsWith("read_") && this.granted.has(`write_${scope.slice("read_".length)}`);
  }

  require(scope: string, fieldName: string): void {
    if (!this.has(scope)) throw accessDenied(fieldName, scope);
  }
}

/** The scope reading a type needs (checked on every field that returns one). */
const READ_SCOPE: Record<string, string> = {
  Customer: "read_customers",
  CustomerConnection: "read_customers",
  Segment: "read_customers",
  SegmentConnection: "read_customers",
  Order: "read_orders",
  OrderConnection: "read_orders",
  Refund: "read_orders",
  DiscountCodeNode: "read_discounts",
  DiscountCodeBasic: "read_discounts",
};

export function readScopeFor(typeName: string): string | undefined {
  return READ_SCOPE[typeName];
}

/** Without read_all_orders an app sees the last 60 days of orders only. */
const RECENT_ORDERS_MS = 60 * 86_400_000;

export function canReadOrder(scopes: Scopes, order: Pick<SandboxOrder, "createdAt">, now: Date): boolean {
  return scopes.has("read_all_orders") || Date.parse(order.createdAt) >= now.getTime() - RECENT_ORDERS_MS;
}
