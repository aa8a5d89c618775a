import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/**
 * Shopify's published Admin API 2026-07 schema, which the repository carries in schema/ (see its
 * README) for codegen too: the one file outside this package that the sandbox reads on its own.
 */
const ADMIN_SCHEMA_FILE = fileURLToPath(new URL("../../../schema/admin-2026-07.introspection.json.gz", import.meta.url));

let cached: GraphQLSchema | undefined;

/** The real Admin API 2026-07 schema; what Shopify would reject, this rejects too. */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString("utf8")) as
      | { data: IntrospectionQuery }
      | IntrospectionQuery;
    cached = buildClientSchema("data" in json ? json.data : json);
  }
  return cached;
}
