/**
 * A seeded, realistic shop: prospects, one-time buyers, repeat buyers and regulars with their own
 * rhythm, lapsed and returning customers, refunds, cancellations, pending payments and test orders
 * over three years. Deterministic for (seed, customers, now); the knobs are in generate-profile.ts.
 *
 * It works in three passes so ids can ascend with creation time, as Shopify's do:
 * 1. plan: who buys when (numbers only),
 * 2. fates: what happens to each order (paid, pending, refunded, cancelled, fulfilled),
 * 3. materialise: walk every creation in time order, assigning ids and building the objects.
 */
import { CATALOG, DISCOUNTS } from "./catalog";
import { GENERATION_PROFILE as PROFILE } from "./generate-profile";
import { emptyShopData } from "./shop";
import { fromCents, toCents } from "./money";
import { orderContent, pickProduct } from "./order-content";
import { COUNTRIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, STREETS, emailPart, type Country } from "./names";
import { discountedUnitCents, orderTotals, statusAfterRefunds } from "./order-math";
import { Random } from "./random";
import { sortTags } from "./tags";
import { dateTimeFromSeconds } from "./time";
import type {
  CancelReason,
  MarketingState,
  SandboxAddress,
  SandboxCustomer,
  SandboxDiscountCode,
  SandboxLineItem,
  SandboxOrder,
  SandboxRefund,
  SandboxSegment,
  SandboxShopData,
} from "./model";

export interface GenerateShopOptions {
  seed: number;
  customers: number;
  now: Date | string;
  domain?: string;
  name?: string;
  currencyCode?: string;
}

export class GenerateOptionsError extends Error {
  override readonly name = "GenerateOptionsError";
}

const DAY = 86_400;
const HOUR = 3_600;
// The largest Shopify stores have millions of customers; the benchmarks go to 1,000,000.
const MAX_CUSTOMERS = 2_000_000;
/**
 * Event keys pack (seconds since the earliest event, event index) into one float: the index takes
 * the low 24 bits, which leaves 2^29 seconds (17 years) of history below 2^53.
 */
const EVENT_INDEX_BITS = 2 ** 24;

type Persona = "prospect" | "oneTime" | "few" | "regular";
type Pattern = "active" | "lapsed" | "returning";

interface CustomerPlan {
  persona: Persona;
  createdAt: number;
  /** When this customer orders, in seconds, ascending. */
  orderTimes: number[];
  /** Index in CATALOG of what this customer re-buys, or -1. */
  favourite: number;
}

const enum Payment {
  Paid,
  Pending,
  /** Never paid, then cancelled: VOIDED. */
  VoidedByCancel,
}

const enum RefundKind {
  None,
  Full,
  Partial,
  /** The full refund a paid order gets when it is cancelled. */
  Cancellation,
}

/** Everything decided about the orders before any object exists, in flat arrays to stay small. */
interface OrderPlans {
  time: number[];
  /** Index of the customer plan, or -1 for a guest order. */
  customer: number[];
  payment: Uint8Array;
  test: Uint8Array;
  cancelAt: Float64Array;
  refundAt: Float64Array;
  refundKind: Uint8Array;
  fulfilledAt: Float64Array;
}

