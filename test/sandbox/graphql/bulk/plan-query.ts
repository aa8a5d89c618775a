import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isListType,
  parse,
  validate,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from "graphql";
import { isConnectionType } from "../cost";
import type { Engine } from "../resolvers/context";
import { documentPaths, syntaxDescription, validationError } from "../response-errors";
import { collectFields, selectionContext, subSelections, type SelectionContext } from "../selection";

export interface BulkQueryPlan {
  operation: OperationDefinitionNode;
  selection: SelectionContext;
  /** The top-level connection field: its items are the root rows. */
  rootNodes: FieldNode[];
  rootType: GraphQLObjectType;
  /** Children right after their parent instead of wherever they come. */
  groupObjects: boolean;
}

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

/**
 * Checks a bulk query the way bulkOperationRunQuery does (one top-level connection, at most five
 * connections nested at most two deep, `edges { node }` only, parent nodes selecting `id`) and
 * that the sandbox serves every field it selects. Answers the plan or the userError messages.
 */
export function planBulkQuery(engine: Engine, query: string, groupObjects: boolean): { plan: BulkQueryPlan } | { errors: string[] } {
  if (query.trim() === "") return { errors: ["Invalid bulk query: syntax error, unexpected end of file"] };
  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [`Invalid bulk query: ${syntaxDescription(error)}`] };
    throw error;
  }
  const operation = getOperationAST(document);
  if (!operation) return { errors: ["Invalid bulk query: a bulk query must contain exactly one operation"] };
  if (operation.operation !== "query") return { errors: ["Invalid operation type. Only `query` operations are supported."] };
  const invalid = validate(engine.schema, document);
  if (invalid.length > 0) {
    const paths = documentPaths(document);
    return { errors: invalid.map((error) => `Invalid bulk query: ${validationError(error, paths).message}`) };
  }

  const selection = selectionContext(engine.schema, document, {});
  const queryType = engine.schema.getQueryType()!;
  const roots = [...collectFields(selection, queryType, [operation.selectionSet]).values()].filter((nodes) => nodes[0]!.name.value !== "__typename");
  const analysis = new Analysis(engine, selection);
  for (const nodes of roots) analysis.field(queryType, nodes, { depth: -1, inList: false, parentConnection: null, parentSelectsId: true });

  const errors: string[] = [];
  if (analysis.nodesConnections.length > 0) {
    errors.push(
      `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${analysis.nodesConnections[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '${analysis.nodesConnections.join("', '")}'.`,
    );
  }
  const topLevelNode = roots.some((nodes) => ["node", "nodes"].includes(nodes[0]!.name.value));
  if (topLevelNode) errors.push("Bulk queries cannot contain a top level `node` field.");
  if (analysis.maxDepth > MAX_DEPTH) errors.push(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`);
  if (analysis.connections > MAX_CONNECTIONS) errors.push(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  if (analysis.withoutParentId.length > 0) {
    errors.push(
      `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${analysis.withoutParentId.join(", ")}.`,
    );
  }
  if (analysis.connectionInList) errors.push("Queries that contain a connection field within a list field are not currently supported.");
  if (analysis.connections === 0 && (errors.length === 0 || (topLevelNode && errors.length === 1))) {
    errors.push("Bulk queries must contain at least one connection.");
  }
  if (errors.length === 0 && roots.length > 1) errors.push("Bulk queries must contain a single top level field.");
  const root = roots[0];
  if (errors.length === 0 && root && !isConnectionType(getNamedType(queryType.getFields()[root[0]!.name.value]!.type))) {
    errors.push(`The Lifecycle sandbox store runs bulk queries whose top level field is a connection; '${root[0]!.name.value}' is not.`);
  }
  errors.push(...analysis.unimplemented.map((field) => `${field} is not implemented by the Lifecycle sandbox store`));
  if (errors.length > 0 || !root) return { errors };
  return { plan: { operation, selection, rootNodes: root, rootType: queryType, groupObjects } };
}

interface Position {
  depth: number;
  inList: boolean;
  parentConnection: string | null;
  parentSelectsId: boolean;
}

class Analysis {
  connections = 0;
  maxDepth = 0;
  connectionInList = false;
  nodesConnections: string[] = [];
  withoutParentId: string[] = [];
  unimplemented: string[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly selection: SelectionContext,
  ) {}

  field(parent: GraphQLCompositeType, nodes: FieldNode[], position: Position): void {
    const name = nodes[0]!.name.value;
    if (name === "__typename" || !("getFields" in parent)) return;
    const definition = parent.getFields()[name];
    if (!definition) return;
    if (!isAbstractType(parent) && !this.engine.resolvers[parent.name]?.[name]) this.unimplemented.push(`${parent.name}.${name}`);
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return;
    if (isConnectionType(type)) {
      this.connection(type, nodes, position);
      return;
    }
    const inList = position.inList || isListType(getNullableType(definition.type));
    this.selections(type, nodes, { ...position, inList });
  }

  private connection(type: GraphQLObjectType, nodes: FieldNode[], position: Position): void {
    const name = nodes[0]!.name.value;
    const depth = position.depth + 1;
    this.connections += 1;
    this.maxDepth = Math.max(this.maxDepth, depth);
    if (position.inList) this.connectionInList = true;
    if (depth > 0 && !position.parentSelectsId && position.parentConnection) this.withoutParentId.push(position.parentConnection);
    const children = collectFields(this.selection, type, subSelections(nodes));
    const byName = (fields: Map<string, FieldNode[]>, field: string) => [...fields.values()].flat().filter((node) => node.name.value === field);
    if (byName(children, "nodes").length > 0) this.nodesConnections.push(name);
    const edgeType = getNamedType(type.getFields().edges!.type) as GraphQLObjectType;
    const nodeFields = byName(collectFields(this.selection, edgeType, subSelections(byName(children, "edges"))), "node");
    if (nodeFields.length === 0) return;
    const nodeType = getNamedType(type.getFields().nodes!.type) as GraphQLCompositeType;
    const selected = collectFields(this.selection, nodeType, subSelections(nodeFields));
    const selectsId = selected.get("id")?.some((node) => node.name.value === "id" && !node.alias) ?? false;
    this.selections(nodeType, nodeFields, { depth, inList: false, parentConnection: name, parentSelectsId: selectsId });
  }

  private selections(type: GraphQLCompositeType, nodes: FieldNode[], position: Position): void {
    const types = isAbstractType(type) ? [type, ...this.engine.schema.getPossibleTypes(type)] : [type];
    const seen = new Set<FieldNode>();
    for (const candidate of types) {
      for (const fieldNodes of collectFields(this.selection, candidate, subSelections(nodes)).values()) {
        if (seen.has(fieldNodes[0]!)) continue;
        seen.add(fieldNodes[0]!);
        this.field(candidate, fieldNodes, position);
      }
    }
  }
}
