import { randomBytes } from "node:crypto";
import { z } from "zod";
import { InvalidSessionTokenError, verifySessionToken } from "./session-token";

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
}

interface AccessGrant {
  shop: string;
  scopes: string[];
  expiresAt: number | null;
}

interface RefreshGrant {
  shop: string;
  scopes: string[];
  expiresAt: number;
}

const TokenExchangeBody = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  grant_type: z.literal("urn:ietf:params:oauth:grant-type:token-exchange"),
  subject_token: z.string(),
  subject_token_type: z.literal("urn:ietf:params:oauth:token-type:id_token"),
  requested_token_type: z.enum([
    "urn:shopify:params:oauth:token-type:offline-access-token",
    "urn:shopify:params:oauth:token-type:online-access-token",
  ]),
  expiring: z.enum(["0", "1"]).optional(),
});

const RefreshBody = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  grant_type: z.literal("refresh_token"),
  refresh_token: z.string(),
});

/** Everything the sandbox's OAuth server knows, as plain data, so the demo keeps tokens across runs. */
export interface OAuthState {
  installed: [string, string[]][];
  accessTokens: [string, AccessGrant][];
  refreshTokens: [string, RefreshGrant][];
}

export const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 60 * 60;

const oauthError = (status: number, error: string, description: string) =>
  Response.json({ error, error_description: description }, { status });

/**
 * Shopify's /admin/oauth/access_token for one app: token exchange (embedded auth) and the refresh
 * of expiring offline tokens, with rotation (a used refresh token stops working).
 */
export class SandboxOAuth {
  private readonly installed = new Map<string, string[]>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly app: AppCredentials,
    private readonly clock: () => Date = () => new Date(),
    /** Told after every change of installations or tokens (the demo persists them). */
    private readonly onChange: () => void = () => {},
  ) {}

  snapshot(): OAuthState {
    return { installed: [...this.installed], accessTokens: [...this.accessTokens], refreshTokens: [...this.refreshTokens] };
  }

  restore(state: OAuthState) {
    for (const [shop, scopes] of state.installed) this.installed.set(shop, scopes);
    for (const [token, grant] of state.accessTokens) this.accessTokens.set(token, grant);
    for (const [token, grant] of state.refreshTokens) this.refreshTokens.set(token, grant);
  }

  /** Shopify-managed installation: the merchant approved these scopes (from shopify.app.toml). */
  install(shop: string, scopes: string[]) {
    this.installed.set(shop, [...scopes]);
    this.onChange();
  }

  uninstall(shop: string) {
    this.installed.delete(shop);
    for (const [token, grant] of this.accessTokens) if (grant.shop === shop) this.accessTokens.delete(token);
    for (const [token, grant] of this.refreshTokens) if (grant.shop === shop) this.refreshTokens.delete(token);
    this.onChange();
  }

  isInstalled(shop: string) {
    return this.installed.has(shop);
  }

  /** The scopes an Admin API request may use, or null when the token is unknown, revoked or expired. */
  authorize(shop: string, accessToken: string | null): string[] | null {
    if (!accessToken) return null;
    const grant = this.accessTokens.get(accessToken);
    if (!grant || grant.shop !== shop) return null;
    if (grant.expiresAt !== null && grant.expiresAt <= this.clock().getTime()) return null;
    return grant.scopes;
  }

  /** Expires every access token at once, so tests can exercise the refresh path. */
  expireAccessTokens() {
    for (const grant of this.accessTokens.values()) grant.expiresAt = this.clock().getTime() - 1;
  }

  async handleAccessTokenRequest(shop: string, request: Request): Promise<Response> {
    const body = await readBody(request);
    if (body?.client_id !== this.app.apiKey || body?.client_secret !== this.app.apiSecret) {
      return oauthError(401, "invalid_client", "Client authentication failed");
    }
    if (body.grant_type === "refresh_token") return this.refresh(shop, body);
    return this.exchange(shop, body);
  }

  private exchange(shop: string, body: Record<string, unknown>): Response {
    const parsed = TokenExchangeBody.safeParse(body);
    if (!parsed.success) return oauthError(400, "invalid_request", parsed.error.issues[0]?.message ?? "invalid request");
    const scopes = this.installed.get(shop);
    if (!scopes) return oauthError(400, "invalid_subject_token", "The app is not installed on this shop");
    try {
      const claims = verifySessionToken(parsed.data.subject_token, { ...this.app, now: this.clock() });
      if (claims.dest !== `https://${shop}`) return oauthError(400, "invalid_subject_token", "Token is for another shop");
      const token = parsed.data.requested_token_type.endsWith("online-access-token")
        ? this.onlineToken(shop, scopes, claims.sub)
        : this.offlineToken(shop, scopes, parsed.data.expiring === "1");
      this.onChange();
      return Response.json(token);
    } catch (error) {
      if (error instanceof InvalidSessionTokenError) return oauthError(400, "invalid_subject_token", error.message);
      throw error;
    }
  }

  private refresh(shop: string, body: Record<string, unknown>): Response {
    const parsed = RefreshBody.safeParse(body);
    if (!parsed.success) return oauthError(400, "invalid_request", parsed.error.issues[0]?.message ?? "invalid request");
    const grant = this.refreshTokens.get(parsed.data.refresh_token);
    if (!grant || grant.shop !== shop || grant.expiresAt <= this.clock().getTime()) {
      return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used");
    }
    this.refreshTokens.delete(parsed.data.refresh_token);
    const token = this.offlineToken(shop, grant.scopes, true);
    this.onChange();
    return Response.json(token);
  }

  private offlineToken(shop: string, scopes: string[], expiring: boolean) {
    const now = this.clock().getTime();
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    this.accessTokens.set(accessToken, { shop, scopes, expiresAt: expiring ? now + ACCESS_TOKEN_TTL_SECONDS * 1000 : null });
    if (!expiring) return { access_token: accessToken, scope: scopes.join(",") };
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refreshToken, { shop, scopes, expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000 });
    return {
      access_token: accessToken,
      scope: scopes.join(","),
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  private onlineToken(shop: string, scopes: string[], userId: string) {
    const accessToken = `shpua_${randomBytes(16).toString("hex")}`;
    const ttl = 24 * 60 * 60;
    this.accessTokens.set(accessToken, { shop, scopes, expiresAt: this.clock().getTime() + ttl * 1000 });
    return {
      access_token: accessToken,
      scope: scopes.join(","),
      expires_in: ttl,
      associated_user_scope: scopes.join(","),
      associated_user: {
        id: Number(userId),
        first_name: "Sandbox",
        last_name: "Owner",
        email: `owner@${shop}`,
        account_owner: true,
        locale: "en",
        collaborator: false,
        email_verified: true,
      },
    };
  }
}

async function readBody(request: Request): Promise<Record<string, unknown> | null> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