export function generateShopData(options: GenerateShopOptions): SandboxShopData {
  const nowDate = new Date(options.now);
  if (Number.isNaN(nowDate.getTime())) throw new GenerateOptionsError(`now is not a date: ${String(options.now)}`);
  if (!Number.isInteger(options.customers) || options.customers < 1 || options.customers > MAX_CUSTOMERS) {
    throw new GenerateOptionsError(`customers must be a whole number from 1 to ${MAX_CUSTOMERS}`);
  }
  const now = Math.floor(nowDate.getTime() / 1000);
  const start = now - PROFILE.historyDays * DAY;
  const root = new Random(options.seed);
  const planRandom = root.fork(1);
  const fateRandom = root.fork(2);
  const buildRandom = root.fork(3);

  const customerPlans = planCustomers(planRandom, options.customers, start, now);
  const orders = planOrders(planRandom, customerPlans, start, now);
  decideFates(fateRandom, orders, now);

  const domain = options.domain ?? "lifecycle-demo.myshopify.com";
  const shopCreatedAt = start - 14 * DAY;
  const data: SandboxShopData = {
    ...emptyShopData({
      domain,
      name: options.name ?? "Lifecycle Demo Roasters",
      email: `owner@${domain.replace(/\.myshopify\.com$/, "")}.example`,
      currencyCode: options.currencyCode ?? "USD",
      ianaTimezone: "America/New_York",
      plan: "STANDARD",
      createdAt: dateTimeFromSeconds(shopCreatedAt),
    }),
    generatedFrom: { seed: options.seed, customers: options.customers, now: nowDate.toISOString() },
  };
  const ids = { next: () => data.nextId++ };
  data.discountCodes = DISCOUNTS.map((discount) => discountCode(discount, ids.next(), shopCreatedAt));
  data.segments = defaultSegments(ids, shopCreatedAt);

  materialise(buildRandom, data, ids, customerPlans, orders, now);
  return data;
}

// Pass 1: plan

function planCustomers(random: Random, count: number, start: number, now: number): CustomerPlan[] {
  const plans: CustomerPlan[] = [];
  for (let i = 0; i < count; i++) {
    const persona = random.weighted<Persona>([
      ["prospect", PROFILE.personas.prospect],
      ["oneTime", PROFILE.personas.oneTime],
      ["few", PROFILE.personas.few],
      ["regular", PROFILE.personas.regular],
    ]);
    const repeat = persona === "few" || persona === "regular";
    const roll = random.next();
    const pattern: Pattern = !repeat
      ? "active"
      : roll < PROFILE.lapsedShare
        ? "lapsed"
        : roll < PROFILE.lapsedShare + PROFILE.returningShare
          ? "returning"
          : "active";
    const times = orderTimes(random, persona, pattern, start, now);
    const first = times[0];
    const createdAt =
      first === undefined
        ? grownTime(random, start, now)
        : random.chance(PROFILE.earlySignupShare)
          ? Math.min(first - 60, Math.max(start, first - Math.round(random.between(1, PROFILE.earlySignupMaxDays) * DAY)))
          : first - random.int(60, 30 * 60);
    const favourite = repeat ? pickProduct(random, true) : -1;
    plans.push({ persona, createdAt, orderTimes: times, favourite });
  }
  return plans;
}

/** When a customer orders, in seconds, ascending, none after now. */
function orderTimes(random: Random, persona: Persona, pattern: Pattern, start: number, now: number): number[] {
  switch (persona) {
    case "prospect":
      return [];
    case "oneTime":
      return [grownTime(random, start, now)];
    case "few": {
      const count = () => random.int(PROFILE.few.minOrders, PROFILE.few.maxOrders);
      const gap = () => Math.max(PROFILE.few.minGapDays, random.exponential(PROFILE.few.meanGapDays)) * DAY;
      return timesForPattern(random, pattern, count, gap, start, now);
    }
    case "regular": {
      const rhythm =
        clamp(
          PROFILE.regular.medianGapDays * Math.exp(random.normal(0, PROFILE.regular.gapSpread)),
          PROFILE.regular.minGapDays,
          PROFILE.regular.maxGapDays,
        ) * DAY;
      const gap = () => Math.max(PROFILE.regular.minGapDays * DAY, rhythm * (1 + random.normal(0, PROFILE.regular.jitter)));
      // As many orders as the rhythm fits between joining and the last order.
      const count = (last: number) =>
        clamp(Math.floor((last - grownTime(random, start, last)) / rhythm) + 1, PROFILE.regular.minOrders, PROFILE.regular.maxOrders);
      return timesForPattern(random, pattern, count, gap, start, now, rhythm);
    }
  }
}

