import { checkReadiness } from "~/readiness.server";

/**
 * Readiness probe for load balancers and deploys: 200 once this instance's database answers with
 * the app's schema, 503 otherwise. Liveness, which touches nothing, is /healthz.
 */
export async function loader() {
  const readiness = await checkReadiness();
  const body = readiness.ready ? "ready" : `not ready: ${readiness.reason}`;
  return new Response(body, { status: readiness.ready ? 200 : 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
