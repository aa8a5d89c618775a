import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, however the test or script was started. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** ../shared beside the clone (CI and every developer have it there). */
export const SHARED_DIR = process.env.LIFECYCLE_SHARED_DIR ?? path.resolve(REPO_ROOT, "..", "shared");

/** Shopify's published Admin API 2026-07 schema (introspection result, gzipped). */
export const ADMIN_SCHEMA_FILE = path.join(SHARED_DIR, "shopify", "admin-2026-07.introspection.json.gz");
