import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { API_VERSION } from "../../app/api-version";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Shopify's published Admin API 2026-07 schema (introspection result, gzipped), carried in the repository (schema/README.md). */
export const ADMIN_SCHEMA_FILE = path.join(REPO_ROOT, "schema", "admin-2026-07.introspection.json.gz");

/** Where graphql-codegen and editors (.graphqlrc.ts) read the Admin schema: a plain JSON copy of schema/'s gzipped one. */
export const ADMIN_SCHEMA_JSON = path.join(REPO_ROOT, ".cache", `admin-${API_VERSION}.schema.json`);

/** Writes ADMIN_SCHEMA_JSON from the gzipped introspection result in schema/. */
export function unpackAdminSchema(): string {
  // The file is named after its version; types for API_VERSION made from another version's schema would lie.
  if (!path.basename(ADMIN_SCHEMA_FILE).includes(API_VERSION)) {
    throw new Error(`${ADMIN_SCHEMA_FILE} is not the Admin API ${API_VERSION} schema (app/api-version.ts)`);
  }
  mkdirSync(path.dirname(ADMIN_SCHEMA_JSON), { recursive: true });
  // Write then rename, so a codegen run reading the file at the same time never sees half of it.
  const partial = `${ADMIN_SCHEMA_JSON}.${process.pid}.tmp`;
  writeFileSync(partial, gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)));
  renameSync(partial, ADMIN_SCHEMA_JSON);
  return ADMIN_SCHEMA_JSON;
}
