import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, however the test or script was started. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

// Shopify's Admin schema in schema/, named where the codegen tooling reads it.
export { ADMIN_SCHEMA_FILE } from "../../scripts/graphql/admin-schema-file";
