/**
 * The generated shop's small catalog: a coffee roaster with brewing gear, so regulars have
 * something to re-buy (beans) and one-timers something to buy once (a grinder).
 */
export interface CatalogProduct {
  title: string;
  sku: string;
  handle: string;
  /** Unit price in the shop currency. */
  price: string;
  grams: number;
  /** Relative popularity among all orders. */
  popularity: number;
  /** Bought again and again (beans, filters) rather than once (gear). */
  consumable: boolean;
}

export const CATALOG: readonly CatalogProduct[] = [
  { title: "House Blend Coffee Beans 250g", sku: "BEAN-HOUSE-250", handle: "house-blend", price: "14.00", grams: 250, popularity: 30, consumable: true },
  { title: "House Blend Coffee Beans 1kg", sku: "BEAN-HOUSE-1000", handle: "house-blend", price: "44.00", grams: 1000, popularity: 10, consumable: true },
  { title: "Ethiopia Yirgacheffe 250g", sku: "BEAN-ETH-250", handle: "ethiopia-yirgacheffe", price: "17.50", grams: 250, popularity: 16, consumable: true },
  { title: "Colombia Huila 250g", sku: "BEAN-COL-250", handle: "colombia-huila", price: "16.00", grams: 250, popularity: 14, consumable: true },
  { title: "Decaf Swiss Water 250g", sku: "BEAN-DECAF-250", handle: "decaf-swiss-water", price: "15.00", grams: 250, popularity: 6, consumable: true },
  { title: "Espresso Roast 500g", sku: "BEAN-ESP-500", handle: "espresso-roast", price: "26.00", grams: 500, popularity: 12, consumable: true },
  { title: "Single Origin Sampler", sku: "BEAN-SAMPLER", handle: "single-origin-sampler", price: "32.00", grams: 450, popularity: 5, consumable: true },
  { title: "Earl Grey Loose Leaf Tea 100g", sku: "TEA-EARL-100", handle: "earl-grey", price: "9.50", grams: 100, popularity: 7, consumable: true },
  { title: "Paper Filters (100)", sku: "FILTER-100", handle: "paper-filters", price: "6.00", grams: 120, popularity: 9, consumable: true },
  { title: "Stoneware Mug", sku: "MUG-STONE", handle: "stoneware-mug", price: "18.00", grams: 380, popularity: 6, consumable: false },
  { title: "Pour-Over Dripper", sku: "GEAR-DRIPPER", handle: "pour-over-dripper", price: "29.00", grams: 300, popularity: 4, consumable: false },
  { title: "Gooseneck Kettle", sku: "GEAR-KETTLE", handle: "gooseneck-kettle", price: "64.00", grams: 900, popularity: 2, consumable: false },
  { title: "Burr Grinder", sku: "GEAR-GRINDER", handle: "burr-grinder", price: "119.00", grams: 1800, popularity: 2, consumable: false },
  { title: "French Press 1L", sku: "GEAR-PRESS-1L", handle: "french-press", price: "39.00", grams: 700, popularity: 3, consumable: false },
  { title: "Travel Tumbler", sku: "MUG-TUMBLER", handle: "travel-tumbler", price: "24.00", grams: 320, popularity: 3, consumable: false },
  { title: "Gift Box: Three Origins", sku: "GIFT-3ORIGINS", handle: "gift-box", price: "49.00", grams: 800, popularity: 3, consumable: false },
];

export interface CatalogDiscount {
  code: string;
  title: string;
  value: { percentage: number } | { amount: string };
  /** Only offered to customers tagged VIP. */
  vipOnly: boolean;
  /** Only usable on a customer's first order. */
  firstOrderOnly: boolean;
}

export const DISCOUNTS: readonly CatalogDiscount[] = [
  { code: "WELCOME10", title: "10% off your first order", value: { percentage: 0.1 }, vipOnly: false, firstOrderOnly: true },
  { code: "SAVE15", title: "15% off sitewide", value: { percentage: 0.15 }, vipOnly: false, firstOrderOnly: false },
  { code: "THANKYOU5", title: "5 off your next order", value: { amount: "5.00" }, vipOnly: false, firstOrderOnly: false },
  { code: "VIP20", title: "VIP 20% off", value: { percentage: 0.2 }, vipOnly: true, firstOrderOnly: false },
];

/** Flat shipping below the free-shipping threshold. */
export const SHIPPING_PRICE = "5.95";
export const FREE_SHIPPING_FROM = "60.00";
