import type { GraphQLResolveInfo } from "graphql";
import { shopLegacyId } from "../../store/ids";
import { canReadOrder } from "../access";
import { listConnection, type ConnectionArgs } from "../connection";
import { accessDenied, invalidGlobalId, invalidId, notImplemented, unsupportedArgument } from "../errors";
import { parseGid } from "../gid";
import { objectResolvers, typed, type Args, type ResolverContext } from "./context";
import { currentAppInstallation } from "./app-installation";
import { bulkOperationConnection, currentBulkOperation } from "./bulk-operations";
import { customerConnection } from "./customers";
import { resolveNamespace } from "./metafields";
import { orderConnection } from "./orders";
import { customerSearch, orderSearch, searchFilter } from "./search";
import { segmentConnection } from "./segments";

/** Parses an ID argument that must name a `type`, the way Shopify rejects other ids. */
export function idOf(value: string, type: string): number {
  const parsed = parseGid(value);
  if (!parsed) throw invalidGlobalId(value);
  if (parsed.type !== type) throw invalidId(value);
  return parsed.id;
}

/** Orders beyond 60 days need read_all_orders; Shopify refuses them by id rather than hiding them. */
function readableOrder(context: ResolverContext, fieldName: string, id: number) {
  const order = context.shop.order(id);
  if (order && !canReadOrder(context.scopes, order, context.shop.now())) throw accessDenied(fieldName, "read_all_orders");
  return order ?? null;
}

/**
 * Node types the sandbox holds but does not look up by id (loud); ids of types it holds nothing
 * of (Product, ...) resolve to null, as an unknown id does on Shopify.
 */
const NOT_SERVED_AS_NODE = new Set(["Metafield", "MetafieldDefinition", "LineItem", "MailingAddress", "CustomerVisit", "DiscountRedeemCode"]);

function resolveNode(context: ResolverContext, fieldName: string, value: string): object | null {
  const parsed = parseGid(value);
  if (!parsed) throw invalidGlobalId(value);
  const { shop, scopes } = context;
  switch (parsed.type) {
    case "Customer": {
      scopes.require("read_customers", fieldName);
      const customer = shop.customer(parsed.id);
      return customer ? typed("Customer", customer) : null;
    }
    case "Order": {
      scopes.require("read_orders", fieldName);
      const order = readableOrder(context, fieldName, parsed.id);
      return order ? typed("Order", order) : null;
    }
    case "Refund": {
      scopes.require("read_orders", fieldName);
      const refund = shop.refund(parsed.id);
      const order = refund ? readableOrder(context, fieldName, refund.orderId) : null;
      return refund && order ? typed("Refund", refund) : null;
    }
    case "Segment": {
      scopes.require("read_customers", fieldName);
      const segment = shop.segment(parsed.id);
      return segment ? typed("Segment", segment) : null;
    }
    case "DiscountCodeNode": {
      scopes.require("read_discounts", fieldName);
      const discount = shop.discountCodes().find((candidate) => candidate.id === parsed.id);
      return discount ? typed("DiscountCodeNode", discount) : null;
    }
    case "BulkOperation": {
      const operation = shop.bulkOperation(parsed.id);
      return operation ? typed("BulkOperation", operation) : null;
    }
    case "Shop":
      return parsed.id === shopLegacyId(shop.info) ? typed("Shop", shop.info) : null;
    case "AppInstallation": {
      const installation = currentAppInstallation(context);
      return parsed.id === installation.id ? installation : null;
    }
    default:
      if (NOT_SERVED_AS_NODE.has(parsed.type)) throw notImplemented("QueryRoot", `${fieldName}(id: ${parsed.type})`);
      return null;
  }
}

/** Counts are exact up to `limit` (null: no limit), then answered as AT_LEAST the limit. */
function count(total: number, limit: unknown): { count: number; precision: "EXACT" | "AT_LEAST" } {
  if (typeof limit === "number" && total > limit) return { count: limit, precision: "AT_LEAST" };
  return { count: total, precision: "EXACT" };
}

