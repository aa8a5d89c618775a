import type { CustomerTagsAddMutation, CustomerTagsRemoveMutation } from "~/types/admin.generated";
import { assertNoUserErrors, type AdminApi } from "./client.server";

export const CUSTOMER_TAGS_ADD_MUTATION = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
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
      userErrors {
        field
        message
      }
    }
  }
`;

/** Adds tags to a customer, leaving every other tag as it is. */
export async function addCustomerTags(api: AdminApi, customerGid: string, tags: readonly string[]) {
  const data = await api.request<CustomerTagsAddMutation>(CUSTOMER_TAGS_ADD_MUTATION, { id: customerGid, tags: [...tags] });
  assertNoUserErrors("tagsAdd", data.tagsAdd);
}

/** Removes exactly these tags from a customer. */
export async function removeCustomerTags(api: AdminApi, customerGid: string, tags: readonly string[]) {
  const data = await api.request<CustomerTagsRemoveMutation>(CUSTOMER_TAGS_REMOVE_MUTATION, { id: customerGid, tags: [...tags] });
  assertNoUserErrors("tagsRemove", data.tagsRemove);
}
