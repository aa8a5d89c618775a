import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

interface Entry {
  session: Promise<Session | undefined>;
  loadedAt: number;
}

/**
 * Keeps loaded sessions for a moment. Every webhook delivery loads its shop's offline session
 * (authenticate.webhook does), which under a burst of deliveries is the same row hundreds of times
 * a second; a short TTL serves the burst from memory while writes through this storage invalidate
 * at once. Writes made behind its back (another instance) are seen within `ttlMs`.
 */
export class CachedSessionStorage implements SessionStorage {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: SessionStorage,
    private readonly ttlMs = 2_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  loadSession(id: string): Promise<Session | undefined> {
    const entry = this.entries.get(id);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.session;
    // Concurrent loads of the same id share one read.
    const session = this.inner.loadSession(id);
    this.entries.set(id, { session, loadedAt: this.now() });
    session.catch(() => this.entries.delete(id));
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.entries.delete(session.id);
    const stored = await this.inner.storeSession(session);
    this.entries.delete(session.id);
    return stored;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.entries.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.entries.delete(id);
    return this.inner.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  /** For changes made with the database directly (uninstall, redact). */
  forgetShop(shop: string) {
    for (const id of this.entries.keys()) if (id === `offline_${shop}` || id.startsWith(`${shop}_`)) this.entries.delete(id);
  }
}