function timesForPattern(
  random: Random,
  pattern: Pattern,
  count: (last: number) => number,
  gap: () => number,
  start: number,
  now: number,
  rhythm?: number,
): number[] {
  switch (pattern) {
    case "active": {
      // A regular's last order is within one rhythm of now; other buyers' last order is anywhere.
      const last = rhythm === undefined ? grownTime(random, start, now) : now - random.between(0, rhythm);
      return sequenceEndingAt(last, count(last), gap, start);
    }
    case "lapsed": {
      const silence = random.between(PROFILE.lapsedSilenceDays.min, PROFILE.lapsedSilenceDays.max) * DAY;
      const last = Math.max(start + DAY, now - silence);
      return sequenceEndingAt(last, count(last), gap, start);
    }
    case "returning": {
      const lastRecent = now - random.between(0, PROFILE.returningRecentDays) * DAY;
      const total = count(lastRecent);
      const recentCount = Math.min(total - 1, random.int(1, 3));
      const recent = sequenceEndingAt(lastRecent, recentCount, gap, now - PROFILE.returningRecentDays * 2 * DAY);
      const silence = random.between(PROFILE.returningGapDays.min, PROFILE.returningGapDays.max) * DAY;
      const earlier = sequenceEndingAt(Math.max(start + DAY, (recent[0] ?? lastRecent) - silence), total - recentCount, gap, start);
      return [...earlier, ...recent];
    }
  }
}

/** `count` order times ending at `last`, walking back by `gap()`; squeezed to start no earlier than `floor`. */
function sequenceEndingAt(last: number, count: number, gap: () => number, floor: number): number[] {
  const gaps: number[] = [];
  let span = 0;
  for (let i = 1; i < count; i++) {
    const next = gap();
    gaps.push(next);
    span += next;
  }
  const scale = last - span < floor ? (last - floor) / span : 1;
  const times = [Math.round(last)];
  for (const each of gaps) times.unshift(Math.round((times[0] as number) - Math.max(60, each * scale)));
  return times;
}

/** A time in [start, end], more likely recent: the shop grew. */
function grownTime(random: Random, start: number, end: number): number {
  return Math.round(start + (end - start) * random.next() ** (1 / PROFILE.growth));
}

function planOrders(random: Random, plans: CustomerPlan[], start: number, now: number): OrderPlans {
  const time: number[] = [];
  const customer: number[] = [];
  plans.forEach((plan, index) => {
    for (const at of plan.orderTimes) {
      time.push(at);
      customer.push(index);
    }
  });
  const guests = Math.round(time.length * PROFILE.guestOrderShare);
  for (let i = 0; i < guests; i++) {
    time.push(grownTime(random, start, now));
    customer.push(-1);
  }
  const count = time.length;
  return {
    time,
    customer,
    payment: new Uint8Array(count),
    test: new Uint8Array(count),
    cancelAt: new Float64Array(count),
    refundAt: new Float64Array(count),
    refundKind: new Uint8Array(count),
    fulfilledAt: new Float64Array(count),
  };
}

// Pass 2: fates

function decideFates(random: Random, orders: OrderPlans, now: number): void {
  for (let i = 0; i < orders.time.length; i++) {
    const at = orders.time[i] as number;
    orders.test[i] = random.chance(PROFILE.testOrderShare) ? 1 : 0;
    if (now - at < PROFILE.pendingWithinDays * DAY && random.chance(PROFILE.pendingShare)) {
      orders.payment[i] = Payment.Pending;
      continue;
    }
    const cancelRoll = random.next();
    if (cancelRoll < PROFILE.unpaidCancelShare) {
      const cancelAt = Math.round(at + random.between(2, 10) * DAY);
      orders.payment[i] = cancelAt <= now ? Payment.VoidedByCancel : Payment.Pending;
      if (cancelAt <= now) orders.cancelAt[i] = cancelAt;
      continue;
    }
    orders.payment[i] = Payment.Paid;
    if (cancelRoll < PROFILE.unpaidCancelShare + PROFILE.paidCancelShare) {
      const cancelAt = Math.round(at + random.between(0.5, 48) * HOUR);
      if (cancelAt <= now) {
        orders.cancelAt[i] = cancelAt;
        orders.refundAt[i] = cancelAt;
        orders.refundKind[i] = RefundKind.Cancellation;
        continue;
      }
    }
    const fulfilledAt = Math.round(at + random.between(PROFILE.fulfilmentDays.min, PROFILE.fulfilmentDays.max) * DAY);
    if (fulfilledAt <= now) orders.fulfilledAt[i] = fulfilledAt;
    if (random.chance(PROFILE.refundShare)) {
      const refundAt = Math.round(at + random.between(3, 40) * DAY);
      if (refundAt <= now) {
        orders.refundAt[i] = refundAt;
        orders.refundKind[i] = random.chance(PROFILE.fullRefundShare) ? RefundKind.Full : RefundKind.Partial;
      }
    }
  }
}