function rejectSavedSearch(info: GraphQLResolveInfo, args: Args): void {
  if (args.savedSearchId != null) throw unsupportedArgument(info.parentType.name, info.fieldName, "savedSearchId");
}

function visibleOrders(context: ResolverContext) {
  const now = context.shop.now();
  return context.shop.orders().filter((order) => canReadOrder(context.scopes, order, now));
}

export const queryRootResolvers = {
  QueryRoot: objectResolvers<unknown>({
    shop: (_root, _args, context) => context.shop.info,
    currentAppInstallation: (_root, _args, context) => currentAppInstallation(context),
    node: (_root, args, context) => resolveNode(context, "node", args.id as string),
    nodes: (_root, args, context) => (args.ids as string[]).map((id) => resolveNode(context, "nodes", id)),

    customer: (_root, args, context) => context.shop.customer(idOf(args.id as string, "Customer")) ?? null,
    customers: (_root, args, context, info) => customerConnection(context, info, args),
    customersCount: (_root, args, context, info) => {
      const matches = searchFilter(context, info, args.query, () => customerSearch(context.shop));
      const total = args.query ? context.shop.customers().filter(matches).length : context.shop.customers().length;
      return count(total, args.limit);
    },

    order: (_root, args, context, info) => readableOrder(context, info.fieldName, idOf(args.id as string, "Order")),
    orders: (_root, args, context, info) => {
      rejectSavedSearch(info, args);
      return orderConnection(context, info, context.shop.orders(), { sortKey: "PROCESSED_AT", ...args }, true);
    },
    ordersCount: (_root, args, context, info) => {
      rejectSavedSearch(info, args);
      const matches = searchFilter(context, info, args.query, orderSearch);
      return count(visibleOrders(context).filter(matches).length, args.limit);
    },

    segment: (_root, args, context) => context.shop.segment(idOf(args.id as string, "Segment")) ?? null,
    segments: (_root, args, context, info) => segmentConnection(context, info, args),
    segmentsCount: (_root, args, context) => count(context.shop.segments().length, args.limit),

    bulkOperation: (_root, args, context) => context.shop.bulkOperation(idOf(args.id as string, "BulkOperation")) ?? null,
    bulkOperations: (_root, args, context, info) => bulkOperationConnection(context, info, args),
    currentBulkOperation: (_root, args, context) => currentBulkOperation(context, args.type as string),

    codeDiscountNode: (_root, args, context) => {
      const id = idOf(args.id as string, "DiscountCodeNode");
      return context.shop.discountCodes().find((discount) => discount.id === id) ?? null;
    },
    codeDiscountNodeByCode: (_root, args, context) => {
      const code = (args.code as string).toLowerCase();
      return context.shop.discountCodes().find((discount) => discount.code.toLowerCase() === code) ?? null;
    },

    metafieldDefinition: (_root, args, context) => {
      if (typeof args.id === "string") {
        const id = idOf(args.id, "MetafieldDefinition");
        return context.shop.metafieldDefinitions().find((definition) => definition.id === id) ?? null;
      }
      const identifier = args.identifier as { ownerType: string; namespace?: string | null; key: string } | null;
      if (!identifier) return null;
      const namespace = resolveNamespace(context.appId, identifier.namespace);
      return (
        context.shop
          .metafieldDefinitions()
          .find((definition) => definition.ownerType === identifier.ownerType && definition.namespace === namespace && definition.key === identifier.key) ??
        null
      );
    },
    metafieldDefinitions: (_root, args, context) => {
      const namespace = args.namespace == null ? null : resolveNamespace(context.appId, args.namespace as string);
      const definitions = context.shop
        .metafieldDefinitions()
        .filter(
          (definition) =>
            definition.ownerType === args.ownerType &&
            (namespace === null || definition.namespace === namespace) &&
            (args.key == null || definition.key === args.key),
        );
      return listConnection(definitions, args as ConnectionArgs, (definition) => definition.id);
    },
  }),
};
