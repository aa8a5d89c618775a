/**
 * Store activity on demand: new customers, orders, payments, refunds, cancellations and customer
 * edits, made through the shop's own change methods so they validate, bump updatedAt and emit
 * changes (and so webhooks) exactly like anything else. Deterministic for a seed and a shop state.
 */
import { SandboxUserError } from "./errors";
import { fromCents } from "./money";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, emailPart } from "./names";
import { orderContent, pickProduct } from "./order-content";
import { discountedUnitCents, isPaid, refundableCents, refundedQuantities } from "./order-math";
import { Random } from "./random";
import { shopifyDateTime } from "./time";
import type { CancelReason, SandboxCustomer, SandboxOrder } from "./model";
import type { SandboxShopApi } from "./shop-api";

export type ActivityKind = "new_customer" | "order" | "payment" | "refund" | "cancellation" | "customer_edit";

export interface ActivityOptions {
  seed: number;
  /** How many things happen. */
  count: number;
  /** Which kinds may happen (default: all, weighted like a real shop's day). */
  kinds?: readonly ActivityKind[];
  /**
   * Moves the shop's clock forward before each event (e.g. a ManualClock's `advance`), so activity
   * spreads over time; without it everything happens at the shop's current time.
   */
  advance?: (milliseconds: number) => void;
  /** Mean time between events when `advance` is given. */
  meanGapMinutes?: number;
}

export interface ActivityEvent {
  kind: ActivityKind;
  at: string;
  customerId: number | null;
  orderId: number | null;
  refundId: number | null;
  description: string;
}

export interface ActivitySummary {
  from: string;
  to: string;
  events: ActivityEvent[];
  counts: Record<ActivityKind, number>;
  /** Slots where no allowed kind was possible (e.g. only "payment" and nothing is pending). */
  skipped: number;
}

const KIND_WEIGHTS: readonly (readonly [ActivityKind, number])[] = [
  ["order", 45],
  ["new_customer", 15],
  ["customer_edit", 15],
  ["payment", 10],
  ["refund", 9],
  ["cancellation", 6],
];
/** When the chosen kind is impossible right now, these are tried instead (in order). */
const FALLBACKS: readonly ActivityKind[] = ["order", "new_customer", "customer_edit"];
/** Payments, refunds and cancellations concern recent orders; older ones are not scanned. */
const RECENT_ORDERS = 1_000;
const REPEAT_BUYER_SHARE = 0.7;
const PAID_AT_CHECKOUT_SHARE = 0.85;
const FULL_REFUND_SHARE = 0.35;

export function generateActivity(shop: SandboxShopApi, options: ActivityOptions): ActivitySummary {
  const random = new Random(options.seed);
  const allowed = new Set(options.kinds ?? KIND_WEIGHTS.map(([kind]) => kind));
  const weights = KIND_WEIGHTS.filter(([kind]) => allowed.has(kind));
  const actors = new Actors(shop, random);
  const counts = Object.fromEntries(KIND_WEIGHTS.map(([kind]) => [kind, 0])) as Record<ActivityKind, number>;
  const events: ActivityEvent[] = [];
  const from = shopifyDateTime(shop.now());
  let skipped = 0;

  for (let i = 0; i < options.count; i++) {
    options.advance?.(Math.round(random.exponential(options.meanGapMinutes ?? 10) * 60_000));
    const first = weights.length > 0 ? random.weighted(weights) : undefined;
    const candidates = [first, ...FALLBACKS.filter((kind) => kind !== first && allowed.has(kind))];
    const event = candidates.reduce<ActivityEvent | null>((done, kind) => done ?? (kind ? actors.act(kind) : null), null);
    if (event) {
      events.push(event);
      counts[event.kind]++;
    } else {
      skipped++;
    }
  }
  return { from, to: shopifyDateTime(shop.now()), events, counts, skipped };
}

/** Performs one kind of activity, or answers null when it is not possible right now. */
class Actors {
  constructor(
    private readonly shop: SandboxShopApi,
    private readonly random: Random,
  ) {}

  act(kind: ActivityKind): ActivityEvent | null {
    switch (kind) {
      case "new_customer":
        return this.newCustomer();
      case "order":
        return this.order();
      case "payment":
        return this.payment();
      case "refund":
        return this.refund();
      case "cancellation":
        return this.cancellation();
      case "customer_edit":
        return this.customerEdit();
    }
  }

  private newCustomer(): ActivityEvent {
    const customer = this.createCustomer();
    return this.event("new_customer", customer.id, null, null, `${customer.firstName} ${customer.lastName} signed up`);
  }

  private order(): ActivityEvent {
    const existing = this.shop.customers().length > 0 && this.random.chance(REPEAT_BUYER_SHARE);
    const customer = existing ? this.randomCustomer() : this.createCustomer();
    const previous = this.shop.ordersOfCustomer(customer.id).length;
    const content = orderContent(
      this.random,
      { favourite: previous > 0 ? pickProduct(this.random, true) : -1, firstOrder: previous === 0, vip: customer.tags.includes("VIP") },
      false,
    );
    const paid = this.random.chance(PAID_AT_CHECKOUT_SHARE);
    const order = this.shop.createOrder({
      customerId: customer.id,
      lineItems: content.picks.map(({ product, quantity }) => ({ title: product.title, sku: product.sku, quantity, price: product.price })),
      discountCodes: content.discountCode ? [content.discountCode] : [],
      totalDiscounts: fromCents(content.discountCents),
      totalShipping: fromCents(content.shippingCents),
      landingSite: "/",
      paid,
    });
    return this.event("order", customer.id, order.id, null, `${order.name} ${order.totalPrice} ${paid ? "paid" : "awaiting payment"}`);
  }

