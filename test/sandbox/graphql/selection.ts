import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

/** What every walk over an operation's selections needs besides the selections themselves. */
export interface SelectionContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function selectionContext(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): SelectionContext {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { schema, fragments, variables };
}

/**
 * The fields selected on `type`, grouped by response key (graphql-js's CollectFields), honouring
 * @skip/@include. `type` may be abstract: then only fragments on that very type (or none) apply.
 */
export function collectFields(
  context: SelectionContext,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(context, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || applies(context.schema, selection.typeCondition.name.value, type)) {
          visit(selection.selectionSet);
        }
      } else {
        const name = selection.name.value;
        const fragment = context.fragments[name];
        if (visited.has(name) || !fragment || !applies(context.schema, fragment.typeCondition.name.value, type)) continue;
        visited.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

/** The merged sub-selections of one response key's field nodes. */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

export function fieldDefinition(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return "getFields" in type ? type.getFields()[name] : undefined;
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLCompositeType): boolean {
  if (condition === type.name) return true;
  const conditionType: GraphQLNamedType | undefined | null = schema.getType(condition);
  return !!conditionType && isAbstractType(conditionType) && isObjectType(type) && schema.isSubType(conditionType, type);
}

function included(context: SelectionContext, node: FieldNode | SelectionSetNode["selections"][number]): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, context.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, context.variables);
  return include?.if !== false;
}
