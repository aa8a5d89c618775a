import {
  getNamedType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from "graphql";
import { readScopeFor } from "../access";
import { checkPageSize, type ConnectionArgs } from "../connection";
import { isConnectionType } from "../cost";
import { notImplemented } from "../errors";
import { typeNameOf, type Args, type FieldResolver, type ResolverContext } from "./context";

/**
 * Every field of a request goes through here: a field without a resolver fails loudly, a field
 * returning a protected type (Customer, Order, ...) needs its read scope, as Shopify checks per
 * field, and a connection needs a page size.
 */
export const dispatchField: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, context, info) => {
  if (isConnectionType(getNamedType(info.returnType))) checkPageSize(args as ConnectionArgs);
  return unpagedResolver(context, info.parentType.name, info.fieldName, info.returnType)(source, args, info);
};

/**
 * A field's resolver behind its scope check, without the page size rule: bulk operations read
 * whole connections. Looked up once, called per row.
 */
export function unpagedResolver(
  context: ResolverContext,
  typeName: string,
  fieldName: string,
  returnType: GraphQLOutputType,
): (source: unknown, args: Args, info: GraphQLResolveInfo) => unknown {
  const resolver = context.engine.resolvers[typeName]?.[fieldName] as FieldResolver<unknown> | undefined;
  const scope = readScopeFor(getNamedType(returnType).name);
  return (source, args, info) => {
    if (!resolver) throw notImplemented(typeName, fieldName);
    if (scope) context.scopes.require(scope, fieldName);
    return resolver(source, args, context, info);
  };
}

/** Values for abstract types are marked with their concrete type when they are handed out. */
export const resolveType: GraphQLTypeResolver<unknown, ResolverContext> = (value, _context, info, abstractType) => {
  const name = typeNameOf(value);
  if (!name) throw notImplemented(abstractType.name, `${info.fieldName} (untyped value)`);
  return name;
};
