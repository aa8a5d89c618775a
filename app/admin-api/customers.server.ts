import type { SyncCustomerQuery, SyncCustomersPageQuery } from "~/types/admin.generated";
import type { AdminApi } from "./client.server";

// The customer fields the sync keeps (app/sync/records.ts parses exactly these).
export const SYNC_CUSTOMER_QUERY = `#graphql
  query SyncCustomer($id: ID!) {
    customer(id: $id) {
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
`;

export const SYNC_CUSTOMERS_PAGE_QUERY = `#graphql
  query SyncCustomersPage($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
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
`;

/** The customer as Shopify holds it now, or null when it no longer exists. */
export async function fetchCustomer(api: AdminApi, customerGid: string) {
  const data = await api.request<SyncCustomerQuery>(SYNC_CUSTOMER_QUERY, { id: customerGid });
  return data.customer;
}

// About 3 cost points a customer: a full page stays under Shopify's 1,000-point limit for one query.
export const CUSTOMERS_PAGE_SIZE = 250;

/** One page of customers, oldest change first; `query` filters as the admin search does (e.g. updated_at). */
export async function fetchCustomersPage(api: AdminApi, variables: { after: string | null; query: string | null }) {
  const data = await api.request<SyncCustomersPageQuery>(SYNC_CUSTOMERS_PAGE_QUERY, { first: CUSTOMERS_PAGE_SIZE, ...variables });
  return data.customers;
}
