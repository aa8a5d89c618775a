import { GraphQLError } from "graphql";

/**
 * Errors a resolver throws, in the shape Shopify answers them: graphql-js adds `locations` and
 * `path`, the `extensions` carry Shopify's code.
 */
function shopifyError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions });
}

/** A field the sandbox does not resolve: loud, so a test never mistakes a gap for a null. */
export function notImplemented(typeName: string, fieldName: string): GraphQLError {
  return shopifyError(`${typeName}.${fieldName} is not implemented by the Lifecycle sandbox store`, {
    code: "NOT_IMPLEMENTED_BY_SANDBOX",
    typeName,
    fieldName,
  });
}

/** An argument value the sandbox does not support (e.g. a sort key nobody uses). */
export function unsupportedArgument(typeName: string, fieldName: string, detail: string): GraphQLError {
  return shopifyError(`${typeName}.${fieldName}: ${detail} is not implemented by the Lifecycle sandbox store`, {
    code: "NOT_IMPLEMENTED_BY_SANDBOX",
    typeName,
    fieldName,
  });
}

export function accessDenied(fieldName: string, scope: string): GraphQLError {
  return shopifyError(`Access denied for ${fieldName} field. Required access: \`${scope}\` access scope.`, {
    code: "ACCESS_DENIED",
    documentation: "https://shopify.dev/api/usage/access-scopes",
    requiredAccess: `\`${scope}\` access scope.`,
  });
}

export function badRequest(message: string): GraphQLError {
  return shopifyError(message, { code: "BAD_REQUEST" });
}

export function invalidGlobalId(value: string): GraphQLError {
  return shopifyError(`Invalid global id '${value}'`, {
    code: "argumentLiteralsIncompatible",
    typeName: "CoercionError",
  });
}

export function invalidId(value: string): GraphQLError {
  return shopifyError(`Invalid id: ${value}`, { code: "RESOURCE_NOT_FOUND" });
}
