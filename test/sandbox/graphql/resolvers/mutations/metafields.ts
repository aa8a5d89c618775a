import type { SandboxMetafield, SandboxMetafieldDefinition } from "../../../store/model";
import type { MetafieldInput } from "../../../store/shop-api";
import { invalidGlobalId, notImplemented } from "../../errors";
import { parseGid } from "../../gid";
import { objectResolvers, propertyResolvers, type ResolverContext } from "../context";
import { compareDigest, resolveNamespace } from "../metafields";
import type { UserErrorSource } from "../values";
import { attempt, userError } from "./user-errors";

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  /** Present (even null) when the caller asks for compare-and-set. */
  compareDigest?: string | null;
}

// An AppInstallation owns the app's app-data metafields (Shopify's owner type API_PERMISSION).
const OWNER_TYPES: Record<string, MetafieldInput["ownerType"]> = { Customer: "CUSTOMER", Shop: "SHOP", AppInstallation: "API_PERMISSION" };

function current(context: ResolverContext, input: Omit<MetafieldInput, "type" | "value">): SandboxMetafield | undefined {
  return context.shop
    .metafieldsOf(input.ownerType, input.ownerId)
    .find((metafield) => metafield.namespace === input.namespace && metafield.key === input.key);
}

function definitionType(context: ResolverContext, input: Omit<MetafieldInput, "type" | "value">): string | undefined {
  return context.shop
    .metafieldDefinitions()
    .find((definition) => definition.ownerType === input.ownerType && definition.namespace === input.namespace && definition.key === input.key)?.type;
}

/**
 * metafieldsSet: all-or-nothing, at most 25, with compare-and-set on `compareDigest` (null means
 * "must not exist yet"). Checking digests and writing happen in one synchronous step, so no other
 * request can slip in between.
 */
function metafieldsSet(context: ResolverContext, fieldName: string, inputs: MetafieldsSetInput[]) {
  const resolved: MetafieldInput[] = [];
  const errors: UserErrorSource[] = [];
  inputs.forEach((input, index) => {
    const path = (name: string) => ["metafields", String(index), name];
    const owner = parseGid(input.ownerId);
    if (!owner) throw invalidGlobalId(input.ownerId);
    const ownerType = OWNER_TYPES[owner.type];
    if (!ownerType) {
      if (owner.type === "Order") throw notImplemented("Mutation", `${fieldName}(ownerId: Order)`);
      errors.push({ ...userError(path("ownerId"), "Owner does not exist", "INVALID"), elementIndex: index });
      return;
    }
    if (ownerType === "CUSTOMER") context.scopes.require("write_customers", fieldName);
    const target = { ownerType, ownerId: owner.id, namespace: resolveNamespace(context.appId, input.namespace), key: input.key };
    const existing = current(context, target);
    const type = input.type ?? definitionType(context, target) ?? existing?.type;
    if (!type) {
      errors.push({ ...userError(path("type"), "Type can't be blank", "BLANK"), elementIndex: index });
      return;
    }
    if ("compareDigest" in input) {
      const fresh = input.compareDigest === null ? existing === undefined : existing !== undefined && compareDigest(existing) === input.compareDigest;
      if (!fresh) {
        errors.push({
          ...userError(path("compareDigest"), "The metafield has been modified since it was loaded.", "STALE_OBJECT"),
          elementIndex: index,
        });
        return;
      }
    }
    resolved.push({ ...target, type, value: input.value });
  });
  if (errors.length > 0) return { metafields: [], userErrors: errors };
  const { result, userErrors } = attempt(() => context.shop.setMetafields(resolved));
  return { metafields: result ?? [], userErrors };
}

/** metafieldsDelete: identifiers of metafields that did not exist come back as null. */
function metafieldsDelete(context: ResolverContext, fieldName: string, inputs: { ownerId: string; namespace: string; key: string }[]) {
  const targets = inputs.map((input) => {
    const owner = parseGid(input.ownerId);
    if (!owner) throw invalidGlobalId(input.ownerId);
    const ownerType = OWNER_TYPES[owner.type];
    if (!ownerType) throw notImplemented("Mutation", `${fieldName}(ownerId: ${owner.type})`);
    if (ownerType === "CUSTOMER") context.scopes.require("write_customers", fieldName);
    return { ownerType, ownerId: owner.id, namespace: resolveNamespace(context.appId, input.namespace), key: input.key, gid: input.ownerId };
  });
  const deleted = context.shop.deleteMetafields(targets.map(({ gid: _gid, ...target }) => target));
  return {
    deletedMetafields: deleted.map((identifier, index) => (identifier ? { ownerId: targets[index]!.gid, namespace: identifier.namespace, key: identifier.key } : null)),
    userErrors: [],
  };
}

