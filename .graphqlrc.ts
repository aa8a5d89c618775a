import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";
import type { IGraphQLConfig } from "graphql-config";
import { ADMIN_SCHEMA_JSON } from "./scripts/graphql/admin-schema-file";

// A selected field is always in the response (null when empty), so it is never optional in the types;
// inputs and arguments stay optional.
const typesConfig = { avoidOptionals: { field: true } };

// The two outputs shopifyApiProject declares, written out because shopifyApiProject downloads the schema from
// shopify.dev; here it is the copy in schema/ (npm run graphql-codegen unpacks it first).
const config: IGraphQLConfig = {
  projects: {
    default: {
      schema: ADMIN_SCHEMA_JSON,
      documents: ["app/**/*.{ts,tsx}", "!app/types/**"],
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            // Enums as string unions: a .d.ts has no runtime values to import, and variables can be plain literals.
            "app/types/admin.types.d.ts": { plugins: ["typescript"], config: { ...typesConfig, enumsAsTypes: true } },
            // Augments @shopify/admin-api-client, so admin.graphql(`#graphql …`) is typed by its document.
            "app/types/admin.generated.d.ts": { preset, presetConfig: { apiType: ApiType.Admin }, config: typesConfig },
          },
        },
      },
    },
  },
};

export default config;
