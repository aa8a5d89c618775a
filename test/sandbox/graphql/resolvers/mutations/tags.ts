import { invalidGlobalId, notImplemented } from "../../errors";
import { parseGid } from "../../gid";
import { objectResolvers, propertyResolvers, typed, type ResolverContext } from "../context";
import { attempt, userError } from "./user-errors";

type TagChange = "addCustomerTags" | "removeCustomerTags";

/** tagsAdd / tagsRemove: customers are the taggable resource the sandbox holds. */
function changeTags(context: ResolverContext, fieldName: string, id: string, tags: string[], change: TagChange) {
  const parsed = parseGid(id);
  if (!parsed) throw invalidGlobalId(id);
  if (parsed.type === "Order" || parsed.type === "DraftOrder" || parsed.type === "Article") throw notImplemented("Mutation", `${fieldName}(${parsed.type})`);
  if (parsed.type !== "Customer") return { node: null, userErrors: [userError(["id"], `${parsed.type} does not exist`)] };
  context.scopes.require("write_customers", fieldName);
  if (!context.shop.customer(parsed.id)) return { node: null, userErrors: [userError(["id"], "Customer does not exist")] };
  const { result, userErrors } = attempt(() => context.shop[change](parsed.id, tags));
  return { node: result ? typed("Customer", result) : null, userErrors };
}

export const tagMutations = objectResolvers<unknown>({
  tagsAdd: (_root, args, context, info) => changeTags(context, info.fieldName, args.id as string, args.tags as string[], "addCustomerTags"),
  tagsRemove: (_root, args, context, info) => changeTags(context, info.fieldName, args.id as string, args.tags as string[], "removeCustomerTags"),
});

const tagsPayload = propertyResolvers<{ node: unknown; userErrors: unknown }>("node", "userErrors");

export const tagPayloads = {
  TagsAddPayload: tagsPayload,
  TagsRemovePayload: tagsPayload,
};
