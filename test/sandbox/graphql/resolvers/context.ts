import type { GraphQLResolveInfo, GraphQLSchema } from "graphql";
import type { SandboxShopApi } from "../../store/shop-api";
import type { Scopes } from "../access";
import type { FileStore } from "../files";
import type { SearchWarning } from "../query-filter";

/** A search that reported problems, as Shopify lists them under `extensions.search`. */
export interface SearchReport {
  path: (string | number)[];
  query: string;
  warnings: SearchWarning[];
}

/** The schema and the resolvers that serve it: what executing any document needs. */
export interface Engine {
  schema: GraphQLSchema;
  resolvers: ResolverMap;
}

/** What every resolver gets besides its source and arguments. */
export interface ResolverContext {
  engine: Engine;
  shop: SandboxShopApi;
  /** Numeric app id: `$app` namespaces resolve to `app--<appId>`. */
  appId: string;
  scopes: Scopes;
  files: FileStore;
  searchReports: SearchReport[];
}

export type Args = Record<string, unknown>;

export type FieldResolver<S> = (source: S, args: Args, context: ResolverContext, info: GraphQLResolveInfo) => unknown;

/** A type's field resolvers. `never` sources let each type declare its own source shape. */
export type TypeResolvers = Readonly<Record<string, FieldResolver<never>>>;
export type ResolverMap = Readonly<Record<string, TypeResolvers>>;

export function objectResolvers<S>(fields: Record<string, FieldResolver<S>>): TypeResolvers {
  return fields;
}

/** Resolvers that read same-named properties of a plain source object. */
export function propertyResolvers<S extends object>(...names: (keyof S & string)[]): TypeResolvers {
  const fields: Record<string, FieldResolver<S>> = {};
  for (const name of names) fields[name] = (source) => source[name];
  return fields;
}

const typeNames = new WeakMap<object, string>();

/**
 * Marks a value returned for an abstract type (Node, a union) with its concrete type, so the type
 * resolver does not have to guess from its shape.
 */
export function typed<T extends object>(typeName: string, value: T): T {
  typeNames.set(value, typeName);
  return value;
}

export function typeNameOf(value: unknown): string | undefined {
  return value !== null && typeof value === "object" ? typeNames.get(value) : undefined;
}
