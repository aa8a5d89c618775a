/**
 * Liveness probe for load balancers: answers 200 without touching the database or Shopify
 * (readiness, which checks the database, is /readyz).
 * The webhook benchmark also uses it as the do-nothing baseline of this server.
 */
const ok = () => new Response("ok", { status: 200, headers: { "Content-Type": "text/plain" } });

export const loader = ok;
export const action = ok;
