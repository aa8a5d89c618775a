import type { SyncOrderRefundsQuery, SyncOrdersPageQuery } from "~/types/admin.generated";
import type { AdminApi } from "./client.server";

export const SYNC_ORDERS_PAGE_QUERY = `#graphql
  query SyncOrdersPage($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        createdAt
        processedAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        test
        subtotalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        discountCodes
        customAttributes {
          key
          value
        }
        customerJourneySummary {
          lastVisit {
            landingPage
          }
        }
        customer {
          id
        }
        refunds {
          id
          createdAt
          totalRefundedSet {
            shopMoney {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;

// refunds/create does not carry amounts in shop money; the order's refunds as GraphQL reports them do.
export const SYNC_ORDER_REFUNDS_QUERY = `#graphql
  query SyncOrderRefunds($id: ID!) {
    order(id: $id) {
      id
      refunds {
        id
        createdAt
        totalRefundedSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

// About 12 cost points an order with its money, attributes and refunds: 50 stay under the 1,000-point limit.
export const ORDERS_PAGE_SIZE = 50;

/** One page of orders (with their refunds), oldest change first. */
export async function fetchOrdersPage(api: AdminApi, variables: { after: string | null; query: string | null }) {
  const data = await api.request<SyncOrdersPageQuery>(SYNC_ORDERS_PAGE_QUERY, { first: ORDERS_PAGE_SIZE, ...variables });
  return data.orders;
}

export async function fetchOrderRefunds(api: AdminApi, orderGid: string) {
  const data = await api.request<SyncOrderRefundsQuery>(SYNC_ORDER_REFUNDS_QUERY, { id: orderGid });
  return data.order;
}