// Pass 3: materialise, in creation order

function materialise(
  random: Random,
  data: SandboxShopData,
  ids: { next: () => number },
  plans: CustomerPlan[],
  orders: OrderPlans,
  now: number,
): void {
  const orderCount = orders.time.length;
  const refundIndexes: number[] = [];
  for (let i = 0; i < orderCount; i++) if (orders.refundKind[i] !== RefundKind.None) refundIndexes.push(i);
  const eventCount = plans.length + orderCount + refundIndexes.length;
  if (eventCount >= EVENT_INDEX_BITS) throw new GenerateOptionsError("Too many objects to order by time");

  // Sorting packed keys (time, then index) in a typed array is what keeps 100,000 customers fast.
  let earliest = now;
  for (const plan of plans) earliest = Math.min(earliest, plan.createdAt);
  for (let i = 0; i < orderCount; i++) earliest = Math.min(earliest, orders.time[i] as number);
  if ((now - earliest + 1) * EVENT_INDEX_BITS > Number.MAX_SAFE_INTEGER) throw new GenerateOptionsError("History too long to order by time");
  const keys = new Float64Array(eventCount);
  let event = 0;
  for (const plan of plans) keys[event] = (plan.createdAt - earliest) * EVENT_INDEX_BITS + event++;
  for (let i = 0; i < orderCount; i++) keys[event] = ((orders.time[i] as number) - earliest) * EVENT_INDEX_BITS + event++;
  for (const index of refundIndexes) keys[event] = ((orders.refundAt[index] as number) - earliest) * EVENT_INDEX_BITS + event++;
  keys.sort();

  const people = new People(random);
  const customers: SandboxCustomer[] = new Array(plans.length);
  const orderObjects: SandboxOrder[] = new Array(orderCount);
  const ordersSoFar = new Uint16Array(plans.length);
  const firstOrder = plans.length;
  const firstRefund = plans.length + orderCount;
  for (const key of keys) {
    const index = key % EVENT_INDEX_BITS;
    if (index < firstOrder) {
      const customer = people.customer(ids, plans[index] as CustomerPlan, now);
      customers[index] = customer;
      data.customers.push(customer);
    } else if (index < firstRefund) {
      const orderIndex = index - firstOrder;
      const customerIndex = orders.customer[orderIndex] as number;
      const customer = customerIndex < 0 ? null : (customers[customerIndex] as SandboxCustomer);
      const plan = customerIndex < 0 ? null : (plans[customerIndex] as CustomerPlan);
      const nth = customerIndex < 0 ? 0 : (ordersSoFar[customerIndex] ?? 0);
      if (customerIndex >= 0) ordersSoFar[customerIndex] = nth + 1;
      const order = buildOrder(random, ids, data, orders, orderIndex, customer, plan, nth);
      orderObjects[orderIndex] = order;
      data.orders.push(order);
    } else {
      const orderIndex = refundIndexes[index - firstRefund] as number;
      const order = orderObjects[orderIndex] as SandboxOrder;
      order.refunds.push(buildRefund(random, ids, order, orders.refundKind[orderIndex] as RefundKind, orders.refundAt[orderIndex] as number));
      order.financialStatus = statusAfterRefunds(order);
    }
  }
}

