import type { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

type Storage = Pick<PrismaSessionStorage<never>, "storeSession" | "loadSession" | "deleteSession" | "deleteSessions" | "findSessionsByShop">;

/**
 * Shopify's Prisma session storage with a short memory for offline sessions: every app proxy request (each chat
 * message and poll) loads the shop's offline session, and reading it from PostgreSQL each time was a query and a
 * Prisma compilation per message. Writes and deletes through the library refresh the entry at once; a session
 * removed behind the library's back (uninstall erasing the shop, another instance) is forgotten within `ttlMs`,
 * and a request for a shop erased meanwhile finds no shop row and stores nothing.
 */
export class CachedSessionStorage implements Storage {
  private readonly offline = new Map<string, { session: Session | undefined; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  async loadSession(id: string): Promise<Session | undefined> {
    if (!id.startsWith("offline_")) return this.storage.loadSession(id);
    const cached = this.offline.get(id);
    if (cached && cached.until > Date.now()) return cached.session;
    const session = await this.storage.loadSession(id);
    if (this.offline.size >= this.maxEntries) this.offline.delete(this.offline.keys().next().value!);
    this.offline.set(id, { session, until: Date.now() + this.ttlMs });
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.offline.delete(session.id);
    return this.storage.storeSession(session);
  }

  async deleteSession(id: string): Promise<boolean> {
    this.offline.delete(id);
    return this.storage.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.offline.delete(id);
    return this.storage.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.storage.findSessionsByShop(shop);
  }
}
