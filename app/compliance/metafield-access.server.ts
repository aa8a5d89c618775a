import { customerMetafieldDefinitions, setDefinitionStorefrontAccess } from "~/admin-api/metafields.server";
import type { JobHandler } from "~/jobs/types";
import { LIFECYCLE_STOREFRONT_ACCESS, METAFIELD_NAMESPACE } from "~/write-back/write-back.server";

/**
 * Lifecycle metafield definitions were once created readable by storefronts. Migration
 * 20261203110000_compliance queues this job (METAFIELD_ACCESS_JOB) once for every shop that has
 * them: each definition that still is gets its storefront access taken away.
 */
export const runMetafieldAccessJob: JobHandler = async ({ adminFor }, run) => {
  const api = await adminFor(run.job.shop);
  for (const definition of await customerMetafieldDefinitions(api, METAFIELD_NAMESPACE)) {
    if (definition.access.storefront !== LIFECYCLE_STOREFRONT_ACCESS) {
      await setDefinitionStorefrontAccess(api, METAFIELD_NAMESPACE, definition.key, LIFECYCLE_STOREFRONT_ACCESS);
    }
  }
};
