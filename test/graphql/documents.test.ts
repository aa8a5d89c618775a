import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { describeErrors, documentsIn, findDocuments, validateAdminDocument, type GraphqlDocument } from "./documents";

const documents = findDocuments();

function operations(document: GraphqlDocument): OperationDefinitionNode[] {
  return parse(document.source).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
}

function label(document: GraphqlDocument): string {
  try {
    const names = operations(document).map((operation) => operation.name?.value ?? "anonymous");
    return `${document.file}:${names.join(",") || document.line}`;
  } catch {
    return `${document.file}:${document.line}`; // unparsable; its own test says why
  }
}

function errorsIn(source: string): string[] {
  return validateAdminDocument(source).map((error) => error.message);
}

describe("GraphQL documents in app/", () => {
  it("are found, ShopOverview among them", () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.map(label)).toContain("app/admin-api/shop-overview.server.ts:ShopOverview");
  });

  it.each(documents.map((document) => [label(document), document] as const))(
    "%s is valid against the Admin API schema",
    (_, document) => {
      expect(describeErrors(document, validateAdminDocument(document.source))).toEqual([]);
    },
  );

  it("hold one named operation each, no name used twice", () => {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const document of documents) {
      const where = `${document.file}:${document.line}`;
      let found: OperationDefinitionNode[];
      try {
        found = operations(document);
      } catch {
        continue; // a syntax error, which the document's own test reports
      }
      if (found.length !== 1) problems.push(`${where}: ${found.length} operations, expected 1`);
      for (const operation of found) {
        const name = operation.name?.value;
        if (!name) problems.push(`${where}: anonymous ${operation.operation}`);
        else if (seen.has(name)) problems.push(`${where}: ${name} is already defined at ${seen.get(name)}`);
        else seen.set(name, where);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("validateAdminDocument", () => {
  it("rejects a field the Admin API lacks, reporting the line in the source file", () => {
    const code = ["const QUERY = `#graphql", "  query Probe {", "    shop { notAField }", "  }", "`;"].join("\n");
    const [document] = documentsIn("app/example.ts", code);
    expect(describeErrors(document!, validateAdminDocument(document!.source))).toEqual([
      expect.stringMatching(/^app\/example\.ts:3: Cannot query field "notAField" on type "Shop"\./),
    ]);
  });

  it("rejects an argument of the wrong type", () => {
    expect(errorsIn('query Probe { customers(first: "ten") { nodes { id } } }')).toEqual([
      'Int cannot represent non-integer value: "ten"',
    ]);
  });

  it("rejects a syntax error", () => {
    expect(errorsIn("query Probe { shop { name }")).toEqual([expect.stringContaining("Syntax Error")]);
  });

  it("accepts a valid document", () => {
    expect(errorsIn("query Probe($first: Int!) { customers(first: $first) { nodes { id } } }")).toEqual([]);
  });
});

describe("documentsIn", () => {
  it("finds #graphql template literals with their line, and nothing else", () => {
    const code = [
      "const other = `query NotTagged { shop { name } }`;",
      "",
      "const QUERY = `#graphql",
      "  query Tagged { shop { name } }",
      "`;",
    ].join("\n");
    expect(documentsIn("app/example.ts", code)).toEqual([
      { file: "app/example.ts", line: 3, source: "#graphql\n  query Tagged { shop { name } }\n" },
    ]);
  });

  it("refuses a #graphql literal with ${…} interpolation, saying where it is", () => {
    const code = [
      "const FIELDS = 'name';",
      "const QUERY = `#graphql",
      "  query Interpolated { shop { ${FIELDS} } }",
      "`;",
    ].join("\n");
    expect(() => documentsIn("app/example.ts", code)).toThrow(/interpolation.*app\/example\.ts:2/);
  });
});
