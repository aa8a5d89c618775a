import { createHash } from "node:crypto";
import type { SandboxMetafield, SandboxMetafieldDefinition } from "../../store/model";
import { shopLegacyId } from "../../store/ids";
import { listConnection, type ConnectionArgs } from "../connection";
import { gid } from "../gid";
import { objectResolvers, typed, type ResolverContext, type TypeResolvers } from "./context";

type OwnerType = SandboxMetafield["ownerType"];

/**
 * App-owned namespaces: `$app` is `app--<appId>`, `$app:foo` is `app--<appId>--foo`; an omitted
 * namespace is the app's own. Shopify stores and answers the resolved form.
 */
export function resolveNamespace(appId: string, namespace: string | null | undefined): string {
  if (namespace === null || namespace === undefined || namespace === "$app") return `app--${appId}`;
  if (namespace.startsWith("$app:")) return `app--${appId}--${namespace.slice("$app:".length)}`;
  return namespace;
}

/** Shopify's compare-and-set token: changes whenever the stored value does. */
export function compareDigest(metafield: SandboxMetafield): string {
  return createHash("sha256").update(`${metafield.id}\u0000${metafield.type}\u0000${metafield.value}\u0000${metafield.updatedAt}`).digest("hex");
}

function jsonValue(metafield: SandboxMetafield): unknown {
  const { type, value } = metafield;
  if (type === "number_integer" || type === "number_decimal") return Number(value);
  if (type === "boolean") return value === "true";
  if (type === "json" || type.startsWith("list.") || ["money", "rating", "weight", "volume", "dimension", "link"].includes(type)) {
    return JSON.parse(value) as unknown;
  }
  return value;
}

function definitionOf(context: ResolverContext, metafield: SandboxMetafield): SandboxMetafieldDefinition | undefined {
  return context.shop
    .metafieldDefinitions()
    .find((definition) => definition.ownerType === metafield.ownerType && definition.namespace === metafield.namespace && definition.key === metafield.key);
}

function ownerOf(context: ResolverContext, metafield: SandboxMetafield): object | null {
  if (metafield.ownerType === "SHOP") return typed("Shop", context.shop.info);
  if (metafield.ownerType === "API_PERMISSION") return typed("AppInstallation", { id: metafield.ownerId });
  const customer = context.shop.customer(metafield.ownerId);
  return customer ? typed("Customer", customer) : null;
}

/** `metafield(namespace, key)` and `metafields(...)` on an owner (Customer, Shop). */
export function ownerMetafieldFields<S>(ownerType: OwnerType, ownerId: (source: S, context: ResolverContext) => number): TypeResolvers {
  return objectResolvers<S>({
    metafield: (source, args, context) => {
      let namespace = args.namespace as string | null | undefined;
      let key = args.key as string;
      // Without a namespace the key may carry one ("custom.tier"), otherwise it is the app's own.
      if (namespace == null && key.includes(".")) [namespace, key] = [key.slice(0, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)];
      const resolved = resolveNamespace(context.appId, namespace);
      return context.shop.metafieldsOf(ownerType, ownerId(source, context)).find((m) => m.namespace === resolved && m.key === key) ?? null;
    },
    metafields: (source, args, context) => {
      const namespace = args.namespace as string | null | undefined;
      const keys = args.keys as string[] | null | undefined;
      const resolved = namespace == null ? null : resolveNamespace(context.appId, namespace);
      const wanted = keys?.map((full) => {
        const dot = full.lastIndexOf(".");
        return { namespace: resolveNamespace(context.appId, full.slice(0, dot)), key: full.slice(dot + 1) };
      });
      const metafields = context.shop.metafieldsOf(ownerType, ownerId(source, context)).filter(
        (metafield) =>
          (resolved === null || metafield.namespace === resolved) &&
          (!wanted || wanted.some((entry) => entry.namespace === metafield.namespace && entry.key === metafield.key)),
      );
      return listConnection(metafields, args as ConnectionArgs, (metafield) => metafield.id);
    },
  });
}

export const shopOwnerId = (_source: unknown, context: ResolverContext) => shopLegacyId(context.shop.info);

const CATEGORY: Record<string, string> = {
  single_line_text_field: "TEXT",
  multi_line_text_field: "TEXT",
  rich_text_field: "TEXT",
  number_integer: "NUMBER",
  number_decimal: "NUMBER",
  boolean: "TRUE_FALSE",
  date: "DATE_TIME",
  date_time: "DATE_TIME",
  json: "JSON",
  money: "MEASUREMENT",
  url: "URL",
  color: "COLOR",
};

export const metafieldResolvers = {
  Metafield: objectResolvers<SandboxMetafield>({
    id: (metafield) => gid("Metafield", metafield.id),
    legacyResourceId: (metafield) => String(metafield.id),
    namespace: (metafield) => metafield.namespace,
    key: (metafield) => metafield.key,
    type: (metafield) => metafield.type,
    value: (metafield) => metafield.value,
    jsonValue: (metafield) => jsonValue(metafield),
    compareDigest: (metafield) => compareDigest(metafield),
    createdAt: (metafield) => metafield.createdAt,
    updatedAt: (metafield) => metafield.updatedAt,
    ownerType: (metafield) => metafield.ownerType,
    owner: (metafield, _args, context) => ownerOf(context, metafield),
    definition: (metafield, _args, context) => definitionOf(context, metafield) ?? null,
    sizeInBytes: (metafield) => Buffer.byteLength(metafield.value, "utf8"),
  }),
  MetafieldDefinition: objectResolvers<SandboxMetafieldDefinition>({
    id: (definition) => gid("MetafieldDefinition", definition.id),
    name: (definition) => definition.name,
    namespace: (definition) => definition.namespace,
    key: (definition) => definition.key,
    description: (definition) => definition.description,
    ownerType: (definition) => definition.ownerType,
    type: (definition) => ({ name: definition.type, category: CATEGORY[definition.type.replace(/^list\./, "")] ?? "REFERENCE" }),
    access: (definition) => definition.access,
    pinnedPosition: () => null,
    validations: () => [],
    useAsCollectionCondition: () => false,
    metafieldsCount: (definition, _args, context) => {
      if (definition.ownerType === "SHOP") {
        return context.shop.metafieldsOf("SHOP", shopLegacyId(context.shop.info)).filter((m) => m.namespace === definition.namespace && m.key === definition.key).length;
      }
      let count = 0;
      for (const customer of context.shop.customers()) {
        if (context.shop.metafieldsOf("CUSTOMER", customer.id).some((m) => m.namespace === definition.namespace && m.key === definition.key)) count += 1;
      }
      return count;
    },
  }),
  MetafieldDefinitionType: objectResolvers<{ name: string; category: string }>({
    name: (type) => type.name,
    category: (type) => type.category,
    supportsDefinitionMigrations: () => false,
    supportedValidations: () => [],
  }),
  MetafieldAccess: objectResolvers<SandboxMetafieldDefinition["access"]>({
    admin: (access) => access.admin,
    storefront: (access) => access.storefront ?? "NONE",
    customerAccount: () => "NONE",
  }),
};
