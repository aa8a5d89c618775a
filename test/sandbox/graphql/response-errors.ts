import {
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type SourceLocation,
} from "graphql";

/** An entry of a response's `errors`, in the order and shape Shopify writes them. */
export interface ResponseError {
  message: string;
  locations?: readonly SourceLocation[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * graphql-js describes syntax errors its own way; Shopify (graphql-ruby) says e.g.
 * "syntax error, unexpected end of file at [3, 5]".
 */
export function syntaxDescription(error: GraphQLError): string {
  const detail = error.message.replace(/^Syntax Error: /, "");
  const found = /(?:found|Unexpected) (.+?)\.?$/.exec(detail)?.[1];
  if (!found) return `syntax error, ${detail.replace(/\.$/, "")}`;
  if (found === "<EOF>") return "syntax error, unexpected end of file";
  const name = /^Name "(.*)"$/.exec(found);
  if (name) return `syntax error, unexpected IDENTIFIER ("${name[1]}")`;
  return `syntax error, unexpected ${found}`;
}

export function parseError(error: GraphQLError): ResponseError {
  const location = error.locations?.[0];
  return {
    message: location ? `${syntaxDescription(error)} at [${location.line}, ${location.column}]` : syntaxDescription(error),
    locations: error.locations,
    extensions: { code: "PARSE_ERROR" },
  };
}

/** Response paths of fields and arguments, prefixed like graphql-ruby: ["query Name", "customers", ...]. */
export function documentPaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  visit(document, {
    OperationDefinition: {
      enter: (node) => void stack.push(node.name ? `${node.operation} ${node.name.value}` : node.operation),
      leave: () => void stack.pop(),
    },
    FragmentDefinition: {
      enter: (node) => void stack.push(`fragment ${node.name.value}`),
      leave: () => void stack.pop(),
    },
    Field: {
      enter: (node) => {
        stack.push(node.alias?.value ?? node.name.value);
        paths.set(node, [...stack]);
      },
      leave: () => void stack.pop(),
    },
    Argument: (node) => void paths.set(node, [...stack, node.name.value]),
  });
  return paths;
}

const RULES: { pattern: RegExp; shape: (match: RegExpExecArray) => { message: string; extensions: Record<string, unknown> } }[] = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"\./,
    shape: ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: "undefinedField", typeName: type, fieldName: field },
    }),
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./,
    shape: ([, argument, field]) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: { code: "argumentNotAccepted", name: field, typeName: "Field", argumentName: argument },
    }),
  },
  {
    pattern: /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./,
    shape: ([, field, argument]) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: field, arguments: argument },
    }),
  },
  {
    pattern: /^Field "(\w+)" of type "\[*(\w+)[\]!]*" must have a selection of subfields/,
    shape: ([, field, type]) => ({
      message: `Field must have selections (field '${field}' returns ${type} but has no selections. Did you mean '${field} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: type },
    }),
  },
  {
    pattern: /^Field "(\w+)" must not have a selection since type "\[*(\w+)[\]!]*" has no subfields\./,
    shape: ([, field, type]) => ({
      message: `Selections can't be made on scalars (field '${field}' returns ${type} but has selections)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: type },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./,
    shape: ([, variable, given, expected]) => ({
      message: `Type mismatch on variable $${variable} and argument (${given} / ${expected})`,
      extensions: { code: "variableMismatch", variableName: variable, typeName: given },
    }),
  },
];

/** A document validation error the way Shopify words the common ones. */
export function validationError(error: GraphQLError, paths: Map<ASTNode, string[]>): ResponseError {
  const node = error.nodes?.[0];
  const path = node ? paths.get(node) : undefined;
  for (const rule of RULES) {
    const match = rule.pattern.exec(error.message);
    if (match) {
      const { message, extensions } = rule.shape(match);
      return { message, locations: error.locations, ...(path ? { path } : {}), extensions };
    }
  }
  return { message: error.message, locations: error.locations, ...(path ? { path } : {}), extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

/**
 * Variables that do not fit their declared types, worded as Shopify reports them: "Variable
 * $input of type X! was provided invalid value for title (Expected value to not be null)".
 */
export function variableError(error: GraphQLError, operation: OperationDefinitionNode, variables: Record<string, unknown>): ResponseError {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? "";
  const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
  const type = definition ? print(definition.type) : "";
  const at = /at "([^"]*)"/.exec(error.message)?.[1] ?? "";
  const path = [...at.slice(name.length).matchAll(/\[(\d+)\]|\.(\w+)/g)].map((match) => match[1] ?? match[2]!);
  const detail = error.message.split("; ").slice(1).join("; ").replace(/\.$/, "");
  const missingField = /^Field "(\w+)" of required type "[^"]+" was not provided$/.exec(detail)?.[1];
  if (missingField) path.push(missingField);
  const explanation = missingField || error.message.includes("was not provided") || !detail ? "Expected value to not be null" : detail;
  return {
    message: `Variable $${name} of type ${type} was provided invalid value${path.length > 0 ? ` for ${path.join(".")} (${explanation})` : ""}`,
    locations: definition?.loc ? [{ line: definition.loc.startToken.line, column: definition.loc.startToken.column }] : error.locations,
    extensions: { code: "INVALID_VARIABLE", value: variables[name] ?? null, problems: [{ path, explanation }] },
  };
}
