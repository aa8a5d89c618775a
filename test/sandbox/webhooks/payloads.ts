/**
 * Webhook payloads as Shopify sends them for API 2026-07: REST-shaped (snake_case, numeric `id`
 * plus `admin_graphql_api_id`, money as strings with `*_set` twins, lower-case enums, times in the
 * shop's offset). Shapes follow Shopify's published examples for each topic; since 2025-01 the
 * customer payload no longer carries `tags` or `email_marketing_consent`, so an app must read
 * those through the Admin API.
 */
import { CATALOG } from "../store/catalog";
import { gid, shopLegacyId, stableHash } from "../store/ids";
import { fromCents, toCents } from "../store/money";
import { discountedUnitCents, lineItemsTotalCents, refundedCents, refundedQuantities } from "../store/order-math";
import type {
  SandboxAddress,
  SandboxBulkOperation,
  SandboxCustomer,
  SandboxLineItem,
  SandboxOrder,
  SandboxRefund,
  SandboxShopInfo,
} from "../store/model";
import type { SandboxShopApi, ShopChange } from "../store/shop-api";
import { shopTime, shopTimeOrNull, timezoneLabel } from "./shop-time";

export interface TopicPayload {
  topic: string;
  payload: object;
}

/**
 * The webhooks Shopify sends for one change: paying an order also updates it, cancelling and
 * refunding too, and an order created already paid is announced as created and as paid.
 * Call it from the change listener: changes carry live objects, and a payload must show the state
 * at the moment of the change.
 */
export function payloadsForChange(shop: SandboxShopApi, change: ShopChange): TopicPayload[] {
  switch (change.kind) {
    case "customer/created":
      return [{ topic: "customers/create", payload: customerPayload(shop, change.customer) }];
    case "customer/updated":
      return [{ topic: "customers/update", payload: customerPayload(shop, change.customer) }];
    case "customer/deleted":
      return [{ topic: "customers/delete", payload: customerDeletePayload(change.customerId) }];
    case "order/created": {
      const payload = orderPayload(shop, change.order);
      return change.order.financialStatus === "PAID"
        ? [{ topic: "orders/create", payload }, { topic: "orders/paid", payload }]
        : [{ topic: "orders/create", payload }];
    }
    case "order/updated":
      return [{ topic: "orders/updated", payload: orderPayload(shop, change.order) }];
    case "order/paid": {
      const payload = orderPayload(shop, change.order);
      return [{ topic: "orders/paid", payload }, { topic: "orders/updated", payload }];
    }
    case "order/cancelled": {
      const payload = orderPayload(shop, change.order);
      return [{ topic: "orders/cancelled", payload }, { topic: "orders/updated", payload }];
    }
    case "refund/created":
      return [
        { topic: "refunds/create", payload: refundPayload(shop, change.order, change.refund) },
        { topic: "orders/updated", payload: orderPayload(shop, change.order) },
      ];
    case "bulk_operation/finished":
      return [{ topic: "bulk_operations/finish", payload: bulkOperationFinishPayload(shop, change.operation) }];
  }
}

// Customers

export function customerPayload(shop: SandboxShopApi, customer: SandboxCustomer) {
  return {
    ...customerSummary(shop, customer),
    addresses: customer.addresses.map((address) => addressPayload(customer, address)),
    default_address: defaultAddress(customer),
  };
}

export type CustomerPayload = ReturnType<typeof customerPayload>;

export function customerDeletePayload(customerId: number) {
  return { id: customerId, tax_exemptions: [] as string[], admin_graphql_api_id: gid("Customer", customerId) };
}

/** The customer as embedded in an order: the same fields minus the address list. */
function orderCustomerPayload(shop: SandboxShopApi, customer: SandboxCustomer) {
  return { ...customerSummary(shop, customer), default_address: defaultAddress(customer) };
}

function customerSummary(shop: SandboxShopApi, customer: SandboxCustomer) {
  const zone = shop.info.ianaTimezone;
  return {
    id: customer.id,
    created_at: shopTime(customer.createdAt, zone),
    updated_at: shopTime(customer.updatedAt, zone),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    email: customer.email,
    phone: customer.phone,
    currency: shop.info.currencyCode,
    tax_exemptions: [] as string[],
    admin_graphql_api_id: gid("Customer", customer.id),
  };
}

function defaultAddress(customer: SandboxCustomer) {
  const address = customer.addresses.find((candidate) => candidate.id === customer.defaultAddressId);
  return address ? addressPayload(customer, address) : null;
}