/** Customers: names, unique emails and phones, addresses, consent, tags. */
class People {
  private readonly emails = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly countries = COUNTRIES;

  constructor(private readonly random: Random) {}

  customer(ids: { next: () => number }, plan: CustomerPlan, now: number): SandboxCustomer {
    const random = this.random;
    const id = ids.next();
    const country = random.weighted(this.countries);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const phoneOnly = random.chance(PROFILE.phoneOnlyShare);
    const email = phoneOnly ? null : this.uniqueEmail(firstName, lastName);
    const phone = phoneOnly || random.chance(PROFILE.phoneShare) ? this.uniquePhone(country) : null;
    const address = plan.persona !== "prospect" || random.chance(PROFILE.prospectAddressShare) ? this.address(ids.next(), country, phone) : null;
    const consent = email ? this.consent(plan.createdAt, now) : { marketingState: "NOT_SUBSCRIBED" as const, marketingOptInLevel: null, consentUpdatedAt: null };
    const consentAt = consent.consentUpdatedAt ? new Date(consent.consentUpdatedAt).getTime() / 1000 : 0;
    return {
      id,
      firstName,
      lastName,
      email,
      phone,
      locale: random.weighted(country.locales),
      state: random.weighted(PROFILE.accountStates),
      verifiedEmail: email !== null && random.chance(0.97),
      taxExempt: false,
      note: random.chance(PROFILE.noteShare) ? random.pick(["Prefers whole beans", "Gift wrapping please", "Met at the Saturday market"]) : null,
      tags: this.tags(plan, consent.marketingState),
      emailMarketingConsent: consent,
      addresses: address ? [address] : [],
      defaultAddressId: address?.id ?? null,
      createdAt: dateTimeFromSeconds(plan.createdAt),
      updatedAt: dateTimeFromSeconds(Math.max(plan.createdAt, consentAt)),
    };
  }

  private uniqueEmail(firstName: string, lastName: string): string {
    const random = this.random;
    const first = emailPart(firstName);
    const last = emailPart(lastName);
    const local = random.weighted<() => string>([
      [() => `${first}.${last}`, 40],
      [() => `${first}${last}`, 20],
      [() => `${first.charAt(0)}${last}`, 15],
      [() => `${first}.${last}${random.int(1, 99)}`, 15],
      [() => `${first}_${last}`, 10],
    ])();
    const domain = random.weighted(EMAIL_DOMAINS);
    // join() gives one flat string instead of a chain of pieces: fewer objects per customer.
    let email = [local, "@", domain].join("");
    for (let suffix = 2; this.emails.has(email); suffix++) email = [local, suffix, "@", domain].join("");
    this.emails.add(email);
    return email;
  }

  private uniquePhone(country: Country): string {
    let phone: string;
    do phone = `+${country.callingCode}${this.random.int(2, 9)}${String(this.random.int(0, 999_999_999)).padStart(9, "0")}`;
    while (this.phones.has(phone));
    this.phones.add(phone);
    return phone;
  }

  private address(id: number, country: Country, phone: string | null): SandboxAddress {
    const random = this.random;
    const place = random.pick(country.places);
    return {
      id,
      address1: `${random.int(1, 980)} ${random.pick(STREETS)}`,
      address2: random.chance(0.15) ? `Apt ${random.int(1, 40)}` : null,
      city: place.city,
      province: place.province,
      provinceCode: place.provinceCode,
      country: country.country,
      countryCode: country.countryCode,
      zip: country.zip.replace(/[9A]/g, (slot) => (slot === "9" ? String(random.int(0, 9)) : String.fromCharCode(65 + random.int(0, 25)))),
      phone,
    };
  }