  private payment(): ActivityEvent | null {
    const order = this.recentOrder((candidate) => candidate.financialStatus === "PENDING" && !candidate.cancelledAt);
    if (!order) return null;
    this.shop.markOrderPaid(order.id);
    return this.event("payment", order.customerId, order.id, null, `${order.name} paid`);
  }

  private refund(): ActivityEvent | null {
    const order = this.recentOrder((candidate) => isPaid(candidate.financialStatus) && !candidate.test);
    if (!order) return null;
    const refunded = refundedQuantities(order);
    const open = order.lineItems
      .map((item) => ({ item, quantity: item.quantity - (refunded.get(item.id) ?? 0) }))
      .filter(({ quantity }) => quantity > 0);
    const refundable = refundableCents(order);
    const one = open.length > 0 && !this.random.chance(FULL_REFUND_SHARE) ? this.random.pick(open).item : null;
    const full = !one || discountedUnitCents(order, one) >= refundable;
    const openCents = open.reduce((sum, { item, quantity }) => sum + discountedUnitCents(order, item) * quantity, 0);
    // Earlier goodwill refunds can leave less money than the open items are worth: then money only.
    const refund = !full
      ? this.shop.createRefund(order.id, { lineItems: [{ lineItemId: one.id, quantity: 1 }], note: "Damaged item" })
      : openCents <= refundable
        ? this.shop.createRefund(order.id, {
            lineItems: open.map(({ item, quantity }) => ({ lineItemId: item.id, quantity })),
            amount: fromCents(refundable - openCents),
            note: "Returned",
          })
        : this.shop.createRefund(order.id, { lineItems: [], amount: fromCents(refundable), note: "Returned" });
    return this.event("refund", order.customerId, order.id, refund.id, `${order.name} refunded ${refund.totalRefunded}${full ? " (all)" : ""}`);
  }

  private cancellation(): ActivityEvent | null {
    const order = this.recentOrder((candidate) => !candidate.cancelledAt && candidate.fulfillmentStatus === "UNFULFILLED");
    if (!order) return null;
    const reason = this.random.weighted<CancelReason>([["CUSTOMER", 60], ["INVENTORY", 20], ["FRAUD", 10], ["OTHER", 10]]);
    this.shop.cancelOrder(order.id, reason);
    return this.event("cancellation", order.customerId, order.id, null, `${order.name} cancelled (${reason.toLowerCase()})`);
  }

  private customerEdit(): ActivityEvent | null {
    if (this.shop.customers().length === 0) return null;
    const customer = this.randomCustomer();
    const change = customer.email ? this.random.weighted([["consent", 50], ["email", 25], ["name", 25]] as const) : "name";
    if (change === "consent") {
      const subscribed = customer.emailMarketingConsent.marketingState === "SUBSCRIBED";
      this.shop.updateCustomer(customer.id, {
        emailMarketingConsent: {
          marketingState: subscribed ? "UNSUBSCRIBED" : "SUBSCRIBED",
          marketingOptInLevel: "SINGLE_OPT_IN",
          consentUpdatedAt: null,
        },
      });
      return this.event("customer_edit", customer.id, null, null, `${customer.email} ${subscribed ? "unsubscribed" : "subscribed"}`);
    }
    if (change === "email") {
      const email = this.withUniqueEmail(customer.firstName ?? "customer", customer.lastName ?? "", (candidate) =>
        this.shop.updateCustomer(customer.id, { email: candidate }),
      ).email;
      return this.event("customer_edit", customer.id, null, null, `email changed to ${email}`);
    }
    const lastName = this.random.pick(LAST_NAMES);
    this.shop.updateCustomer(customer.id, { lastName });
    return this.event("customer_edit", customer.id, null, null, `name changed to ${customer.firstName} ${lastName}`);
  }

  private createCustomer(): SandboxCustomer {
    const firstName = this.random.pick(FIRST_NAMES);
    const lastName = this.random.pick(LAST_NAMES);
    const acceptsMarketing = this.random.chance(0.4);
    return this.withUniqueEmail(firstName, lastName, (email) =>
      this.shop.createCustomer({ firstName, lastName, email, acceptsMarketing }),
    );
  }

  /** Runs `write` with an email address, trying another one while the shop says it is taken. */
  private withUniqueEmail(firstName: string, lastName: string, write: (email: string) => SandboxCustomer): SandboxCustomer {
    const local = [emailPart(firstName), emailPart(lastName)].filter((part) => part !== "").join(".") || "customer";
    const domain = this.random.weighted(EMAIL_DOMAINS);
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? "" : String(this.random.int(2, 99_999));
      try {
        return write(`${local}${suffix}@${domain}`);
      } catch (error) {
        if (!(error instanceof SandboxUserError && error.code === "TAKEN") || attempt > 20) throw error;
      }
    }
  }

  private randomCustomer(): SandboxCustomer {
    const customers = this.shop.customers();
    return customers[this.random.int(0, customers.length - 1)] as SandboxCustomer;
  }

  /** A random order among the most recent ones that passes `test`. */
  private recentOrder(test: (order: SandboxOrder) => boolean): SandboxOrder | null {
    const orders = this.shop.orders();
    const candidates: SandboxOrder[] = [];
    for (let i = orders.length - 1; i >= Math.max(0, orders.length - RECENT_ORDERS); i--) {
      const order = orders[i] as SandboxOrder;
      if (test(order)) candidates.push(order);
    }
    return candidates.length > 0 ? this.random.pick(candidates) : null;
  }

  private event(kind: ActivityKind, customerId: number | null, orderId: number | null, refundId: number | null, description: string): ActivityEvent {
    return { kind, at: shopifyDateTime(this.shop.now()), customerId, orderId, refundId, description };
  }
}
