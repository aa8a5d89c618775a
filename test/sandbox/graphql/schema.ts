import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { ADMIN_SCHEMA_FILE } from "../../support/paths";

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
