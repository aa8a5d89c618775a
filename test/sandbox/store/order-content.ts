/**
 * What goes into an order (products, quantities, discount, shipping), shared by the generator and
 * store activity so both produce the same kind of baskets.
 */
import { CATALOG, DISCOUNTS, FREE_SHIPPING_FROM, SHIPPING_PRICE, type CatalogProduct } from "./catalog";
import { GENERATION_PROFILE as PROFILE } from "./generate-profile";
import { toCents } from "./money";
import type { Random } from "./random";

export interface Buyer {
  /** Index in CATALOG of the product this buyer re-buys, or -1. */
  favourite: number;
  firstOrder: boolean;
  vip: boolean;
}

export interface OrderContent {
  picks: { product: CatalogProduct; quantity: number }[];
  discountCode: string | null;
  discountCents: number;
  shippingCents: number;
}

const PRODUCT_WEIGHTS = CATALOG.map((product, index) => [index, product.popularity] as const);
const CONSUMABLE_WEIGHTS = PRODUCT_WEIGHTS.filter(([index]) => (CATALOG[index] as CatalogProduct).consumable);
const PRICE_CENTS = CATALOG.map((product) => toCents(product.price));
const DISCOUNT_BY_CODE = new Map(DISCOUNTS.map((discount) => [discount.code, discount]));
const SHIPPING_CENTS = toCents(SHIPPING_PRICE);
const FREE_SHIPPING_CENTS = toCents(FREE_SHIPPING_FROM);

/** A product index, by popularity; consumables only for a buyer's favourite. */
export function pickProduct(random: Random, consumableOnly: boolean): number {
  return random.weighted(consumableOnly ? CONSUMABLE_WEIGHTS : PRODUCT_WEIGHTS);
}

export function orderContent(random: Random, buyer: Buyer, inPerson: boolean): OrderContent {
  const picks: OrderContent["picks"] = [];
  let lineTotal = 0;
  const lines = random.weighted(PROFILE.lineCount);
  for (let i = 0; i < lines; i++) {
    const index = buyer.favourite >= 0 && random.chance(PROFILE.regular.favouriteShare) ? buyer.favourite : pickProduct(random, false);
    const product = CATALOG[index] as CatalogProduct;
    const quantity = random.weighted(PROFILE.quantity);
    lineTotal += (PRICE_CENTS[index] as number) * quantity;
    const same = picks.find((pick) => pick.product === product);
    if (same) same.quantity += quantity;
    else picks.push({ product, quantity });
  }
  const discountCode = random.chance(PROFILE.discountShare) ? chooseDiscount(random, buyer) : null;
  const discount = discountCode ? DISCOUNT_BY_CODE.get(discountCode) : undefined;
  const discountCents = !discount
    ? 0
    : "percentage" in discount.value
      ? Math.round(lineTotal * discount.value.percentage)
      : Math.min(lineTotal, toCents(discount.value.amount));
  const shippingCents = inPerson || lineTotal - discountCents >= FREE_SHIPPING_CENTS ? 0 : SHIPPING_CENTS;
  return { picks, discountCode, discountCents, shippingCents };
}

function chooseDiscount(random: Random, buyer: Buyer): string {
  if (buyer.firstOrder && random.chance(0.7)) return "WELCOME10";
  if (buyer.vip && random.chance(0.6)) return "VIP20";
  return random.weighted([["SAVE15", 60], ["THANKYOU5", 40]]);
}
