/**
 * The contract between the sandbox's data (store/shop.ts implements it) and everything that reads
 * or changes a shop: GraphQL resolvers, bulk operations, store activity, webhook dispatch.
 */
import type { SandboxAddress,
  CancelReason,
  SandboxBulkOperation,
  SandboxCustomer,
  SandboxDiscountCode,
  SandboxLineItem,
  SandboxMetafield,
  SandboxMetafieldDefinition,
  SandboxMetafieldOwnerType,
  SandboxOrder,
  SandboxRefund,
  SandboxSegment,
  SandboxShopData,
  SandboxShopInfo,
} from "./model";

/**
 * What changed in a shop. Webhook dispatch turns each change into the topic(s) Shopify would send
 * (e.g. an order/paid change → orders/paid and orders/updated; a tag change → customers/update).
 */
export type ShopChange =
  | { kind: "customer/created" | "customer/updated"; customer: SandboxCustomer; at: string }
  | { kind: "customer/deleted"; customerId: number; at: string }
  | { kind: "order/created" | "order/updated" | "order/paid" | "order/cancelled"; order: SandboxOrder; at: string }
  | { kind: "refund/created"; order: SandboxOrder; refund: SandboxRefund; at: string }
  | { kind: "bulk_operation/finished"; operation: SandboxBulkOperation; at: string };

export interface NewCustomerInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string[];
  acceptsMarketing?: boolean;
  /** The customer's default address (a new customer typing their address at checkout). */
  address?: Omit<SandboxAddress, "id">;
}

export interface NewOrderInput {
  customerId: number | null;
  lineItems: Omit<SandboxLineItem, "id">[];
  discountCodes?: string[];
  totalDiscounts?: string;
  totalShipping?: string;
  customAttributes?: { key: string; value: string }[];
  landingSite?: string | null;
  test?: boolean;
  /** Paid at creation (the common web checkout) or pending until markOrderPaid. */
  paid: boolean;
}

export interface NewRefundInput {
  /** Line items to refund; an empty list with `amount` is a pure amount refund (e.g. goodwill). */
  lineItems: { lineItemId: number; quantity: number }[];
  /** Extra amount (e.g. shipping) on top of the line items. */
  amount?: string;
  note?: string | null;
}

export type MetafieldInput = {
  ownerId: number;
  ownerType: SandboxMetafieldOwnerType;
  namespace: string;
  key: string;
  type: string;
  value: string;
};

export interface SandboxShopApi {
  readonly info: SandboxShopInfo;
  /** The shop's clock: generation, activity and every timestamp use it, so tests can move time. */
  now(): Date;

  // Reads. Lists are ordered by id ascending (Shopify's default sort for the connections we use).
  customer(id: number): SandboxCustomer | undefined;
  customers(): readonly SandboxCustomer[];
  order(id: number): SandboxOrder | undefined;
  orders(): readonly SandboxOrder[];
  ordersOfCustomer(customerId: number): readonly SandboxOrder[];
  refund(id: number): SandboxRefund | undefined;
  metafieldsOf(ownerType: SandboxMetafieldOwnerType, ownerId: number): readonly SandboxMetafield[];
  metafieldDefinitions(): readonly SandboxMetafieldDefinition[];
  segments(): readonly SandboxSegment[];
  segment(id: number): SandboxSegment | undefined;
  discountCodes(): readonly SandboxDiscountCode[];
  bulkOperation(id: number): SandboxBulkOperation | undefined;
  bulkOperations(): readonly SandboxBulkOperation[];

  // Changes. Each bumps updatedAt where Shopify would and emits the matching ShopChange.
  createCustomer(input: NewCustomerInput): SandboxCustomer;
  updateCustomer(id: number, patch: Partial<Pick<SandboxCustomer, "firstName" | "lastName" | "email" | "phone" | "note" | "state" | "emailMarketingConsent">>): SandboxCustomer;
  deleteCustomer(id: number): void;
  /** Adds tags (deduplicated, case-insensitively as Shopify does); emits customer/updated only if something changed. */
  addCustomerTags(id: number, tags: string[]): SandboxCustomer;
  removeCustomerTags(id: number, tags: string[]): SandboxCustomer;
  createOrder(input: NewOrderInput): SandboxOrder;
  markOrderPaid(id: number): SandboxOrder;
  /** Like orderCancel: a paid order is refunded in full (a refund/created change first) unless `refund` is false. */
  cancelOrder(id: number, reason: CancelReason, options?: { refund?: boolean }): SandboxOrder;
  createRefund(orderId: number, input: NewRefundInput): SandboxRefund;
  /** Atomic like metafieldsSet: all inputs are validated first, then all are written. */
  setMetafields(inputs: MetafieldInput[]): SandboxMetafield[];
  deleteMetafields(inputs: Omit<MetafieldInput, "type" | "value">[]): (Omit<MetafieldInput, "type" | "value"> | null)[];
  createMetafieldDefinition(input: Omit<SandboxMetafieldDefinition, "id">): SandboxMetafieldDefinition;
  /** Like metafieldDefinitionUpdate's `access`: the fields given change, the others stay. */
  updateMetafieldDefinitionAccess(
    identifier: Pick<SandboxMetafieldDefinition, "ownerType" | "namespace" | "key">,
    access: Partial<SandboxMetafieldDefinition["access"]>,
  ): SandboxMetafieldDefinition;
  createSegment(name: string, query: string): SandboxSegment;
  updateSegment(id: number, patch: { name?: string; query?: string }): SandboxSegment;
  deleteSegment(id: number): void;
  createDiscountCode(input: Omit<SandboxDiscountCode, "id" | "createdAt">): SandboxDiscountCode;
  createBulkOperation(input: Pick<SandboxBulkOperation, "type" | "query">): SandboxBulkOperation;
  updateBulkOperation(id: number, patch: Partial<Omit<SandboxBulkOperation, "id" | "type" | "query" | "createdAt">>): SandboxBulkOperation;

  /** Listens to every change; returns the unsubscribe function. */
  onChange(listener: (change: ShopChange) => void): () => void;
  /** A deep copy of the data, for persistence. */
  snapshot(): SandboxShopData;
}
