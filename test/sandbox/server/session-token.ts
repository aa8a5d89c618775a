import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** What Shopify admin puts in an App Bridge session token (a JWT signed with the app's secret). */
export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

/** Session tokens live for one minute, as Shopify's do; App Bridge fetches a fresh one for every request. */
export const SESSION_TOKEN_TTL_SECONDS = 60;

export function mintSessionToken(options: { shop: string; apiKey: string; apiSecret: string; userId: number; now: Date }): string {
  const iat = Math.floor(options.now.getTime() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId),
    exp: iat + SESSION_TOKEN_TTL_SECONDS,
    nbf: iat - 5,
    iat,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac("sha256", options.apiSecret).update(unsigned).digest("base64url")}`;
}

export class InvalidSessionTokenError extends Error {
  override name = "InvalidSessionTokenError";
}

/** Verifies a session token the way Shopify's token exchange does before issuing an access token. */
export function verifySessionToken(token: string, options: { apiKey: string; apiSecret: string; now: Date }): SessionTokenClaims {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new InvalidSessionTokenError("not a JWT");
  const expected = createHmac("sha256", options.apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidSessionTokenError("bad signature");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  const now = Math.floor(options.now.getTime() / 1000);
  if (claims.aud !== options.apiKey) throw new InvalidSessionTokenError("token is for another app");
  if (claims.exp < now - 5) throw new InvalidSessionTokenError("token expired");
  if (claims.nbf > now + 5) throw new InvalidSessionTokenError("token not yet valid");
  return claims;
}
