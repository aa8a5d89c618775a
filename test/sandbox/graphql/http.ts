import { randomUUID } from "node:crypto";
import { executeAdminGraphql, type AdminGraphqlContext, type AdminGraphqlRequest } from "./execute";

/**
 * The Admin GraphQL endpoint (`/admin/api/<version>/graphql.json`) once the caller is
 * authenticated: a JSON body `{query, variables, operationName}` (or `application/graphql` text).
 * A body Shopify cannot read is a 400, as Shopify answers it.
 */
export async function handleAdminGraphqlRequest(request: Request, context: AdminGraphqlContext): Promise<Response> {
  if (request.method !== "POST") return json(405, { errors: "Method Not Allowed" }, { Allow: "POST" });
  const parsed = await readRequest(request);
  if (!parsed) return json(400, { errors: { query: "Required parameter missing or invalid" } });
  const { status, body } = await executeAdminGraphql(context, parsed);
  return json(status, body);
}

async function readRequest(request: Request): Promise<AdminGraphqlRequest | null> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/graphql")) {
    return text.trim() ? { query: text } : null;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== "object") return null;
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") return null;
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return null;
  return {
    query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    operationName: typeof operationName === "string" ? operationName : null,
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "X-Request-Id": randomUUID(), ...headers },
  });
}