function addressPayload(customer: SandboxCustomer, address: SandboxAddress) {
  return {
    id: address.id,
    customer_id: customer.id,
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: null,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    country: address.country,
    zip: address.zip,
    phone: address.phone,
    name: fullName(customer),
    province_code: address.provinceCode,
    country_code: address.countryCode,
    country_name: address.country,
    default: address.id === customer.defaultAddressId,
  };
}

// Orders

export function orderPayload(shop: SandboxShopApi, order: SandboxOrder) {
  const info = shop.info;
  const zone = info.ianaTimezone;
  const money = (amount: string) => moneySet(amount, info.currencyCode);
  const customer = order.customerId === null ? undefined : shop.customer(order.customerId);
  const address = customer ? customerDefaultAddress(customer) : undefined;
  const refunded = refundedCents(order);
  const refundedLines = order.refunds.reduce(
    (sum, refund) => sum + refund.refundLineItems.reduce((lines, line) => lines + toCents(line.subtotal), 0),
    0,
  );
  const currentSubtotal = fromCents(Math.max(0, toCents(order.subtotalPrice) - refundedLines));
  const currentTotal = fromCents(Math.max(0, toCents(order.totalPrice) - refunded));
  const outstanding = ["PENDING", "AUTHORIZED", "PARTIALLY_PAID"].includes(order.financialStatus) && !order.cancelledAt;
  const token = hexToken(`order:${order.id}`);
  const discount = discountPayloads(shop, order);
  const inPerson = order.sourceName === "pos";
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingConsent.marketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: shopTimeOrNull(order.cancelledAt, zone),
    cart_token: null,
    checkout_id: null,
    checkout_token: inPerson ? null : hexToken(`checkout:${order.id}`),
    client_details: null,
    closed_at: shopTimeOrNull(order.closedAt, zone),
    confirmation_number: confirmationNumber(order.id),
    confirmed: true,
    contact_email: order.email,
    created_at: shopTime(order.createdAt, zone),
    currency: info.currencyCode,
    current_shipping_price_set: money(order.totalShipping),
    current_subtotal_price: currentSubtotal,
    current_subtotal_price_set: money(currentSubtotal),
    current_total_additional_fees_set: null,
    current_total_discounts: order.totalDiscounts,
    current_total_discounts_set: money(order.totalDiscounts),
    current_total_duties_set: null,
    current_total_price: currentTotal,
    current_total_price_set: money(currentTotal),
    current_total_tax: "0.00",
    current_total_tax_set: money("0.00"),
    customer_locale: customer?.locale ?? "en",
    device_id: null,
    discount_codes: discount.codes,
    duties_included: false,
    email: order.email ?? "",
    estimated_taxes: false,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: fulfillmentStatus(order),
    landing_site: order.landingSite,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: Buffer.from(String(shopLegacyId(info))).toString("base64url"),
    merchant_of_record_app_id: null,
    name: order.name,
    note: null,
    note_attributes: order.customAttributes.map((attribute) => ({ name: attribute.key, value: attribute.value })),
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${info.domain}/${shopLegacyId(info)}/orders/${token}/authenticate?key=${hexToken(`key:${order.id}`)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: paymentGateways(order),
    phone: null,
    po_number: null,
    presentment_currency: info.currencyCode,
    processed_at: shopTime(order.processedAt, zone),
    reference: null,
    referring_site: order.referringSite,
    source_identifier: null,
    source_name: order.sourceName,
    source_url: null,
    subtotal_price: order.subtotalPrice,
    subtotal_price_set: money(order.subtotalPrice),
    tags: order.tags.join(", "),
    tax_exempt: customer?.taxExempt ?? false,
    tax_lines: [] as object[],
    taxes_included: false,
    test: order.test,
    token,
    total_discounts: order.totalDiscounts,
    total_discounts_set: money(order.totalDiscounts),
    total_line_items_price: fromCents(lineItemsTotalCents(order.lineItems)),
    total_line_items_price_set: money(fromCents(lineItemsTotalCents(order.lineItems))),
    total_outstanding: outstanding ? order.totalPrice : "0.00",
    total_price: order.totalPrice,
    total_price_set: money(order.totalPrice),
    total_shipping_price_set: money(order.totalShipping),
    total_tax: order.totalTax,
    total_tax_set: money(order.totalTax),
    total_tip_received: "0.00",
    total_weight: order.lineItems.reduce((sum, item) => sum + gramsOf(item) * item.quantity, 0),
    updated_at: shopTime(order.updatedAt, zone),
    user_id: null,
    billing_address: customer && address ? orderAddress(customer, address) : null,
    customer: customer ? orderCustomerPayload(shop, customer) : null,
    discount_applications: discount.applications,
    fulfillments: [] as object[],
    line_items: order.lineItems.map((item) => lineItemPayload(shop, order, item)),
    payment_terms: null,
    refunds: order.refunds.map((refund) => refundPayload(shop, order, refund)),
    shipping_address: customer && address && !inPerson ? orderAddress(customer, address) : null,
    shipping_lines: inPerson ? [] : [shippingLine(shop, order)],
    returns: [] as object[],
  };
}