interface DefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: string;
  description?: string | null;
  access?: { admin?: string | null; storefront?: string | null } | null;
}

function metafieldDefinitionCreate(context: ResolverContext, fieldName: string, input: DefinitionInput) {
  if (input.ownerType !== "CUSTOMER" && input.ownerType !== "SHOP") {
    throw notImplemented("Mutation", `${fieldName}(ownerType: ${input.ownerType})`);
  }
  if (input.ownerType === "CUSTOMER") context.scopes.require("write_customers", fieldName);
  const namespace = resolveNamespace(context.appId, input.namespace);
  const definition: Omit<SandboxMetafieldDefinition, "id"> = {
    ownerType: input.ownerType,
    namespace,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    type: input.type,
    // App-owned definitions default to MERCHANT_READ in admin, and to no storefront access.
    access: { admin: input.access?.admin ?? (namespace.startsWith("app--") ? "MERCHANT_READ" : null), storefront: input.access?.storefront ?? "NONE" },
  };
  const { result, userErrors } = attempt(() => context.shop.createMetafieldDefinition(definition));
  return { createdDefinition: result, userErrors };
}

interface DefinitionUpdateInput {
  namespace?: string | null;
  key: string;
  ownerType: string;
  access?: { admin?: string | null; storefront?: string | null } | null;
  [other: string]: unknown;
}

/** metafieldDefinitionUpdate: finds the definition by owner type, namespace and key; only `access` is implemented. */
function metafieldDefinitionUpdate(context: ResolverContext, fieldName: string, input: DefinitionUpdateInput) {
  const { namespace, key, ownerType, access, ...rest } = input;
  // Fields the schema defaults (useAsCollectionCondition: false) arrive filled in.
  const unsupported = Object.keys(rest).filter((field) => rest[field] !== undefined && rest[field] !== null && rest[field] !== false);
  if (unsupported.length > 0) throw notImplemented("Mutation", `${fieldName}(definition.${unsupported.join(", definition.")})`);
  if (ownerType !== "CUSTOMER" && ownerType !== "SHOP") throw notImplemented("Mutation", `${fieldName}(ownerType: ${ownerType})`);
  if (ownerType === "CUSTOMER") context.scopes.require("write_customers", fieldName);
  const identifier = { ownerType, namespace: resolveNamespace(context.appId, namespace), key } as const;
  const { result, userErrors } = attempt(() =>
    context.shop.updateMetafieldDefinitionAccess(identifier, {
      ...(access?.admin ? { admin: access.admin } : {}),
      ...(access?.storefront ? { storefront: access.storefront } : {}),
    }),
  );
  return { updatedDefinition: result, userErrors, validationJob: null };
}

export const metafieldMutations = objectResolvers<unknown>({
  metafieldsSet: (_root, args, context, info) => metafieldsSet(context, info.fieldName, args.metafields as MetafieldsSetInput[]),
  metafieldsDelete: (_root, args, context, info) =>
    metafieldsDelete(context, info.fieldName, args.metafields as { ownerId: string; namespace: string; key: string }[]),
  metafieldDefinitionCreate: (_root, args, context, info) =>
    metafieldDefinitionCreate(context, info.fieldName, args.definition as DefinitionInput),
  metafieldDefinitionUpdate: (_root, args, context, info) =>
    metafieldDefinitionUpdate(context, info.fieldName, args.definition as DefinitionUpdateInput),
});

export const metafieldPayloads = {
  MetafieldsSetPayload: propertyResolvers<{ metafields: unknown; userErrors: unknown }>("metafields", "userErrors"),
  MetafieldsDeletePayload: propertyResolvers<{ deletedMetafields: unknown; userErrors: unknown }>("deletedMetafields", "userErrors"),
  MetafieldIdentifier: propertyResolvers<{ ownerId: unknown; namespace: unknown; key: unknown }>("ownerId", "namespace", "key"),
  MetafieldDefinitionCreatePayload: propertyResolvers<{ createdDefinition: unknown; userErrors: unknown }>("createdDefinition", "userErrors"),
  MetafieldDefinitionUpdatePayload: propertyResolvers<{ updatedDefinition: unknown; userErrors: unknown; validationJob: unknown }>(
    "updatedDefinition",
    "userErrors",
    "validationJob",
  ),
};
