import type {
  LifecycleMetafieldDefinitionCreateMutation,
  LifecycleMetafieldDefinitionsQuery,
  LifecycleMetafieldDefinitionUpdateMutation,
  LifecycleMetafieldsDeleteMutation,
  LifecycleMetafieldsSetMutation,
} from "~/types/admin.generated";
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

export const METAFIELD_DEFINITION_UPDATE_MUTATION = `#graphql
  mutation LifecycleMetafieldDefinitionUpdate($definition: MetafieldDefinitionUpdateInput!) {
    metafieldDefinitionUpdate(definition: $definition) {
      updatedDefinition {
        id
        access {
          storefront
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const METAFIELD_DEFINITIONS_QUERY = `#graphql
  query LifecycleMetafieldDefinitions($namespace: String!) {
    metafieldDefinitions(first: 50, ownerType: CUSTOMER, namespace: $namespace) {
      nodes {
        namespace
        key
        access {
          storefront
        }
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

/**
 * Who may read a definition's values outside admin: `NONE` keeps them to admin and the app's own
 * theme blocks; `PUBLIC_READ` opens them to every storefront (Liquid and the Storefront API).
 */
export type StorefrontAccess = "NONE" | "PUBLIC_READ";

interface DefinitionSpec {
  namespace: string;
  key: string;
  name: string;
  description: string;
  type: string;
  storefront: StorefrontAccess;
}

/**
 * Creates a definition so merchants see the field in admin. One that already exists gets the
 * storefront access asked for (definitions made before may have had another).
 */
export async function ensureMetafieldDefinition(api: AdminApi, { storefront, ...definition }: DefinitionSpec) {
  const data = await api.request<LifecycleMetafieldDefinitionCreateMutation>(METAFIELD_DEFINITION_CREATE_MUTATION, {
    definition: { ...definition, ownerType: "CUSTOMER", access: { admin: "MERCHANT_READ", storefront } },
  });
  const errors = data.metafieldDefinitionCreate?.userErrors ?? [];
  if (errors.length > 0 && errors.every((error) => error.code === "TAKEN")) {
    await setDefinitionStorefrontAccess(api, definition.namespace, definition.key, storefront);
    return;
  }
  assertNoUserErrors("metafieldDefinitionCreate", data.metafieldDefinitionCreate);
}

/** Sets the storefront access of one of our customer metafield definitions. */
export async function setDefinitionStorefrontAccess(api: AdminApi, namespace: string, key: string, storefront: StorefrontAccess) {
  const data = await api.request<LifecycleMetafieldDefinitionUpdateMutation>(METAFIELD_DEFINITION_UPDATE_MUTATION, {
    definition: { namespace, key, ownerType: "CUSTOMER", access: { storefront } },
  });
  assertNoUserErrors("metafieldDefinitionUpdate", data.metafieldDefinitionUpdate);
}

/** Our customer metafield definitions in a namespace, with their storefront access. */
export async function customerMetafieldDefinitions(api: AdminApi, namespace: string) {
  const data = await api.request<LifecycleMetafieldDefinitionsQuery>(METAFIELD_DEFINITIONS_QUERY, { namespace });
  return data.metafieldDefinitions.nodes;
}