export type OrderPayload = ReturnType<typeof orderPayload>;

export function refundPayload(shop: SandboxShopApi, order: SandboxOrder, refund: SandboxRefund) {
  const info = shop.info;
  const zone = info.ianaTimezone;
  const money = (amount: string) => moneySet(amount, info.currencyCode);
  return {
    id: refund.id,
    order_id: order.id,
    created_at: shopTime(refund.createdAt, zone),
    note: refund.note,
    user_id: null,
    processed_at: shopTime(refund.createdAt, zone),
    duties: [] as object[],
    total_duties_set: money("0.00"),
    return: null,
    restock: false,
    refund_shipping_lines: [] as object[],
    admin_graphql_api_id: gid("Refund", refund.id),
    order_adjustments: [] as object[],
    refund_line_items: refund.refundLineItems.map((line, index) => {
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
      return {
        id: childId(refund.id, index + 1),
        quantity: line.quantity,
        line_item_id: line.lineItemId,
        location_id: null,
        restock_type: "no_restock",
        // Shopify sends these two as numbers, unlike every other amount.
        subtotal: Number(line.subtotal),
        total_tax: 0,
        subtotal_set: money(line.subtotal),
        total_tax_set: money("0.00"),
        line_item: item ? lineItemPayload(shop, order, item) : null,
      };
    }),
    transactions: [
      {
        id: childId(refund.id, 99),
        order_id: order.id,
        kind: "refund",
        gateway: paymentGateways(order)[0] ?? "manual",
        status: "success",
        message: null,
        created_at: shopTime(refund.createdAt, zone),
        test: order.test,
        authorization: null,
        location_id: null,
        user_id: null,
        parent_id: null,
        processed_at: shopTime(refund.createdAt, zone),
        device_id: null,
        error_code: null,
        source_name: "web",
        receipt: {},
        amount: refund.totalRefunded,
        currency: info.currencyCode,
        payment_id: `${confirmationNumber(order.id)}.${refund.id % 1000}`,
        manual_payment_gateway: false,
        amount_rounding: null,
        admin_graphql_api_id: gid("OrderTransaction", childId(refund.id, 99)),
      },
    ],
  };
}

export type RefundPayload = ReturnType<typeof refundPayload>;

function lineItemPayload(shop: SandboxShopApi, order: SandboxOrder, item: SandboxLineItem) {
  const currency = shop.info.currencyCode;
  const product = CATALOG.find((candidate) => candidate.sku === item.sku);
  const current = item.quantity - (refundedQuantities(order).get(item.id) ?? 0);
  const allocated = (toCents(item.price) - discountedUnitCents(order, item)) * item.quantity;
  const unfulfilled = order.fulfillmentStatus === "UNFULFILLED" && !order.cancelledAt;
  return {
    id: item.id,
    admin_graphql_api_id: gid("LineItem", item.id),
    attributed_staffs: [] as object[],
    current_quantity: current,
    fulfillable_quantity: unfulfilled ? current : 0,
    fulfillment_service: "manual",
    fulfillment_status: order.fulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
    gift_card: false,
    grams: gramsOf(item),
    name: item.title,
    price: item.price,
    price_set: moneySet(item.price, currency),
    product_exists: product !== undefined,
    product_id: product ? productId(product.handle) : null,
    properties: [] as object[],
    quantity: item.quantity,
    requires_shipping: true,
    sales_line_item_group_id: null,
    sku: item.sku,
    taxable: true,
    title: item.title,
    total_discount: "0.00",
    total_discount_set: moneySet("0.00", currency),
    variant_id: product ? productId(`variant:${item.sku}`) : null,
    variant_inventory_management: product ? "shopify" : null,
    variant_title: null,
    vendor: shop.info.name,
    tax_lines: [] as object[],
    duties: [] as object[],
    discount_allocations:
      allocated > 0
        ? [{ amount: fromCents(allocated), amount_set: moneySet(fromCents(allocated), currency), discount_application_index: 0 }]
        : [],
  };
}

