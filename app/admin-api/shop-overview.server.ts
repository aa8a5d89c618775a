import type { ShopOverviewQuery } from "~/types/admin.generated";
import type { AdminApi } from "./client.server";

export const SHOP_OVERVIEW_QUERY = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
    customersCount(limit: null) {
      count
      precision
    }
    ordersCount(limit: null) {
      count
      precision
    }
  }
`;

export function fetchShopOverview(api: AdminApi): Promise<ShopOverviewQuery> {
  return api.request<ShopOverviewQuery>(SHOP_OVERVIEW_QUERY);
}
