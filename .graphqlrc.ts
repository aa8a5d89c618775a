import { ApiType, pluckConfig } from "@shopify/api-codegen-preset";
import type { IGraphQLConfig } from "graphql-config";
import { ADMIN_SCHEMA_JSON } from "./scripts/graphql/admin-schema-file";
import { adminOperationsPreset, adminUsedTypesPreset } from "./scripts/graphql/presets";

const typesConfig = {
  // A selected field is always in the response (null when empty), so it is never optional in the types;
  // inputs and arguments stay optional.
  avoidOptionals: { field: true },
  // The Admin API's custom scalars as they arrive in JSON; one Shopify adds later is unknown until named here.
  scalars: {
    ARN: "string",
    BigInt: "string",
    Color: "string",
    Date: "string",
    DateTime: "string",
    Decimal: "string",
    FormattedString: "string",
    HTML: "string",
    JSON: "unknown",
    Money: "string",
    StorefrontID: "string",
    URL: "string",
    UnsignedInt64: "string",
    UtcOffset: "string",
  },
  defaultScalarType: "unknown",
};

// The two outputs shopifyApiProject declares, written out because shopifyApiProject downloads the schema from
// shopify.dev; here it is the copy in schema/ (npm run graphql-codegen unpacks it first). Both hold only what
// the app's documents use (scripts/graphql/presets.ts).
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
            "app/types/admin.types.d.ts": { preset: adminUsedTypesPreset, config: { ...typesConfig, enumsAsTypes: true } },
            // Augments @shopify/admin-api-client, so admin.graphql(`#graphql …`) is typed by its document.
            "app/types/admin.generated.d.ts": { preset: adminOperationsPreset, presetConfig: { apiType: ApiType.Admin }, config: typesConfig },
          },
        },
      },
    },
  },
};

export default config;