function discountPayloads(shop: SandboxShopApi, order: SandboxOrder) {
  const each = order.discountCodes.length > 0 ? Math.floor(toCents(order.totalDiscounts) / order.discountCodes.length) : 0;
  const known = order.discountCodes.map((code) =>
    shop.discountCodes().find((discount) => discount.code.toLowerCase() === code.toLowerCase()),
  );
  return {
    codes: order.discountCodes.map((code, index) => ({
      code,
      amount: fromCents(each),
      type: known[index] && "percentage" in known[index].value ? "percentage" : "fixed_amount",
    })),
    applications: order.discountCodes.map((code, index) => {
      const value = known[index]?.value;
      return {
        target_type: "line_item",
        type: "discount_code",
        value: value && "percentage" in value ? (value.percentage * 100).toFixed(1) : (value?.amount ?? fromCents(each)),
        value_type: value && "percentage" in value ? "percentage" : "fixed_amount",
        allocation_method: "across",
        target_selection: "all",
        code,
      };
    }),
  };
}

function shippingLine(shop: SandboxShopApi, order: SandboxOrder) {
  const money = moneySet(order.totalShipping, shop.info.currencyCode);
  return {
    id: childId(order.id, 1),
    carrier_identifier: null,
    code: order.totalShipping === "0.00" ? "Free Shipping" : "Standard",
    current_discounted_price_set: money,
    discounted_price: order.totalShipping,
    discounted_price_set: money,
    is_removed: false,
    phone: null,
    price: order.totalShipping,
    price_set: money,
    requested_fulfillment_service_id: null,
    source: "shopify",
    title: order.totalShipping === "0.00" ? "Free Shipping" : "Standard",
    tax_lines: [] as object[],
    discount_allocations: [] as object[],
  };
}

function orderAddress(customer: SandboxCustomer, address: SandboxAddress) {
  return {
    first_name: customer.firstName,
    address1: address.address1,
    phone: address.phone,
    city: address.city,
    zip: address.zip,
    province: address.province,
    country: address.country,
    last_name: customer.lastName,
    address2: address.address2,
    company: null,
    latitude: null,
    longitude: null,
    name: fullName(customer),
    country_code: address.countryCode,
    province_code: address.provinceCode,
  };
}

// Bulk operations

