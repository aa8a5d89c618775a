import { adminSchema } from "../schema";
import type { Engine, ResolverMap } from "./context";
import { appInstallationResolvers } from "./app-installation";
import { bulkOperationResolvers } from "./bulk-operations";
import { customerResolvers } from "./customers";
import { discountResolvers } from "./discounts";
import { metafieldResolvers } from "./metafields";
import { bulkMutations, bulkPayloads } from "./mutations/bulk";
import { discountMutations, discountPayloads } from "./mutations/discounts";
import { metafieldMutations, metafieldPayloads } from "./mutations/metafields";
import { segmentMutations, segmentPayloads } from "./mutations/segments";
import { stagedUploadMutations, stagedUploadPayloads } from "./mutations/staged-uploads";
import { tagMutations, tagPayloads } from "./mutations/tags";
import { orderResolvers } from "./orders";
import { queryRootResolvers } from "./query-root";
import { segmentResolvers } from "./segments";
import { shopResolvers } from "./shop";
import { valueResolvers } from "./values";

/** Every type the sandbox resolves, field by field; anything else fails loudly. */
const RESOLVERS: ResolverMap = {
  ...valueResolvers,
  ...queryRootResolvers,
  ...shopResolvers,
  ...appInstallationResolvers,
  ...customerResolvers,
  ...orderResolvers,
  ...metafieldResolvers,
  ...segmentResolvers,
  ...discountResolvers,
  ...bulkOperationResolvers,
  Mutation: {
    ...tagMutations,
    ...metafieldMutations,
    ...segmentMutations,
    ...discountMutations,
    ...stagedUploadMutations,
    ...bulkMutations,
  },
  ...tagPayloads,
  ...metafieldPayloads,
  ...segmentPayloads,
  ...discountPayloads,
  ...stagedUploadPayloads,
  ...bulkPayloads,
};

let engine: Engine | undefined;

/** The real Admin schema with the sandbox's resolvers (built once). */
export function adminEngine(): Engine {
  engine ??= { schema: adminSchema(), resolvers: RESOLVERS };
  return engine;
}
