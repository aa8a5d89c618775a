import type { AdminApi } from "./client.server";

export const SHOP_OVERVIEW_QUERY = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
    customersCount {
      count
      precision
    }
    ordersCount(limit: null) {
      count
      precision
    }
  }
`;

export interface ShopOverview {
  shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string };
  customersCount: { count: number; precision: "EXACT" | "AT_LEAST" } | null;
  ordersCount: { count: number; precision: "EXACT" | "AT_LEAST" } | null;
}

export function fetchShopOverview(api: AdminApi): Promise<ShopOverview> {
  return api.request<ShopOverview>(SHOP_OVERVIEW_QUERY);
}
