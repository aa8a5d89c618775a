import type { LifecycleMetafieldDefinitionCreateMutation, LifecycleMetafieldsDeleteMutation, LifecycleMetafieldsSetMutation } from "~/types/admin.generated";
import type { MetafieldIdentifierInput, MetafieldsSetInput } from "~/types/admin.types";
import { assertNoUserErrors, type AdminApi } from "./client.server";
import { AdminApiError } from "./errors";

export const METAFIELDS_SET_MUTATION = `#graphql
  mutation LifecycleMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

export const METAFIELDS_DELETE_MUTATION = `#graphql
  mutation LifecycleMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const METAFIELD_DEFINITION_CREATE_MUTATION = `#graphql
  mutation LifecycleMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Shopify takes at most this many metafields in one metafieldsSet. */
export const METAFIELDS_PER_SET = 25;

export type MetafieldsSetUserError = NonNullable<LifecycleMetafieldsSetMutation["metafieldsSet"]>["userErrors"][number];

/**
 * Sets metafields, all or nothing, as Shopify does. Input Shopify refuses (an owner deleted in
 * Shopify, a value it rejects) comes back as its userErrors, each with the index of the input it
 * concerns when Shopify gives one, for the caller to set the rest without it; an empty list means
 * everything was set.
 */
export async function setMetafields(api: AdminApi, metafields: readonly MetafieldsSetInput[]): Promise<readonly MetafieldsSetUserError[]> {
  const data = await api.request<LifecycleMetafieldsSetMutation>(METAFIELDS_SET_MUTATION, { metafields: [...metafields] });
  if (!data.metafieldsSet) throw new AdminApiError("metafieldsSet: empty payload", "metafieldsSet");
  return data.metafieldsSet.userErrors;
}

/** Deletes metafields; one that does not exist is fine (Shopify answers null for it). */
export async function deleteMetafields(api: AdminApi, metafields: readonly MetafieldIdentifierInput[]) {
  const data = await api.request<LifecycleMetafieldsDeleteMutation>(METAFIELDS_DELETE_MUTATION, { metafields: [...metafields] });
  assertNoUserErrors("metafieldsDelete", data.metafieldsDelete);
}

/** Creates a definition so merchants see the field in admin; one that already exists is fine. */
export async function ensureMetafieldDefinition(api: AdminApi, definition: { namespace: string; key: string; name: string; description: string; type: string }) {
  const data = await api.request<LifecycleMetafieldDefinitionCreateMutation>(METAFIELD_DEFINITION_CREATE_MUTATION, {
    definition: { ...definition, ownerType: "CUSTOMER", access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ" } },
  });
  const errors = data.metafieldDefinitionCreate?.userErrors ?? [];
  if (errors.every((error) => error.code === "TAKEN")) return;
  assertNoUserErrors("metafieldDefinitionCreate", data.metafieldDefinitionCreate);
}
