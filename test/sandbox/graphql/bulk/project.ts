import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from "graphql";
import type { ConnectionSource } from "../connection";
import { isConnectionType } from "../cost";
import { typeNameOf, type ResolverContext } from "../resolvers/context";
import { unpagedResolver } from "../resolvers/dispatch";
import { collectFields, subSelections, type SelectionContext } from "../selection";

/** A connection met inside a bulk row: its items become rows of their own. */
export interface NestedConnection {
  source: ConnectionSource<unknown>;
  nodeType: GraphQLCompositeType;
  /** The `node` fields under `edges`: what to select on each item. */
  nodeFields: FieldNode[];
}

type Complete = (value: unknown, nested: NestedConnection[]) => unknown;

interface CompiledField {
  key: string;
  /** `__typename`, answered without a resolver. */
  typename: string | null;
  resolve: (source: unknown) => unknown;
  /** Set for connections: their items go to `nested` instead of the row. */
  connection: { nodeType: GraphQLCompositeType; nodeFields: FieldNode[] } | null;
  complete: Complete;
}

/**
 * Resolves selections over sandbox objects with the same resolvers and scope checks as graphql-js
 * execution, but compiles each selection once (argument values, type checks, completion) instead
 * of redoing it for every row: bulk exports run it hundreds of thousands of times. Connections are
 * not inlined but handed to `nested`, as Shopify's JSONL puts their items on lines of their own.
 */
export class Projector {
  private readonly compiled = new WeakMap<FieldNode, Map<string, CompiledField[]>>();

  constructor(
    private readonly context: ResolverContext,
    private readonly selection: SelectionContext,
    private readonly operation: OperationDefinitionNode,
  ) {}

  project(type: GraphQLObjectType, source: unknown, owner: FieldNode[], nested: NestedConnection[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const field of this.fieldsOf(type, owner)) {
      if (field.typename !== null) {
        row[field.key] = field.typename;
        continue;
      }
      const value = field.resolve(source);
      if (field.connection) {
        nested.push({ source: value as ConnectionSource<unknown>, ...field.connection });
        continue;
      }
      row[field.key] = field.complete(value, nested);
    }
    return row;
  }

  /** The concrete object type of a value for a (possibly abstract) field. */
  objectTypeOf(type: GraphQLCompositeType, value: unknown): GraphQLObjectType {
    if (isObjectType(type)) return type;
    const name = typeNameOf(value);
    const resolved = name ? this.selection.schema.getType(name) : undefined;
    if (!resolved || !isObjectType(resolved)) throw new GraphQLError(`Cannot resolve the concrete type of a ${type.name}`);
    return resolved;
  }

  /** The `node` fields selected under a connection's `edges`. */
  nodeFieldsOf(connection: GraphQLObjectType, nodes: FieldNode[]): FieldNode[] {
    const named = (fields: Map<string, FieldNode[]>, name: string) => [...fields.values()].flat().filter((node) => node.name.value === name);
    const edges = named(collectFields(this.selection, connection, subSelections(nodes)), "edges");
    const edgeType = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
    return named(collectFields(this.selection, edgeType, subSelections(edges)), "node");
  }

  private fieldsOf(type: GraphQLObjectType, owner: FieldNode[]): CompiledField[] {
    let byType = this.compiled.get(owner[0]!);
    if (!byType) {
      byType = new Map();
      this.compiled.set(owner[0]!, byType);
    }
    let fields = byType.get(type.name);
    if (!fields) {
      fields = [...collectFields(this.selection, type, subSelections(owner))].map(([key, nodes]) => this.compile(type, key, nodes));
      byType.set(type.name, fields);
    }
    return fields;
  }

  private compile(type: GraphQLObjectType, key: string, nodes: FieldNode[]): CompiledField {
    const name = nodes[0]!.name.value;
    if (name === "__typename") return { key, typename: type.name, resolve: () => null, connection: null, complete: (value) => value };
    const definition = type.getFields()[name]!;
    const named = getNamedType(definition.type);
    const resolver = unpagedResolver(this.context, type.name, name, definition.type);
    const args = getArgumentValues(definition, nodes[0]!, this.selection.variables);
    const info = {
      fieldName: name,
      fieldNodes: nodes,
      returnType: definition.type,
      parentType: type,
      path: { prev: undefined, key, typename: type.name },
      schema: this.selection.schema,
      fragments: this.selection.fragments,
      rootValue: undefined,
      operation: this.operation,
      variableValues: this.selection.variables,
    } as unknown as GraphQLResolveInfo;
    const resolve = (source: unknown) => resolver(source, args, info);
    const connection = isConnectionType(named)
      ? { nodeType: getNamedType(named.getFields().nodes!.type) as GraphQLCompositeType, nodeFields: this.nodeFieldsOf(named, nodes) }
      : null;
    return { key, typename: null, resolve, connection, complete: this.completer(definition.type, nodes, `${type.name}.${name}`) };
  }

  /** Completion for one field's type, decided once: non-null checks, lists, scalars, objects. */
  private completer(type: GraphQLOutputType, nodes: FieldNode[], field: string): Complete {
    if (isNonNullType(type)) {
      const inner = this.completer(type.ofType, nodes, field);
      return (value, nested) => {
        const completed = inner(value, nested);
        if (completed === null) throw new GraphQLError(`Cannot return null for non-nullable field ${field}.`);
        return completed;
      };
    }
    if (isListType(type)) {
      const item = this.completer(type.ofType, nodes, field);
      return (value, nested) => (value == null ? null : (value as unknown[]).map((element) => item(element, nested)));
    }
    if (isLeafType(type)) return (value) => (value == null ? null : type.serialize(value));
    const composite = type as GraphQLCompositeType;
    return (value, nested) => (value == null ? null : this.project(this.objectTypeOf(composite, value), value, nodes, nested));
  }
}
