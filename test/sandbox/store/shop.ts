/**
 * One sandbox shop: the data plus the indexes and rules Shopify applies when it changes. Reads are
 * O(1) by id at 100,000 customers; every change validates like Shopify, bumps updatedAt and tells
 * listeners (webhook dispatch) what happened.
 */
import { SandboxUserError } from "./errors";
import { appInstallationLegacyId, FIRST_ID, gid, shopLegacyId } from "./ids";
import { isKnownMetafieldType, metafieldValueProblem } from "./metafield-values";
import { fromCents, isMoney, toCents } from "./money";
import {
  discountedUnitCents,
  lineItemsTotalCents,
  orderTotals,
  refundableCents,
  refundedQuantities,
  statusAfterRefunds,
} from "./order-math";
import { parseTags, sameTags, withoutTags, withTags } from "./tags";
import { shopifyDateTime } from "./time";
import type {
  BulkOperationStatus,
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
import type {
  MetafieldInput,
  NewCustomerInput,
  NewOrderInput,
  NewRefundInput,
  SandboxShopApi,
  ShopChange,
} from "./shop-api";

export interface SandboxShopOptions {
  /** Defaults to the system clock; tests and the demo pass a ManualClock's `now`. */
  clock?: () => Date;
}

type CustomerPatch = Parameters<SandboxShopApi["updateCustomer"]>[1];

const MAX_METAFIELDS_PER_CALL = 25;
const MAX_BULK_OPERATIONS_IN_PROGRESS = 5;
const MAX_NAME_LENGTH = 255;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const METAFIELD_KEY = /^[a-zA-Z0-9_-]+$/;
const METAFIELD_NAMESPACE = /^[a-zA-Z0-9_$:-]+$/;
const BULK_IN_PROGRESS: readonly BulkOperationStatus[] = ["CREATED", "RUNNING", "CANCELING"];
/** Statuses after which Shopify sends bulk_operations/finish. */
const BULK_FINISHED: readonly BulkOperationStatus[] = ["COMPLETED", "FAILED", "CANCELED"];
const NONE: readonly never[] = Object.freeze([]);

export function emptyShopData(info: SandboxShopInfo): SandboxShopData {
  return {
    info,
    generatedFrom: null,
    customers: [],
    orders: [],
    metafields: [],
    metafieldDefinitions: [],
    segments: [],
    discountCodes: [],
    bulkOperations: [],
    nextId: FIRST_ID,
    nextOrderNumber: 1001,
  };
}

export class SandboxShop implements SandboxShopApi {
  private readonly clock: () => Date;
  private readonly listeners = new Set<(change: ShopChange) => void>();
  private readonly customersById = new Map<number, SandboxCustomer>();
  private readonly customerIdByEmail = new Map<string, number>();
  private readonly customerIdByPhone = new Map<string, number>();
  private readonly ordersById = new Map<number, SandboxOrder>();
  private readonly ordersByCustomerId = new Map<number, SandboxOrder[]>();
  private readonly refundsById = new Map<number, SandboxRefund>();
  private readonly metafieldsByOwner = new Map<string, SandboxMetafield[]>();

  /** Takes ownership of `data`: changes are made in place, snapshot() gives a copy. */
  constructor(
    private readonly data: SandboxShopData,
    options: SandboxShopOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    sortById(data.customers);
    sortById(data.orders);
    for (const customer of data.customers) this.indexCustomer(customer);
    for (const order of data.orders) this.indexOrder(order);
    for (const metafield of data.metafields) this.ownerMetafields(metafield.ownerType, metafield.ownerId, true).push(metafield);
  }

  static empty(info: SandboxShopInfo, options: SandboxShopOptions = {}): SandboxShop {
    return new SandboxShop(emptyShopData(info), options);
  }

  get info(): SandboxShopInfo {
    return this.data.info;
  }

  now(): Date {
    return this.clock();
  }

  // Reads

  customer(id: number): SandboxCustomer | undefined {
    return this.customersById.get(id);
  }

  customers(): readonly SandboxCustomer[] {
    return this.data.customers;
  }

  order(id: number): SandboxOrder | undefined {
    return this.ordersById.get(id);
  }

  orders(): readonly SandboxOrder[] {
    return this.data.orders;
  }

  ordersOfCustomer(customerId: number): readonly SandboxOrder[] {
    return this.ordersByCustomerId.get(customerId) ?? NONE;
  }

  refund(id: number): SandboxRefund | undefined {
    return this.refundsById.get(id);
  }

  metafieldsOf(ownerType: SandboxMetafieldOwnerType, ownerId: number): readonly SandboxMetafield[] {
    return this.ownerMetafields(ownerType, ownerId, false);
  }

  metafieldDefinitions(): readonly SandboxMetafieldDefinition[] {
    return this.data.metafieldDefinitions;
  }

  segments(): readonly SandboxSegment[] {
    return this.data.segments;
  }

  segment(id: number): SandboxSegment | undefined {
    return this.data.segments.find((segment) => segment.id === id);
  }

  discountCodes(): readonly SandboxDiscountCode[] {
    return this.data.discountCodes;
  }

  bulkOperation(id: number): SandboxBulkOperation | undefined {
    return this.data.bulkOperations.find((operation) => operation.id === id);
  }

  bulkOperations(): readonly SandboxBulkOperation[] {
    return this.data.bulkOperations;
  }

  // Customers

  createCustomer(input: NewCustomerInput): SandboxCustomer {
    const firstName = checkedName(input.firstName, "firstName");
    const lastName = checkedName(input.lastName, "lastName");
    const email = this.checkedEmail(input.email ?? null, null);
    const phone = this.checkedPhone(input.phone ?? null, null);
    if (!firstName && !lastName && !email && !phone) {
      throw new SandboxUserError(null, "Customer must have a name, phone number or email address", "BLANK");
    }
    if (input.acceptsMarketing && !email) {
      throw new SandboxUserError(["emailMarketingConsent"], "An email address is required to set the email marketing consent state", "INVALID");
    }
    const tags = withTags([], input.tags ?? []);
    const at = this.nowIso();
    const customer: SandboxCustomer = {
      id: this.nextId(),
      firstName,
      lastName,
      email,
      phone,
      locale: "en",
      state: "DISABLED",
      verifiedEmail: email !== null,
      taxExempt: false,
      note: null,
      tags,
      emailMarketingConsent: input.acceptsMarketing
        ? { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: at }
        : { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null },
      addresses: input.address ? [{ id: this.nextId(), ...input.address }] : [],
      defaultAddressId: null,
      createdAt: at,
      updatedAt: at,
    };
    customer.defaultAddressId = customer.addresses[0]?.id ?? null;
    this.data.customers.push(customer);
    this.indexCustomer(customer);
    this.emit({ kind: "customer/created", customer, at });
    return customer;
  }

  updateCustomer(id: number, patch: CustomerPatch): SandboxCustomer {
    const customer = this.requireCustomer(id, ["id"]);
    const next = { ...customer };
    if (patch.firstName !== undefined) next.firstName = checkedName(patch.firstName, "firstName");
    if (patch.lastName !== undefined) next.lastName = checkedName(patch.lastName, "lastName");
    if (patch.email !== undefined) next.email = this.checkedEmail(patch.email, id);
    if (patch.phone !== undefined) next.phone = this.checkedPhone(patch.phone, id);
    if (patch.note !== undefined) next.note = patch.note;
    if (patch.state !== undefined) next.state = patch.state;
    if (patch.emailMarketingConsent !== undefined) {
      if (!next.email) {
        throw new SandboxUserError(["emailMarketingConsent"], "An email address is required to set the email marketing consent state", "INVALID");
      }
      next.emailMarketingConsent = {
        ...patch.emailMarketingConsent,
        consentUpdatedAt: patch.emailMarketingConsent.consentUpdatedAt ?? this.nowIso(),
      };
    }
    const changed = (Object.keys(patch) as (keyof CustomerPatch)[]).some(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(customer[key]),
    );
    if (!changed) return customer;

    this.unindexContact(customer);
    Object.assign(customer, next);
    this.indexContact(customer);
    return this.touchCustomer(customer);
  }

  deleteCustomer(id: number): void {
    const customer = this.requireCustomer(id, ["id"]);
    if (this.ordersOfCustomer(id).length > 0) {
      throw new SandboxUserError(["id"], "Customer can’t be deleted because they have existing orders", "INVALID");
    }
    this.data.customers.splice(this.data.customers.indexOf(customer), 1);
    this.customersById.delete(id);
    this.unindexContact(customer);
    const owned = this.metafieldsByOwner.get(ownerKey("CUSTOMER", id));
    if (owned) {
      this.metafieldsByOwner.delete(ownerKey("CUSTOMER", id));
      const removed = new Set(owned);
      this.data.metafields = this.data.metafields.filter((metafield) => !removed.has(metafield));
    }
    this.emit({ kind: "customer/deleted", customerId: id, at: this.nowIso() });
  }

  addCustomerTags(id: number, tags: string[]): SandboxCustomer {
    const customer = this.requireCustomer(id, ["id"]);
    if (parseTags(tags).length === 0) throw new SandboxUserError(["tags"], "Tags can't be blank", "BLANK");
    return this.setTags(customer, withTags(customer.tags, tags));
  }

  removeCustomerTags(id: number, tags: string[]): SandboxCustomer {
    const customer = this.requireCustomer(id, ["id"]);
    return this.setTags(customer, withoutTags(customer.tags, tags));
  }

  // Orders

  createOrder(input: NewOrderInput): SandboxOrder {
    const customer = input.customerId === null ? null : this.requireCustomer(input.customerId, ["customerId"]);
    if (input.lineItems.length === 0) throw new SandboxUserError(["lineItems"], "An order must have at least one line item", "BLANK");
    input.lineItems.forEach((item, index) => {
      const field = (name: string) => ["lineItems", String(index), name];
      if (item.title.trim() === "") throw new SandboxUserError(field("title"), "Title can't be blank", "BLANK");
      if (!Number.isInteger(item.quantity) || item.quantity < 1) {
        throw new SandboxUserError(field("quantity"), "Quantity must be a whole number of at least 1", "INVALID");
      }
      if (!isMoney(item.price)) throw new SandboxUserError(field("price"), "Price must be a non-negative amount", "INVALID");
    });
    const discountCents = checkedMoney(input.totalDiscounts ?? "0", ["totalDiscounts"]);
    const shippingCents = checkedMoney(input.totalShipping ?? "0", ["totalShipping"]);
    if (discountCents > lineItemsTotalCents(input.lineItems)) {
      throw new SandboxUserError(["totalDiscounts"], "Discounts can't be more than the line items' total", "LESS_THAN_OR_EQUAL_TO");
    }
    (input.customAttributes ?? []).forEach((attribute, index) => {
      if (attribute.key.trim() === "") {
        throw new SandboxUserError(["customAttributes", String(index), "key"], "Key can't be blank", "BLANK");
      }
    });
    const discountCodes = (input.discountCodes ?? []).map((code) => code.trim()).filter((code) => code !== "");
    this.checkDiscountCodes(discountCodes, customer?.id ?? null);

    const at = this.nowIso();
    const id = this.nextId();
    const number = this.data.nextOrderNumber++;
    const order: SandboxOrder = {
      id,
      name: `#${number}`,
      number,
      customerId: customer?.id ?? null,
      email: customer?.email ?? null,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      test: input.test ?? false,
      financialStatus: input.paid ? "PAID" : "PENDING",
      fulfillmentStatus: "UNFULFILLED",
      lineItems: input.lineItems.map((item) => ({ ...item, id: this.nextId() })),
      ...orderTotals(input.lineItems, discountCents, shippingCents),
      discountCodes,
      customAttributes: (input.customAttributes ?? []).map((attribute) => ({ ...attribute })),
      landingSite: input.landingSite ?? null,
      referringSite: null,
      sourceName: "web",
      tags: [],
      refunds: [],
    };
    this.data.orders.push(order);
    this.indexOrder(order);
    this.emit({ kind: "order/created", order, at });
    return order;
  }

  markOrderPaid(id: number): SandboxOrder {
    const order = this.requireOrder(id, ["id"]);
    if (order.cancelledAt) throw new SandboxUserError(["id"], "A cancelled order can't be marked as paid", "INVALID");
    if (!["PENDING", "AUTHORIZED", "PARTIALLY_PAID"].includes(order.financialStatus)) {
      throw new SandboxUserError(["id"], "Order can't be marked as paid: it has no outstanding balance", "INVALID");
    }
    order.financialStatus = "PAID";
    const at = this.touchOrder(order);
    this.emit({ kind: "order/paid", order, at });
    return order;
  }

  /**
   * Cancels like orderCancel: a paid order is refunded in full unless `refund` is false (the refund
   * comes first, as its own refund/created change); an unpaid one is voided.
   */
  cancelOrder(id: number, reason: CancelReason, options: { refund?: boolean } = {}): SandboxOrder {
    const order = this.requireOrder(id, ["orderId"]);
    if (order.cancelledAt) throw new SandboxUserError(["orderId"], "Order has already been cancelled", "INVALID");
    if (order.fulfillmentStatus !== "UNFULFILLED") {
      throw new SandboxUserError(["orderId"], "An order with fulfilled items can't be cancelled", "INVALID");
    }
    if ((options.refund ?? true) && refundableCents(order) > 0) {
      const refunded = refundedQuantities(order);
      const lines = order.lineItems
        .map((item) => ({ item, quantity: item.quantity - (refunded.get(item.id) ?? 0) }))
        .filter(({ quantity }) => quantity > 0)
        .map(({ item, quantity }) => ({ lineItemId: item.id, quantity, subtotalCents: discountedUnitCents(order, item) * quantity }));
      this.recordRefund(order, lines, refundableCents(order), "Order cancelled");
    }
    if (order.financialStatus === "PENDING" || order.financialStatus === "AUTHORIZED") order.financialStatus = "VOIDED";
    const at = this.nowIso();
    order.cancelledAt = at;
    order.cancelReason = reason;
    order.closedAt = at;
    this.touchOrder(order);
    this.emit({ kind: "order/cancelled", order, at });
    return order;
  }

  createRefund(orderId: number, input: NewRefundInput): SandboxRefund {
    const order = this.requireOrder(orderId, ["orderId"]);
    const refundable = refundableCents(order);
    if (refundable <= 0) throw new SandboxUserError(["orderId"], "Order has no captured payment left to refund", "INVALID");

    const requested = new Map<number, number>();
    input.lineItems.forEach((line, index) => {
      const field = (name: string) => ["refundLineItems", String(index), name];
      if (!order.lineItems.some((item) => item.id === line.lineItemId)) {
        throw new SandboxUserError(field("lineItemId"), "Line item does not exist on this order", "NOT_FOUND");
      }
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        throw new SandboxUserError(field("quantity"), "Quantity must be a whole number of at least 1", "INVALID");
      }
      requested.set(line.lineItemId, (requested.get(line.lineItemId) ?? 0) + line.quantity);
    });
    const alreadyRefunded = refundedQuantities(order);
    const lines = [...requested].map(([lineItemId, quantity]) => {
      const item = order.lineItems.find((candidate) => candidate.id === lineItemId) as SandboxLineItem;
      if ((alreadyRefunded.get(lineItemId) ?? 0) + quantity > item.quantity) {
        const index = input.lineItems.findIndex((line) => line.lineItemId === lineItemId);
        throw new SandboxUserError(
          ["refundLineItems", String(index), "quantity"],
          "Quantity cannot refund more items than were purchased",
          "LESS_THAN_OR_EQUAL_TO",
        );
      }
      return { lineItemId, quantity, subtotalCents: discountedUnitCents(order, item) * quantity };
    });
    const extraCents = checkedMoney(input.amount ?? "0", ["amount"]);
    const totalCents = lines.reduce((sum, line) => sum + line.subtotalCents, 0) + extraCents;
    if (totalCents <= 0) throw new SandboxUserError(["refundLineItems"], "A refund needs line items or an amount", "BLANK");
    if (totalCents > refundable) {
      throw new SandboxUserError(
        ["amount"],
        `Refund of ${fromCents(totalCents)} exceeds the refundable amount of ${fromCents(refundable)}`,
        "LESS_THAN_OR_EQUAL_TO",
      );
    }
    return this.recordRefund(order, lines, totalCents, input.note ?? null);
  }

  // Metafields

  setMetafields(inputs: MetafieldInput[]): SandboxMetafield[] {
    if (inputs.length > MAX_METAFIELDS_PER_CALL) {
      throw new SandboxUserError(["metafields"], `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_CALL}.`, "LESS_THAN_OR_EQUAL_TO");
    }
    inputs.forEach((input, index) => this.checkMetafield(input, ["metafields", String(index)]));

    const at = this.nowIso();
    return inputs.map((input) => {
      const owned = this.ownerMetafields(input.ownerType, input.ownerId, true);
      const existing = owned.find((metafield) => metafield.namespace === input.namespace && metafield.key === input.key);
      if (existing) {
        if (existing.value !== input.value || existing.type !== input.type) {
          existing.value = input.value;
          existing.type = input.type;
          existing.updatedAt = at;
        }
        return existing;
      }
      const metafield: SandboxMetafield = { id: this.nextId(), ...input, createdAt: at, updatedAt: at };
      owned.push(metafield);
      this.data.metafields.push(metafield);
      return metafield;
    });
  }

  /** Deletes each identified metafield that exists; returns the identifiers of those deleted (null for those not found, as Shopify does). */
  deleteMetafields(inputs: Omit<MetafieldInput, "type" | "value">[]): (Omit<MetafieldInput, "type" | "value"> | null)[] {
    return inputs.map((input) => {
      const owned = this.metafieldsByOwner.get(ownerKey(input.ownerType, input.ownerId));
      const existing = owned?.find((metafield) => metafield.namespace === input.namespace && metafield.key === input.key);
      if (!owned || !existing) return null;
      owned.splice(owned.indexOf(existing), 1);
      this.data.metafields = this.data.metafields.filter((metafield) => metafield !== existing);
      return input;
    });
  }

  createMetafieldDefinition(input: Omit<SandboxMetafieldDefinition, "id">): SandboxMetafieldDefinition {
    checkNamespaceAndKey(input.namespace, input.key, ["definition"]);
    if (input.name.trim() === "") throw new SandboxUserError(["definition", "name"], "Name can't be blank", "BLANK");
    if (!isKnownMetafieldType(input.type)) {
      throw new SandboxUserError(["definition", "type"], `Type name ${input.type} is not a valid type`, "INVALID_TYPE");
    }
    const taken = this.data.metafieldDefinitions.some(
      (definition) => definition.ownerType === input.ownerType && definition.namespace === input.namespace && definition.key === input.key,
    );
    if (taken) {
      throw new SandboxUserError(["definition", "key"], "Key is in use for another metafield definition in this namespace", "TAKEN");
    }
    const definition: SandboxMetafieldDefinition = { id: this.nextId(), ...input };
    this.data.metafieldDefinitions.push(definition);
    return definition;
  }

  updateMetafieldDefinitionAccess(
    identifier: Pick<SandboxMetafieldDefinition, "ownerType" | "namespace" | "key">,
    access: Partial<SandboxMetafieldDefinition["access"]>,
  ): SandboxMetafieldDefinition {
    const definition = this.data.metafieldDefinitions.find(
      (candidate) => candidate.ownerType === identifier.ownerType && candidate.namespace === identifier.namespace && candidate.key === identifier.key,
    );
    if (!definition) throw new SandboxUserError(["definition"], "Definition not found.", "NOT_FOUND");
    definition.access = {
      admin: access.admin === undefined ? definition.access.admin : access.admin,
      storefront: access.storefront === undefined ? definition.access.storefront : access.storefront,
    };
    return definition;
  }

  // Segments

  createSegment(name: string, query: string): SandboxSegment {
    this.checkSegment(name, query, null);
    const at = this.nowIso();
    const segment: SandboxSegment = { id: this.nextId(), name: name.trim(), query, creationDate: at, lastEditDate: at };
    this.data.segments.push(segment);
    return segment;
  }

  updateSegment(id: number, patch: { name?: string; query?: string }): SandboxSegment {
    const segment = this.segment(id);
    if (!segment) throw new SandboxUserError(["id"], "Segment does not exist", "NOT_FOUND");
    const name = patch.name ?? segment.name;
    const query = patch.query ?? segment.query;
    this.checkSegment(name, query, id);
    segment.name = name.trim();
    segment.query = query;
    segment.lastEditDate = this.nowIso();
    return segment;
  }

  deleteSegment(id: number): void {
    const index = this.data.segments.findIndex((segment) => segment.id === id);
    if (index < 0) throw new SandboxUserError(["id"], "Segment does not exist", "NOT_FOUND");
    this.data.segments.splice(index, 1);
  }

  // Discounts

  createDiscountCode(input: Omit<SandboxDiscountCode, "id" | "createdAt">): SandboxDiscountCode {
    const code = input.code.trim();
    if (code === "") throw new SandboxUserError(["code"], "Code can't be blank", "BLANK");
    if (input.title.trim() === "") throw new SandboxUserError(["title"], "Title can't be blank", "BLANK");
    if (this.data.discountCodes.some((existing) => existing.code.toLowerCase() === code.toLowerCase())) {
      throw new SandboxUserError(["code"], "Code must be unique. Please try a different code.", "TAKEN");
    }
    if ("percentage" in input.value) {
      if (!(input.value.percentage > 0 && input.value.percentage <= 1)) {
        throw new SandboxUserError(["value", "percentage"], "Percentage must be greater than 0 and at most 1", "INVALID");
      }
    } else if (checkedMoney(input.value.amount, ["value", "amount"]) <= 0) {
      throw new SandboxUserError(["value", "amount"], "Amount must be greater than 0", "GREATER_THAN");
    }
    input.customerIds.forEach((customerId, index) => this.requireCustomer(customerId, ["customerIds", String(index)]));
    input.segmentIds.forEach((segmentId, index) => {
      if (!this.segment(segmentId)) throw new SandboxUserError(["customerSegmentIds", String(index)], "Segment does not exist", "INVALID");
    });
    if (input.customerIds.length > 0 && input.segmentIds.length > 0) {
      throw new SandboxUserError(["customerIds"], "Customers and customer segments cannot both be selected", "INVALID");
    }
    if (input.usageLimit !== null && !(Number.isInteger(input.usageLimit) && input.usageLimit > 0)) {
      throw new SandboxUserError(["usageLimit"], "Usage limit must be a whole number greater than 0", "GREATER_THAN");
    }
    if (input.endsAt !== null && new Date(input.endsAt) <= new Date(input.startsAt)) {
      throw new SandboxUserError(["endsAt"], "End date must be after the start date", "INVALID");
    }
    const discount: SandboxDiscountCode = {
      ...input,
      code,
      customerIds: [...input.customerIds],
      segmentIds: [...input.segmentIds],
      id: this.nextId(),
      createdAt: this.nowIso(),
    };
    this.data.discountCodes.push(discount);
    return discount;
  }

  // Bulk operations

  createBulkOperation(input: Pick<SandboxBulkOperation, "type" | "query">): SandboxBulkOperation {
    if (input.query.trim() === "") throw new SandboxUserError(["query"], "Query can't be blank", "BLANK");
    const inProgress = this.data.bulkOperations.filter(
      (operation) => operation.type === input.type && BULK_IN_PROGRESS.includes(operation.status),
    ).length;
    if (inProgress >= MAX_BULK_OPERATIONS_IN_PROGRESS) {
      throw new SandboxUserError(
        null,
        `A shop can run at most ${MAX_BULK_OPERATIONS_IN_PROGRESS} bulk ${input.type === "QUERY" ? "queries" : "mutations"} at once`,
        "LIMIT_REACHED",
      );
    }
    const operation: SandboxBulkOperation = {
      id: this.nextId(),
      type: input.type,
      status: "CREATED",
      query: input.query,
      errorCode: null,
      createdAt: this.nowIso(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
    };
    this.data.bulkOperations.push(operation);
    return operation;
  }

  updateBulkOperation(
    id: number,
    patch: Partial<Omit<SandboxBulkOperation, "id" | "type" | "query" | "createdAt">>,
  ): SandboxBulkOperation {
    const operation = this.bulkOperation(id);
    if (!operation) throw new SandboxUserError(["id"], "Bulk operation does not exist", "NOT_FOUND");
    const wasFinished = BULK_FINISHED.includes(operation.status);
    Object.assign(operation, patch);
    if (!wasFinished && BULK_FINISHED.includes(operation.status)) {
      const at = this.nowIso();
      operation.completedAt ??= at;
      this.emit({ kind: "bulk_operation/finished", operation, at });
    }
    return operation;
  }

  // Listening and persistence

  onChange(listener: (change: ShopChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): SandboxShopData {
    return structuredClone(this.data);
  }

  // Internals

  private nowIso(): string {
    return shopifyDateTime(this.clock());
  }

  private nextId(): number {
    return this.data.nextId++;
  }

  private emit(change: ShopChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private requireCustomer(id: number, field: string[]): SandboxCustomer {
    const customer = this.customersById.get(id);
    if (!customer) throw new SandboxUserError(field, `Customer ${gid("Customer", id)} does not exist`, "NOT_FOUND");
    return customer;
  }

  private requireOrder(id: number, field: string[]): SandboxOrder {
    const order = this.ordersById.get(id);
    if (!order) throw new SandboxUserError(field, `Order ${gid("Order", id)} does not exist`, "NOT_FOUND");
    return order;
  }

  private touchCustomer(customer: SandboxCustomer): SandboxCustomer {
    const at = this.nowIso();
    customer.updatedAt = at;
    this.emit({ kind: "customer/updated", customer, at });
    return customer;
  }

  private touchOrder(order: SandboxOrder): string {
    const at = this.nowIso();
    order.updatedAt = at;
    return at;
  }

  private setTags(customer: SandboxCustomer, tags: string[]): SandboxCustomer {
    if (sameTags(customer.tags, tags)) return customer;
    customer.tags = tags;
    return this.touchCustomer(customer);
  }

  private recordRefund(
    order: SandboxOrder,
    lines: { lineItemId: number; quantity: number; subtotalCents: number }[],
    totalCents: number,
    note: string | null,
  ): SandboxRefund {
    const at = this.nowIso();
    const refund: SandboxRefund = {
      id: this.nextId(),
      orderId: order.id,
      createdAt: at,
      note,
      totalRefunded: fromCents(totalCents),
      refundLineItems: lines.map((line) => ({ lineItemId: line.lineItemId, quantity: line.quantity, subtotal: fromCents(line.subtotalCents) })),
    };
    order.refunds.push(refund);
    order.financialStatus = statusAfterRefunds(order);
    this.touchOrder(order);
    this.refundsById.set(refund.id, refund);
    this.emit({ kind: "refund/created", order, refund, at });
    return refund;
  }

  private checkedEmail(raw: string | null, ownerId: number | null): string | null {
    const email = raw?.trim() || null;
    if (email === null) return null;
    if (!EMAIL.test(email)) throw new SandboxUserError(["email"], "Email is invalid", "INVALID");
    const holder = this.customerIdByEmail.get(email.toLowerCase());
    if (holder !== undefined && holder !== ownerId) throw new SandboxUserError(["email"], "Email has already been taken", "TAKEN");
    return email;
  }

  private checkedPhone(raw: string | null, ownerId: number | null): string | null {
    if (raw === null || raw.trim() === "") return null;
    const phone = normalizePhone(raw);
    if (!phone) throw new SandboxUserError(["phone"], "Phone is invalid", "INVALID");
    const holder = this.customerIdByPhone.get(phone);
    if (holder !== undefined && holder !== ownerId) throw new SandboxUserError(["phone"], "Phone has already been taken", "TAKEN");
    return phone;
  }

  /**
   * The codes an order uses, checked as checkout checks them: a code the shop holds must be for
   * this buyer (a discount for listed customers), not used up (its usage limit), and when it applies
   * once per customer, not used by this customer before. Codes the shop does not hold pass: a
   * generated shop's history names codes it never modelled.
   */
  private checkDiscountCodes(codes: readonly string[], customerId: number | null): void {
    codes.forEach((used, index) => {
      const code = used.toLowerCase();
      const discount = this.data.discountCodes.find((candidate) => candidate.code.toLowerCase() === code);
      if (!discount) return;
      const field = ["discountCodes", String(index)];
      if (discount.customerIds.length > 0 && (customerId === null || !discount.customerIds.includes(customerId))) {
        throw new SandboxUserError(field, `Discount code ${used} isn't available to this customer`, "INVALID");
      }
      const uses = this.data.orders.filter((order) => order.cancelledAt === null && order.discountCodes.some((other) => other.toLowerCase() === code));
      if (discount.usageLimit !== null && uses.length >= discount.usageLimit) {
        throw new SandboxUserError(field, `Discount code ${used} has reached its usage limit`, "INVALID");
      }
      if (discount.appliesOncePerCustomer && customerId !== null && uses.some((order) => order.customerId === customerId)) {
        throw new SandboxUserError(field, `Discount code ${used} can only be used once per customer`, "INVALID");
      }
    });
  }

  private checkMetafield(input: MetafieldInput, path: string[]): void {
    const field = (name: string) => [...path, name];
    if (input.ownerType === "CUSTOMER") {
      if (!this.customersById.has(input.ownerId)) throw new SandboxUserError(field("ownerId"), "Owner does not exist", "INVALID");
    } else if (input.ownerId !== (input.ownerType === "SHOP" ? shopLegacyId(this.data.info) : appInstallationLegacyId(this.data.info))) {
      throw new SandboxUserError(field("ownerId"), "Owner does not exist", "INVALID");
    }
    checkNamespaceAndKey(input.namespace, input.key, path);
    if (!isKnownMetafieldType(input.type)) {
      throw new SandboxUserError(field("type"), `Type name ${input.type} is not a valid type`, "INVALID_TYPE");
    }
    const definition = this.data.metafieldDefinitions.find(
      (candidate) => candidate.ownerType === input.ownerType && candidate.namespace === input.namespace && candidate.key === input.key,
    );
    if (definition && definition.type !== input.type) {
      throw new SandboxUserError(field("type"), `Type '${input.type}' must be consistent with the definition's type: '${definition.type}'`, "INVALID_TYPE");
    }
    const problem = metafieldValueProblem(input.type, input.value);
    if (problem) throw new SandboxUserError(field("value"), problem, "INVALID_VALUE");
  }

  private checkSegment(name: string, query: string, ownId: number | null): void {
    if (name.trim() === "") throw new SandboxUserError(["name"], "Name can't be blank", "BLANK");
    if (name.trim().length > MAX_NAME_LENGTH) throw new SandboxUserError(["name"], "Name is too long", "TOO_LONG");
    if (query.trim() === "") throw new SandboxUserError(["query"], "Query can't be blank", "BLANK");
    const clash = this.data.segments.some((segment) => segment.id !== ownId && segment.name.toLowerCase() === name.trim().toLowerCase());
    if (clash) throw new SandboxUserError(["name"], "Name has already been taken", "TAKEN");
  }

  private indexCustomer(customer: SandboxCustomer): void {
    this.customersById.set(customer.id, customer);
    this.indexContact(customer);
  }

  private indexContact(customer: SandboxCustomer): void {
    if (customer.email) this.customerIdByEmail.set(customer.email.toLowerCase(), customer.id);
    if (customer.phone) this.customerIdByPhone.set(customer.phone, customer.id);
  }

  private unindexContact(customer: SandboxCustomer): void {
    if (customer.email) this.customerIdByEmail.delete(customer.email.toLowerCase());
    if (customer.phone) this.customerIdByPhone.delete(customer.phone);
  }

  private indexOrder(order: SandboxOrder): void {
    this.ordersById.set(order.id, order);
    if (order.customerId !== null) {
      const list = this.ordersByCustomerId.get(order.customerId);
      if (list) list.push(order);
      else this.ordersByCustomerId.set(order.customerId, [order]);
    }
    for (const refund of order.refunds) this.refundsById.set(refund.id, refund);
  }

  private ownerMetafields(ownerType: SandboxMetafieldOwnerType, ownerId: number, create: true): SandboxMetafield[];
  private ownerMetafields(ownerType: SandboxMetafieldOwnerType, ownerId: number, create: false): readonly SandboxMetafield[];
  private ownerMetafields(ownerType: SandboxMetafieldOwnerType, ownerId: number, create: boolean): readonly SandboxMetafield[] {
    const key = ownerKey(ownerType, ownerId);
    const existing = this.metafieldsByOwner.get(key);
    if (existing || !create) return existing ?? NONE;
    const list: SandboxMetafield[] = [];
    this.metafieldsByOwner.set(key, list);
    return list;
  }
}

function ownerKey(ownerType: string, ownerId: number): string {
  return `${ownerType}:${ownerId}`;
}

function sortById(items: { id: number }[]): void {
  for (let i = 1; i < items.length; i++) {
    if ((items[i - 1] as { id: number }).id > (items[i] as { id: number }).id) {
      items.sort((a, b) => a.id - b.id);
      return;
    }
  }
}

function checkedName(raw: string | null | undefined, field: string): string | null {
  const name = raw?.trim() || null;
  if (name && name.length > MAX_NAME_LENGTH) {
    throw new SandboxUserError([field], `${field === "firstName" ? "First" : "Last"} name is too long (maximum is ${MAX_NAME_LENGTH} characters)`, "TOO_LONG");
  }
  return name;
}

function checkedMoney(raw: string, field: string[]): number {
  if (!isMoney(raw)) throw new SandboxUserError(field, "Amount must be a non-negative number with at most two decimals", "INVALID");
  return toCents(raw);
}

/** Shopify stores phones in E.164; a 10-digit number without a country code is read as North American. */
function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s().-]/g, "");
  if (!/^\+?\d{7,15}$/.test(compact)) return null;
  if (compact.startsWith("+")) return compact;
  return compact.length === 10 ? `+1${compact}` : `+${compact}`;
}

function checkNamespaceAndKey(namespace: string, key: string, path: string[]): void {
  if (namespace.length < 3) throw new SandboxUserError([...path, "namespace"], "Namespace is too short (minimum is 3 characters)", "TOO_SHORT");
  if (namespace.length > 255) throw new SandboxUserError([...path, "namespace"], "Namespace is too long (maximum is 255 characters)", "TOO_LONG");
  if (!METAFIELD_NAMESPACE.test(namespace)) {
    throw new SandboxUserError([...path, "namespace"], "Namespace may only contain letters, numbers, hyphens and underscores", "INVALID");
  }
  if (key.length < 2) throw new SandboxUserError([...path, "key"], "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  if (key.length > 64) throw new SandboxUserError([...path, "key"], "Key is too long (maximum is 64 characters)", "TOO_LONG");
  if (!METAFIELD_KEY.test(key)) {
    throw new SandboxUserError([...path, "key"], "Key may only contain letters, numbers, hyphens and underscores", "INVALID");
  }
}
