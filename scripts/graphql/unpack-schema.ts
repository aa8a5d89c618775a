import path from "node:path";
import { unpackAdminSchema } from "./admin-schema-file";

// Run before graphql-codegen (npm run graphql-codegen): codegen reads the schema from disk, never from shopify.dev.
console.log(`Admin schema: ${path.relative(process.cwd(), unpackAdminSchema())}`);
