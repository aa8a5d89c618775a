import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isObjectType,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from "graphql";
import { collectFields, fieldDefinition, subSelections, type SelectionContext } from "./selection";

/** Shopify's documented rule: a single query may not ask for more than this. */
export const MAX_QUERY_COST = 1000;
const MUTATION_COST = 10;

/**
 * Fields Shopify prices differently from the default rules. Counts are computed by a search, not
 * read off an object: a captured 2025-01 response charged `customersCount` 10 points.
 */
const FIELD_COST: Record<string, number> = {
  "QueryRoot.customersCount": 10,
  "QueryRoot.ordersCount": 10,
};

export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "edges" in fields && "pageInfo" in fields;
}

/**
 * The cost Shopify computes before running an operation: scalars and enums 0, objects 1,
 * connections 2 plus `first`/`last` times the cost of one item, abstract types the most expensive
 * possibility, each mutation field 10.
 */
export function requestedQueryCost(context: SelectionContext, operation: OperationDefinitionNode): number {
  const root = rootType(context, operation);
  if (operation.operation === "mutation") return mutationCost(context, root, operation);
  return selectionCost(context, root, [operation.selectionSet]);
}

/**
 * The cost of what was actually returned: connections are charged for the items they returned,
 * objects that came back null for nothing below them.
 */
export function actualQueryCost(
  context: SelectionContext,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined,
): number {
  const root = rootType(context, operation);
  if (operation.operation === "mutation") return mutationCost(context, root, operation);
  if (!data) return 0;
  return actualSelectionCost(context, root, [operation.selectionSet], data);
}

function rootType(context: SelectionContext, operation: OperationDefinitionNode): GraphQLObjectType {
  const type = operation.operation === "mutation" ? context.schema.getMutationType() : context.schema.getQueryType();
  if (!type) throw new Error(`The schema has no ${operation.operation} type`);
  return type;
}

function mutationCost(context: SelectionContext, root: GraphQLObjectType, operation: OperationDefinitionNode): number {
  let cost = 0;
  for (const [, nodes] of collectFields(context, root, [operation.selectionSet])) {
    if (nodes[0]?.name.value !== "__typename") cost += MUTATION_COST;
  }
  return cost;
}

function selectionCost(context: SelectionContext, type: GraphQLCompositeType, selectionSets: FieldNode["selectionSet"][]): number {
  const sets = selectionSets.filter((set) => set !== undefined);
  if (isAbstractType(type)) {
    // The most expensive of what the object could turn out to be.
    let max = concreteSelectionCost(context, type, sets);
    for (const possible of context.schema.getPossibleTypes(type)) {
      max = Math.max(max, concreteSelectionCost(context, possible, sets));
    }
    return max;
  }
  return concreteSelectionCost(context, type, sets);
}

function concreteSelectionCost(
  context: SelectionContext,
  type: GraphQLCompositeType,
  selectionSets: NonNullable<FieldNode["selectionSet"]>[],
): number {
  let cost = 0;
  for (const [, nodes] of collectFields(context, type, selectionSets)) {
    const definition = fieldDefinition(type, nodes[0]!.name.value);
    if (definition) cost += fieldCost(context, type, nodes, definition);
  }
  return cost;
}

function fieldCost(
  context: SelectionContext,
  parent: GraphQLCompositeType,
  nodes: FieldNode[],
  definition: NonNullable<ReturnType<typeof fieldDefinition>>,
): number {
  const fixed = FIELD_COST[`${parent.name}.${definition.name}`];
  if (fixed !== undefined) return fixed;
  const type = getNamedType(definition.type);
  if (isLeafType(type) || !isCompositeType(type)) return 0;
  if (isConnectionType(type)) {
    const args = getArgumentValues(definition, nodes[0]!, context.variables);
    const size = pageSize(args);
    return 2 + size * connectionItemCost(context, type, nodes);
  }
  return 1 + selectionCost(context, type, subSelections(nodes));
}

function pageSize(args: Record<string, unknown>): number {
  const first = typeof args.first === "number" ? args.first : 0;
  const last = typeof args.last === "number" ? args.last : 0;
  return Math.max(first, last);
}