export function bulkOperationFinishPayload(shop: SandboxShopApi, operation: SandboxBulkOperation) {
  const zone = shop.info.ianaTimezone;
  return {
    admin_graphql_api_id: gid("BulkOperation", operation.id),
    completed_at: shopTimeOrNull(operation.completedAt, zone),
    created_at: shopTime(operation.createdAt, zone),
    error_code: operation.errorCode?.toLowerCase() ?? null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}

// App and compliance topics: never triggered by shop changes, sent by hand (dispatcher.send).

/** app/uninstalled carries the shop object. The sandbox keeps no shop address: a fixed one stands in. */
export function appUninstalledPayload(shop: SandboxShopApi) {
  const info = shop.info;
  const zone = info.ianaTimezone;
  const symbol = CURRENCY_SYMBOLS[info.currencyCode];
  const plan = PLANS[info.plan];
  return {
    id: shopLegacyId(info),
    name: info.name,
    email: info.email,
    domain: info.domain,
    province: "New York",
    country: "US",
    address1: "1 Market Street",
    zip: "10001",
    city: "New York",
    source: null,
    phone: "",
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: shopTime(info.createdAt, zone),
    updated_at: shopTime(shop.now().toISOString(), zone),
    country_code: "US",
    country_name: "United States",
    currency: info.currencyCode,
    customer_email: info.email,
    timezone: timezoneLabel(zone, shop.now()),
    iana_timezone: zone,
    shop_owner: "Lifecycle Sandbox",
    money_format: symbol ? `${symbol}{{amount}}` : `{{amount}} ${info.currencyCode}`,
    money_with_currency_format: `${symbol ?? ""}{{amount}} ${info.currencyCode}`,
    weight_unit: "kg",
    province_code: "NY",
    taxes_included: false,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: plan.displayName,
    plan_name: plan.name,
    has_discounts: shop.discountCodes().length > 0,
    has_gift_cards: false,
    myshopify_domain: info.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: symbol ? `${symbol}{{amount}}` : `{{amount}} ${info.currencyCode}`,
    money_with_currency_in_emails_format: `${symbol ?? ""}{{amount}} ${info.currencyCode}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: childId(shopLegacyId(info), 1),
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [info.currencyCode],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

export function appScopesUpdatePayload(shop: SandboxShopApi, scopes: { previous: string[]; current: string[] }) {
  return {
    id: stableHash(`installation:${shop.info.domain}`),
    shop_id: gid("Shop", shopLegacyId(shop.info)),
    previous: scopes.previous,
    current: scopes.current,
    updated_at: shop.now().toISOString(),
  };
}

export interface ComplianceCustomer {
  id: number;
  email: string | null;
  phone: string | null;
}

/** customers/data_request; `orderIds` defaults to the customer's orders still in the shop. */
export function customersDataRequestPayload(
  shop: SandboxShopApi,
  customer: ComplianceCustomer,
  options: { dataRequestId: number; orderIds?: number[] },
) {
  return {
    shop_id: shopLegacyId(shop.info),
    shop_domain: shop.info.domain,
    orders_requested: options.orderIds ?? shop.ordersOfCustomer(customer.id).map((order) => order.id),
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    data_request: { id: options.dataRequestId },
  };
}

/** customers/redact; `orderIds` defaults to the customer's orders still in the shop. */
export function customersRedactPayload(shop: SandboxShopApi, customer: ComplianceCustomer, options: { orderIds?: number[] } = {}) {
  return {
    shop_id: shopLegacyId(shop.info),
    shop_domain: shop.info.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orders_to_redact: options.orderIds ?? shop.ordersOfCustomer(customer.id).map((order) => order.id),
  };
}

export function shopRedactPayload(shop: SandboxShopApi) {
  return { shop_id: shopLegacyId(shop.info), shop_domain: shop.info.domain };
}

// Helpers

const CURRENCY_SYMBOLS: Record<string, string | undefined> = { USD: "$", CAD: "$", AUD: "$", EUR: "€", GBP: "£", PLN: "zł", JPY: "¥" };
const PLANS: Record<SandboxShopInfo["plan"], { name: string; displayName: string }> = {
  BASIC: { name: "basic", displayName: "Basic" },
  STANDARD: { name: "professional", displayName: "Shopify" },
  ADVANCED: { name: "unlimited", displayName: "Advanced" },
  PLUS: { name: "shopify_plus", displayName: "Shopify Plus" },
};

function moneySet(amount: string, currencyCode: string) {
  const money = { amount, currency_code: currencyCode };
  return { shop_money: money, presentment_money: { ...money } };
}

function customerDefaultAddress(customer: SandboxCustomer): SandboxAddress | undefined {
  return customer.addresses.find((address) => address.id === customer.defaultAddressId);
}

function fullName(customer: SandboxCustomer): string {
  return [customer.firstName, customer.lastName].filter((part) => part).join(" ");
}

function fulfillmentStatus(order: SandboxOrder): string | null {
  if (order.fulfillmentStatus === "FULFILLED") return "fulfilled";
  return order.fulfillmentStatus === "PARTIALLY_FULFILLED" ? "partial" : null;
}

function paymentGateways(order: SandboxOrder): string[] {
  if (order.test) return ["bogus"];
  if (order.sourceName === "pos") return ["cash"];
  if (order.financialStatus === "PENDING" || order.financialStatus === "VOIDED" || order.sourceName === "shopify_draft_order") return ["manual"];
  return ["shopify_payments"];
}

function gramsOf(item: SandboxLineItem): number {
  return CATALOG.find((product) => product.sku === item.sku)?.grams ?? 0;
}

/** Ids of objects the sandbox does not store (refund lines, transactions, shipping lines): stable per parent. */
function childId(parentId: number, slot: number): number {
  return parentId * 100 + slot;
}

/** Product ids the way Shopify's look (13 digits), stable per handle. */
function productId(key: string): number {
  return 8_000_000_000_000 + stableHash(key) * 100;
}

/** A 32-character hex token, stable for its seed (order tokens, checkout tokens). */
function hexToken(seed: string): string {
  return [0, 1, 2, 3].map((part) => stableHash(`${seed}:${part}`).toString(16).padStart(8, "0")).join("");
}

/** Shopify's 9-character order confirmation code. */
function confirmationNumber(orderId: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let value = stableHash(`confirmation:${orderId}`) * 32 + (orderId % 32);
  let code = "";
  for (let i = 0; i < 9; i++) {
    code += alphabet[value % alphabet.length];
    value = Math.floor(value / alphabet.length) + stableHash(`${orderId}:${i}`);
  }
  return code;
}
