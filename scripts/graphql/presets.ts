import * as typescriptPlugin from "@graphql-codegen/typescript";
import type { Types } from "@graphql-codegen/plugin-helpers";
import { preset as shopifyPreset } from "@shopify/api-codegen-preset";
import {
  getNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isScalarType,
  parse,
  printSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLNamedType,
} from "graphql";

/**
 * Shopify's preset (admin.generated.d.ts: each operation's types, and the augmentation of @shopify/admin-api-client
 * that types admin.graphql by its document), with selections resolved to primitives. The preset's own Pick<> of
 * the schema's object types needs all of the Admin API's types generated, about 86,000 lines.
 */
export const adminOperationsPreset: Types.OutputPreset = {
  buildGeneratesSection: async (options) =>
    (await shopifyPreset.buildGeneratesSection(options)).map((section) => ({
      ...section,
      plugins: section.plugins.map((plugin) =>
        "typescript-operations" in plugin ? { "typescript-operations": { ...plugin["typescript-operations"], preResolveTypes: true } } : plugin,
      ),
    })),
};

/**
 * admin.types.d.ts: what the operations refer to and nothing else — the scalars, enums and input types their
 * variables and selections use (with the inputs those inputs hold), not the whole Admin API.
 */
export const adminUsedTypesPreset: Types.OutputPreset = {
  buildGeneratesSection: (options) => {
    const schema = usedTypesSchema(options.schemaAst!, options.documents);
    return [
      {
        filename: options.baseOutputDir,
        plugins: [{ typescript: { onlyOperationTypes: true } }],
        pluginMap: { typescript: typescriptPlugin },
        schema: parse(printSchema(schema)),
        schemaAst: schema,
        documents: [],
        config: options.config,
        profiler: options.profiler,
      },
    ];
  },
};

/** A schema of the named types the documents use as variables or select as enums and scalars; GraphQLSchema adds the inputs they reference. */
function usedTypesSchema(schema: GraphQLSchema, documents: Types.DocumentFile[]): GraphQLSchema {
  const used = new Map<string, GraphQLNamedType>();
  const use = (type: GraphQLNamedType) => {
    if (isEnumType(type) || isScalarType(type) || isInputObjectType(type)) used.set(type.name, type);
  };
  const typeInfo = new TypeInfo(schema);
  for (const { document } of documents) {
    if (!document) continue;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        VariableDefinition: () => {
          const type = typeInfo.getInputType();
          if (type) use(getNamedType(type));
        },
        Field: () => {
          const type = typeInfo.getType();
          if (type) use(getNamedType(type));
        },
      }),
    );
  }
  return new GraphQLSchema({ types: [...used.values()].sort((a, b) => a.name.localeCompare(b.name)) });
}
