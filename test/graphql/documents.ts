import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { GraphQLError, parse, validate } from "graphql";
import ts from "typescript";
import { adminSchema } from "@lifecycle/shopify-sandbox";
import { REPO_ROOT } from "../support/paths";

export interface GraphqlDocument {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the opening backtick; GraphQL line 1 is this line. */
  line: number;
  source: string;
}

// The test @shopify/api-codegen-preset's pluckConfig applies, so validation and type generation see the same documents.
const GRAPHQL_TAG = /\s*#graphql\s*\n/i;

/** Every `#graphql` template literal in app/ (generated types aside), in file order. */
export function findDocuments(root = REPO_ROOT): GraphqlDocument[] {
  const appDir = path.join(root, "app");
  const files = readdirSync(appDir, { recursive: true, encoding: "utf8" })
    .map((file) => path.posix.join("app", file.split(path.sep).join("/")))
    .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("app/types/"))
    .sort();
  return files.flatMap((file) => documentsIn(file, readFileSync(path.join(root, file), "utf8")));
}

/** The `#graphql` template literals in one file; throws on one with `${…}`, which no tool can check or type. */
export function documentsIn(file: string, code: string): GraphqlDocument[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, kind);
  const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const documents: GraphqlDocument[] = [];
  const interpolated: string[] = [];

  const visit = (node: ts.Node) => {
    if (ts.isNoSubstitutionTemplateLiteral(node) && GRAPHQL_TAG.test(node.text)) {
      documents.push({ file, line: lineOf(node), source: node.text });
    } else if (ts.isTemplateExpression(node) && GRAPHQL_TAG.test(node.head.text)) {
      interpolated.push(`${file}:${lineOf(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);

  if (interpolated.length > 0) {
    throw new Error(
      `#graphql documents with \${…} interpolation cannot be validated or typed, write them out in full: ` +
        interpolated.join(", "),
    );
  }
  return documents;
}

/** What Shopify would reject before running the operation: syntax errors, then schema validation errors. */
export function validateAdminDocument(source: string): readonly GraphQLError[] {
  try {
    return validate(adminSchema(), parse(source));
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
}

/** `file:line: message` for each error, the line being the one in the source file. */
export function describeErrors(document: GraphqlDocument, errors: readonly GraphQLError[]): string[] {
  return errors.map((error) => {
    const at = error.locations?.[0];
    return `${document.file}:${at ? document.line + at.line - 1 : document.line}: ${error.message}`;
  });
}