  private consent(createdAt: number, now: number): SandboxCustomer["emailMarketingConsent"] {
    const random = this.random;
    const state = random.weighted<MarketingState>(PROFILE.marketing);
    if (state === "NOT_SUBSCRIBED") return { marketingState: state, marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null };
    const at = state === "UNSUBSCRIBED" ? Math.round(random.between(createdAt, now)) : createdAt;
    return {
      marketingState: state,
      marketingOptInLevel: state === "PENDING" || random.chance(PROFILE.confirmedOptInShare) ? "CONFIRMED_OPT_IN" : "SINGLE_OPT_IN",
      consentUpdatedAt: dateTimeFromSeconds(at),
    };
  }

  private tags(plan: CustomerPlan, marketing: MarketingState): string[] {
    const random = this.random;
    const tags: string[] = [];
    const buyer = plan.persona !== "prospect";
    if (plan.persona === "regular" && plan.orderTimes.length >= PROFILE.tags.vipMinOrders && random.chance(PROFILE.tags.vipShare)) tags.push("VIP");
    if (buyer && random.chance(PROFILE.tags.wholesaleShare)) tags.push("wholesale");
    if (marketing === "SUBSCRIBED" && random.chance(PROFILE.tags.newsletterShare)) tags.push("newsletter");
    if (buyer && random.chance(PROFILE.tags.shopLoginShare)) tags.push("Login with Shop");
    if (random.chance(PROFILE.tags.influencerShare)) tags.push("influencer");
    return sortTags(tags);
  }
}

const CANCEL_REASONS: readonly (readonly [CancelReason, number])[] = [
  ["CUSTOMER", 55],
  ["INVENTORY", 15],
  ["FRAUD", 10],
  ["DECLINED", 10],
  ["OTHER", 10],
];
const UNPAID_CANCEL_REASONS: readonly (readonly [CancelReason, number])[] = [
  ["DECLINED", 60],
  ["OTHER", 40],
];

function buildOrder(
  random: Random,
  ids: { next: () => number },
  data: SandboxShopData,
  plans: OrderPlans,
  index: number,
  customer: SandboxCustomer | null,
  plan: CustomerPlan | null,
  nth: number,
): SandboxOrder {
  const id = ids.next();
  const number = data.nextOrderNumber++;
  const source = random.weighted(PROFILE.sources);
  const inPerson = source === "pos";
  const buyer = { favourite: plan?.favourite ?? -1, firstOrder: nth === 0, vip: customer?.tags.includes("VIP") ?? false };
  const content = orderContent(random, buyer, inPerson);
  const lineItems = content.picks.map(({ product, quantity }) => ({
    id: ids.next(),
    title: product.title,
    sku: product.sku,
    quantity,
    price: product.price,
  }));
  const createdAt = plans.time[index] as number;
  const cancelAt = plans.cancelAt[index] as number;
  const fulfilledAt = plans.fulfilledAt[index] as number;
  const payment = plans.payment[index] as Payment;
  const created = dateTimeFromSeconds(createdAt);
  const totals = orderTotals(lineItems, content.discountCents, content.shippingCents);
  return {
    id,
    name: `#${number}`,
    number,
    customerId: customer?.id ?? null,
    email: customer?.email ?? null,
    createdAt: created,
    processedAt: created,
    updatedAt: dateTimeFromSeconds(Math.max(createdAt, cancelAt, fulfilledAt, plans.refundAt[index] as number)),
    cancelledAt: cancelAt ? dateTimeFromSeconds(cancelAt) : null,
    cancelReason: cancelAt ? random.weighted(payment === Payment.VoidedByCancel ? UNPAID_CANCEL_REASONS : CANCEL_REASONS) : null,
    closedAt: cancelAt ? dateTimeFromSeconds(cancelAt) : fulfilledAt ? dateTimeFromSeconds(fulfilledAt) : null,
    test: plans.test[index] === 1,
    financialStatus: payment === Payment.Pending ? "PENDING" : payment === Payment.VoidedByCancel ? "VOIDED" : "PAID",
    fulfillmentStatus: fulfilledAt ? "FULFILLED" : "UNFULFILLED",
    lineItems,
    subtotalPrice: totals.subtotalPrice,
    totalDiscounts: totals.totalDiscounts,
    totalShipping: totals.totalShipping,
    totalTax: totals.totalTax,
    totalPrice: totals.totalPrice,
    discountCodes: content.discountCode ? [content.discountCode] : [],
    customAttributes: random.chance(PROFILE.giftMessageShare)
      ? [{ key: "gift_message", value: random.pick(["Happy birthday!", "Enjoy the beans ☕", "Thank you for everything"]) }]
      : [],
    landingSite: inPerson ? null : landingSite(random, lineItems),
    referringSite: inPerson ? null : random.weighted(PROFILE.referrers),
    sourceName: source,
    tags: [],
    refunds: [],
  };
}

