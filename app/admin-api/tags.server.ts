import type { CustomerTagsAddMutation, CustomerTagsRemoveMutation } from "~/types/admin.generated";
import { AdminApiError } from "./errors";
import { assertNoUserErrors, type AdminApi } from "./client.server";

// The customer as the write left it, with the fields the sync keeps (as SYNC_CUSTOMER_QUERY reads
// them): our copy follows Shopify without reading the customer again when the write's own
// customers/update webhook comes back.
export const CUSTOMER_TAGS_ADD_MUTATION = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        ... on Customer {
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
      userErrors {
        field
        message
      }
    }
  }
`;

export const CUSTOMER_TAGS_REMOVE_MUTATION = `#graphql
  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      node {
        ... on Customer {
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
      userErrors {
        field
        message
      }
    }
  }
`;

function customerNode(operation: string, node: unknown) {
  if (!node || typeof node !== "object" || !("tags" in node)) throw new AdminApiError(`${operation} returned no customer`, operation);
  return node;
}

/** Adds tags to a customer, leaving every other tag as it is; returns the customer as Shopify now holds it. */
export async function addCustomerTags(api: AdminApi, customerGid: string, tags: readonly string[]) {
  const data = await api.request<CustomerTagsAddMutation>(CUSTOMER_TAGS_ADD_MUTATION, { id: customerGid, tags: [...tags] });
  return customerNode("tagsAdd", assertNoUserErrors("tagsAdd", data.tagsAdd).node);
}

/** Removes exactly these tags from a customer; returns the customer as Shopify now holds it. */
export async function removeCustomerTags(api: AdminApi, customerGid: string, tags: readonly string[]) {
  const data = await api.request<CustomerTagsRemoveMutation>(CUSTOMER_TAGS_REMOVE_MUTATION, { id: customerGid, tags: [...tags] });
  return customerNode("tagsRemove", assertNoUserErrors("tagsRemove", data.tagsRemove).node);
}
