import { responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import type { SandboxShopApi } from "../../store/shop-api";
import type { SandboxCustomer, SandboxOrder } from "../../store/model";
import { toCents } from "../../store/money";
import {
  booleanTerm,
  compileSearch,
  dateTerm,
  enumTerm,
  listTerm,
  numberTerm,
  textTerm,
  type SearchSpec,
} from "../query-filter";
import type { ResolverContext } from "./context";
import { amountSpentCents, numberOfOrders } from "./customer-stats";

/**
 * Applies a `query` argument, reporting what Shopify would warn about under `extensions.search`.
 * The spec is built only when there is a query: connections are resolved once per row in bulk.
 */
export function searchFilter<T>(
  context: ResolverContext,
  info: GraphQLResolveInfo,
  query: unknown,
  spec: () => SearchSpec<T>,
): (item: T) => boolean {
  const text = typeof query === "string" ? query : null;
  if (!text?.trim()) return () => true;
  const { matches, warnings } = compileSearch(text, spec());
  if (warnings.length > 0) context.searchReports.push({ path: responsePathAsArray(info.path), query: text, warnings });
  return matches;
}

function fullName(customer: SandboxCustomer): string {
  return [customer.firstName, customer.lastName].filter(Boolean).join(" ");
}

function defaultAddressOf(customer: SandboxCustomer) {
  return customer.addresses.find((address) => address.id === customer.defaultAddressId) ?? customer.addresses[0];
}

/** The fields Shopify's `customers(query:)` searches by. */
export function customerSearch(shop: SandboxShopApi): SearchSpec<SandboxCustomer> {
  const created = dateTerm<SandboxCustomer>((customer) => customer.createdAt);
  const spent = numberTerm<SandboxCustomer>((customer) => amountSpentCents(shop, customer.id) / 100);
  return {
    fields: {
      id: numberTerm((customer) => customer.id),
      email: textTerm((customer) => customer.email),
      phone: textTerm((customer) => customer.phone),
      first_name: textTerm((customer) => customer.firstName),
      last_name: textTerm((customer) => customer.lastName),
      tag: listTerm((customer) => customer.tags),
      tag_not: (term) => {
        const has = listTerm<SandboxCustomer>((customer) => customer.tags)(term);
        return typeof has === "function" ? (customer) => !has(customer) : has;
      },
      state: enumTerm((customer) => customer.state, ["disabled", "invited", "enabled", "declined"]),
      accepts_marketing: booleanTerm((customer) => customer.emailMarketingConsent.marketingState === "SUBSCRIBED"),
      country: textTerm((customer) => defaultAddressOf(customer)?.country ?? null),
      created_at: created,
      customer_date: created,
      updated_at: dateTerm((customer) => customer.updatedAt),
      orders_count: numberTerm((customer) => numberOfOrders(shop, customer.id)),
      total_spent: spent,
      amount_spent: spent,
    },
    text: (customer, value) => {
      const wanted = value.toLowerCase();
      return [fullName(customer), customer.email ?? "", customer.phone ?? ""].some((text) => text.toLowerCase().includes(wanted));
    },
  };
}

const FINANCIAL_STATUSES = ["authorized", "expired", "paid", "partially_paid", "partially_refunded", "pending", "refunded", "voided"];

/** The fields Shopify's `orders(query:)` searches by. */
export function orderSearch(): SearchSpec<SandboxOrder> {
  return {
    fields: {
      id: numberTerm((order) => order.id),
      name: (term) => {
        const wanted = term.value.replace(/^#/, "");
        return (order) => String(order.number) === wanted;
      },
      email: textTerm((order) => order.email),
      customer_id: numberTerm((order) => order.customerId ?? -1),
      tag: listTerm((order) => order.tags),
      tag_not: (term) => {
        const has = listTerm<SandboxOrder>((order) => order.tags)(term);
        return typeof has === "function" ? (order) => !has(order) : has;
      },
      discount_code: listTerm((order) => order.discountCodes),
      sku: listTerm((order) => order.lineItems.map((item) => item.sku)),
      source_name: textTerm((order) => order.sourceName),
      test: booleanTerm((order) => order.test),
      financial_status: enumTerm((order) => order.financialStatus, FINANCIAL_STATUSES),
      fulfillment_status: (term) => {
        const wanted = term.value.toLowerCase();
        const statuses: Record<string, SandboxOrder["fulfillmentStatus"][]> = {
          shipped: ["FULFILLED"],
          fulfilled: ["FULFILLED"],
          unshipped: ["UNFULFILLED"],
          unfulfilled: ["UNFULFILLED"],
          partial: ["PARTIALLY_FULFILLED"],
          any: ["FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED"],
        };
        const allowed = statuses[wanted];
        if (!allowed) return { invalid: `Invalid value: ${term.value}` };
        return (order) => allowed.includes(order.fulfillmentStatus);
      },
      status: (term) => {
        const wanted = term.value.toLowerCase();
        if (wanted === "any") return () => true;
        if (wanted === "open") return (order) => order.closedAt === null && order.cancelledAt === null;
        if (wanted === "closed") return (order) => order.closedAt !== null;
        if (wanted === "cancelled") return (order) => order.cancelledAt !== null;
        return { invalid: `Invalid value: ${term.value}` };
      },
      total_price: numberTerm((order) => toCents(order.totalPrice) / 100),
      created_at: dateTerm((order) => order.createdAt),
      processed_at: dateTerm((order) => order.processedAt),
      updated_at: dateTerm((order) => order.updatedAt),
    },
    text: (order, value) => {
      const wanted = value.toLowerCase().replace(/^#/, "");
      return String(order.number) === wanted || (order.email ?? "").toLowerCase().includes(wanted);
    },
  };
}