/** Built once: a fresh "/products/…" string per order would be 300,000 copies of the same few. */
const PRODUCT_PAGES = new Map(CATALOG.map((product) => [product.sku, `/products/${product.handle}`]));

function landingSite(random: Random, lineItems: SandboxLineItem[]): string {
  return random.weighted([
    ["/", 40],
    [PRODUCT_PAGES.get(lineItems[0]?.sku ?? "") ?? "/", 30],
    ["/collections/all", 10],
    ["/?utm_source=newsletter&utm_medium=email&utm_campaign=monthly", 12],
    ["/?utm_source=instagram&utm_medium=social", 8],
  ]);
}

function buildRefund(random: Random, ids: { next: () => number }, order: SandboxOrder, kind: RefundKind, at: number): SandboxRefund {
  const id = ids.next();
  const base = { id, orderId: order.id, createdAt: dateTimeFromSeconds(at) };
  const units = order.lineItems.reduce((sum, item) => sum + item.quantity, 0);
  if (kind === RefundKind.Full || kind === RefundKind.Cancellation) {
    return {
      ...base,
      note: kind === RefundKind.Cancellation ? "Order cancelled" : random.pick(["Returned", "Damaged in transit", "Not as described"]),
      totalRefunded: order.totalPrice,
      refundLineItems: order.lineItems.map((item) => ({
        lineItemId: item.id,
        quantity: item.quantity,
        subtotal: fromCents(discountedUnitCents(order, item) * item.quantity),
      })),
    };
  }
  // Partial: one unit back when there are several, otherwise a goodwill amount.
  if (units > 1 && random.chance(0.7)) {
    const item = random.pick(order.lineItems);
    const subtotal = fromCents(discountedUnitCents(order, item));
    return { ...base, note: random.pick(["Damaged item", "Missing item", "Wrong grind"]), totalRefunded: subtotal, refundLineItems: [{ lineItemId: item.id, quantity: 1, subtotal }] };
  }
  const goodwill = Math.max(100, Math.round((toCents(order.subtotalPrice) * random.between(0.1, 0.3)) / 50) * 50);
  return { ...base, note: "Goodwill gesture", totalRefunded: fromCents(Math.min(goodwill, toCents(order.totalPrice) - 1)), refundLineItems: [] };
}

function discountCode(discount: (typeof DISCOUNTS)[number], id: number, createdAt: number): SandboxDiscountCode {
  return {
    id,
    title: discount.title,
    code: discount.code,
    customerIds: [],
    segmentIds: [],
    value: discount.value,
    usageLimit: null,
    appliesOncePerCustomer: discount.firstOrderOnly,
    startsAt: dateTimeFromSeconds(createdAt),
    endsAt: null,
    createdAt: dateTimeFromSeconds(createdAt),
  };
}

/** The segments every Shopify shop starts with. */
function defaultSegments(ids: { next: () => number }, createdAt: number): SandboxSegment[] {
  const at = dateTimeFromSeconds(createdAt);
  return [
    ["Email subscribers", "customer_email_subscription_status = 'SUBSCRIBED'"],
    ["Customers who have purchased at least once", "number_of_orders >= 1"],
    ["Customers who have purchased more than once", "number_of_orders > 1"],
    ["Customers who haven't purchased", "number_of_orders = 0"],
  ].map(([name, query]) => ({ id: ids.next(), name: name as string, query: query as string, creationDate: at, lastEditDate: at }));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