/** One item of a connection: its node (1) and what is selected on it, via edges or nodes. */
function connectionItemCost(context: SelectionContext, connection: GraphQLObjectType, nodes: FieldNode[]): number {
  // Connections of scalars (StringConnection) cost only the connection itself.
  if (isLeafType(getNamedType(connection.getFields().nodes!.type))) return 0;
  let item = 0;
  const fields = collectFields(context, connection, subSelections(nodes));
  for (const [, fieldNodes] of fields) {
    const name = fieldNodes[0]!.name.value;
    if (name === "nodes") {
      item = Math.max(item, 1 + selectionCost(context, nodeType(connection), subSelections(fieldNodes)));
    } else if (name === "edges") {
      const edgeType = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
      for (const [, edgeFields] of collectFields(context, edgeType, subSelections(fieldNodes))) {
        if (edgeFields[0]!.name.value !== "node") continue;
        item = Math.max(item, 1 + selectionCost(context, nodeType(connection), subSelections(edgeFields)));
      }
    }
  }
  return item;
}

function nodeType(connection: GraphQLObjectType): GraphQLCompositeType {
  return getNamedType(connection.getFields().nodes!.type) as GraphQLCompositeType;
}

function actualSelectionCost(
  context: SelectionContext,
  type: GraphQLCompositeType,
  selectionSets: NonNullable<FieldNode["selectionSet"]>[],
  value: Record<string, unknown>,
): number {
  // The data does not say which concrete type an abstract field returned: charge what was asked.
  if (isAbstractType(type)) return selectionCost(context, type, selectionSets);
  let cost = 0;
  for (const [key, nodes] of collectFields(context, type, selectionSets)) {
    const definition = fieldDefinition(type, nodes[0]!.name.value);
    if (definition) cost += actualFieldCost(context, type, nodes, definition, value[key]);
  }
  return cost;
}

function actualFieldCost(
  context: SelectionContext,
  parent: GraphQLCompositeType,
  nodes: FieldNode[],
  definition: NonNullable<ReturnType<typeof fieldDefinition>>,
  value: unknown,
): number {
  const fixed = FIELD_COST[`${parent.name}.${definition.name}`];
  if (fixed !== undefined) return fixed;
  const type = getNamedType(definition.type);
  if (isLeafType(type) || !isCompositeType(type)) return 0;
  if (value === null || value === undefined) return 1;
  if (isConnectionType(type)) return 2 + actualConnectionItems(context, type, nodes, value as Record<string, unknown>);
  const sets = subSelections(nodes);
  if (Array.isArray(value)) {
    let widest = 0;
    for (const element of value) {
      if (element && typeof element === "object") {
        widest = Math.max(widest, actualSelectionCost(context, type, sets, element as Record<string, unknown>));
      }
    }
    return 1 + widest;
  }
  return 1 + actualSelectionCost(context, type, sets, value as Record<string, unknown>);
}

function actualConnectionItems(
  context: SelectionContext,
  connection: GraphQLObjectType,
  nodes: FieldNode[],
  value: Record<string, unknown>,
): number {
  if (isLeafType(getNamedType(connection.getFields().nodes!.type))) return 0;
  const perItem: number[] = [];
  const charge = (index: number, cost: number) => {
    perItem[index] = Math.max(perItem[index] ?? 0, cost);
  };
  const itemType = nodeType(connection);
  for (const [key, fieldNodes] of collectFields(context, connection, subSelections(nodes))) {
    const name = fieldNodes[0]!.name.value;
    const items = value[key];
    if (!Array.isArray(items)) continue;
    if (name === "nodes") {
      items.forEach((item, index) =>
        charge(index, 1 + actualSelectionCost(context, itemType, subSelections(fieldNodes), item as Record<string, unknown>)),
      );
    } else if (name === "edges") {
      const edgeType = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
      const edgeFields = collectFields(context, edgeType, subSelections(fieldNodes));
      items.forEach((edge, index) => {
        let cost = 1;
        for (const [edgeKey, nodeFields] of edgeFields) {
          if (nodeFields[0]!.name.value !== "node") continue;
          const node = (edge as Record<string, unknown>)[edgeKey] as Record<string, unknown>;
          cost = Math.max(cost, 1 + actualSelectionCost(context, itemType, subSelections(nodeFields), node));
        }
        charge(index, cost);
      });
    }
  }
  return perItem.reduce((sum, cost) => sum + cost, 0);
}
