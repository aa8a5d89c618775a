import { getNamedType, isEnumType, type GraphQLResolveInfo } from "graphql";
import { fromCents, toCents } from "../../store/money";
import { pageOf, type ConnectionSource } from "../connection";
import { objectResolvers, propertyResolvers, type ResolverMap, type TypeResolvers } from "./context";

/** MoneyV2 and MoneyBag sources: an amount in the shop currency. */
export interface Money {
  amount: string;
  currencyCode: string;
}

export function money(amount: string, currencyCode: string): Money {
  return { amount, currencyCode };
}

export function moneyFromCents(cents: number, currencyCode: string): Money {
  return { amount: fromCents(cents), currencyCode };
}

/** Shopify's Decimal: no trailing zeros beyond one decimal ("4941.0", "12.5", "12.34"). */
export function decimal(amount: string): string {
  const cents = toCents(amount);
  const text = (cents / 100).toString();
  return text.includes(".") ? text : `${text}.0`;
}

interface Edge<T> {
  cursor: string;
  node: T;
}

/** A connection type's fields over a ConnectionSource; `toNode` turns an item into what is answered. */
export function connectionResolvers<T>(toNode: (item: T) => unknown = (item) => item): TypeResolvers {
  return objectResolvers<ConnectionSource<T>>({
    edges: (source) => {
      const page = pageOf(source);
      return page.items.map((item, index): Edge<unknown> => ({ cursor: page.cursors[index]!, node: toNode(item) }));
    },
    nodes: (source) => pageOf(source).items.map(toNode),
    pageInfo: (source) => {
      const page = pageOf(source);
      return {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      };
    },
  });
}

export const edgeResolvers = propertyResolvers<Edge<unknown>>("cursor", "node");

/** The connections the sandbox serves; every one pages the same way. */
const CONNECTIONS = [
  "Customer",
  "Order",
  "LineItem",
  "RefundLineItem",
  "MailingAddress",
  "Metafield",
  "Segment",
  "BulkOperation",
  "DiscountRedeemCode",
  "MetafieldDefinition",
];

/**
 * A userError `code` is typed per payload (MetafieldsSetUserErrorCode, DiscountErrorCode, ...);
 * a code that type does not list is answered as null rather than breaking the response.
 */
function userErrorCode(source: { code?: string | null }, _args: unknown, _context: unknown, info: GraphQLResolveInfo) {
  const type = getNamedType(info.returnType);
  if (!source.code || !isEnumType(type)) return null;
  return type.getValue(source.code) ? source.code : null;
}

export interface UserErrorSource {
  field: string[] | null;
  message: string;
  code?: string | null;
  elementIndex?: number | null;
}

const userError: TypeResolvers = {
  ...propertyResolvers<UserErrorSource>("field", "message"),
  code: userErrorCode,
};

export const valueResolvers: ResolverMap = {
  MoneyV2: objectResolvers<Money>({
    amount: (source) => decimal(source.amount),
    currencyCode: (source) => source.currencyCode,
  }),
  MoneyBag: objectResolvers<Money>({
    shopMoney: (source) => source,
    // Orders are in the shop currency: what the buyer saw is the same amount.
    presentmentMoney: (source) => source,
  }),
  PageInfo: propertyResolvers<{ hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }>(
    "hasNextPage",
    "hasPreviousPage",
    "startCursor",
    "endCursor",
  ),
  Count: propertyResolvers<{ count: number; precision: "EXACT" | "AT_LEAST" }>("count", "precision"),
  Attribute: propertyResolvers<{ key: string; value: string | null }>("key", "value"),
  UserError: propertyResolvers<UserErrorSource>("field", "message"),
  BulkOperationUserError: userError,
  BulkMutationUserError: userError,
  DiscountUserError: { ...userError, extraInfo: () => null },
  MetafieldsSetUserError: {
    ...userError,
    elementIndex: (source: UserErrorSource) => source.elementIndex ?? null,
  },
  MetafieldDefinitionCreateUserError: {
    ...userError,
    elementIndex: () => null,
    elementKey: () => null,
  },
  MetafieldDefinitionUpdateUserError: {
    ...userError,
    elementIndex: () => null,
    elementKey: () => null,
  },
  ...Object.fromEntries(
    CONNECTIONS.flatMap((name) => [
      [`${name}Connection`, connectionResolvers()],
      [`${name}Edge`, edgeResolvers],
    ]),
  ),
};
