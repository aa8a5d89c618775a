import type { BulkOperationStatusQuery, BulkQueryStartMutation } from "~/types/admin.generated";
import { assertNoUserErrors, type AdminApi } from "./client.server";

// Bulk exports of everything the sync keeps. The selections match the page queries in
// customers.server.ts and orders.server.ts, so one parser reads both (app/sync/records.ts).
export const BULK_CUSTOMERS_QUERY = `#graphql
  query BulkCustomers {
    customers {
      edges {
        node {
          id
          createdAt
          updatedAt
          state
          tags
          firstName
          lastName
          defaultEmailAddress {
            emailAddress
            marketingState
          }
        }
      }
    }
  }
`;

export const BULK_ORDERS_QUERY = `#graphql
  query BulkOrders {
    orders {
      edges {
        node {
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
  }
`;

export const BULK_QUERY_START_MUTATION = `#graphql
  mutation BulkQueryStart($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS_QUERY = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
    }
  }
`;

/** Starts a bulk query; refusals (another export running, a query Shopify rejects) become AdminApiUserErrors. */
export async function startBulkQuery(api: AdminApi, query: string) {
  const data = await api.request<BulkQueryStartMutation>(BULK_QUERY_START_MUTATION, { query });
  const payload = assertNoUserErrors("bulkOperationRunQuery", data.bulkOperationRunQuery);
  if (!payload.bulkOperation) throw new Error("bulkOperationRunQuery returned no operation");
  return payload.bulkOperation;
}

export async function fetchBulkOperation(api: AdminApi, id: string) {
  const data = await api.request<BulkOperationStatusQuery>(BULK_OPERATION_STATUS_QUERY, { id });
  return data.bulkOperation;
}
