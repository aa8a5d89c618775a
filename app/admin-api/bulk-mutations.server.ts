import type { BulkMutationStartMutation, BulkVariablesUploadMutation } from "~/types/admin.generated";
import { AdminApiError } from "./errors";
import { assertNoUserErrors, type AdminApi } from "./client.server";

export const BULK_VARIABLES_UPLOAD_MUTATION = `#graphql
  mutation BulkVariablesUpload($filename: String!) {
    stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: $filename, mimeType: "text/jsonl", httpMethod: POST }]) {
      stagedTargets {
        url
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_MUTATION_START_MUTATION = `#graphql
  mutation BulkMutationStart($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
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

// The mutations we run in bulk. Tags: one line of variables ({ id, tags }) per customer, each
// answering with the customer as it left them (the fields the sync keeps), as the direct writes do.
export const BULK_TAGS_ADD = `#graphql
  mutation BulkTagsAdd($id: ID!, $tags: [String!]!) {
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

export const BULK_TAGS_REMOVE = `#graphql
  mutation BulkTagsRemove($id: ID!, $tags: [String!]!) {
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

// One line of variables ({ metafields }) per group of up to 25 fields.
export const BULK_METAFIELDS_SET = `#graphql
  mutation BulkMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * Runs `mutation` once per line of `variables` as a bulk operation: the variables are uploaded as a
 * JSONL file to Shopify's staged upload target, then the operation starts. Returns its id.
 */
export async function startBulkMutation(api: AdminApi, mutation: string, variables: readonly Record<string, unknown>[], fetchImpl: typeof fetch = fetch) {
  const staged = await api.request<BulkVariablesUploadMutation>(BULK_VARIABLES_UPLOAD_MUTATION, { filename: "lifecycle-variables.jsonl" });
  const target = assertNoUserErrors("stagedUploadsCreate", staged.stagedUploadsCreate).stagedTargets?.[0];
  const key = target?.parameters.find((parameter) => parameter.name === "key")?.value;
  if (!target?.url || !key) throw new AdminApiError("stagedUploadsCreate: no upload target", "stagedUploadsCreate");

  const form = new FormData();
  for (const parameter of target.parameters) form.append(parameter.name, parameter.value);
  form.append("file", new Blob([variables.map((line) => JSON.stringify(line)).join("\n") + "\n"], { type: "text/jsonl" }), "lifecycle-variables.jsonl");
  const upload = await fetchImpl(target.url, { method: "POST", body: form });
  if (!upload.ok) throw new AdminApiError(`Uploading bulk variables failed: HTTP ${upload.status}`, "stagedUpload");

  const started = await api.request<BulkMutationStartMutation>(BULK_MUTATION_START_MUTATION, { mutation, stagedUploadPath: key });
  const operation = assertNoUserErrors("bulkOperationRunMutation", started.bulkOperationRunMutation).bulkOperation;
  if (!operation) throw new AdminApiError("bulkOperationRunMutation returned no operation", "bulkOperationRunMutation");
  return operation.id;
}
