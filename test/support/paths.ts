import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, however the test or script was started. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Shopify's published Admin API 2026-07 schema (introspection result, gzipped), carried in the repository (schema/README.md). */
export const ADMIN_SCHEMA_FILE = path.join(REPO_ROOT, "schema", "admin-2026-07.introspection.json.gz");
