// One contract for the AccountStore, run against PGlite (embedded) and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { SqlAccountStore } from "../../src/adapters/postgres/account-store.sql.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ifAssigned } from "../support/fixtures.js";

const hash = () => createHash("sha256").update(randomBytes(16)).digest();
const day = 86_400_000;

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`AccountStore contract (${kind.name})`, () => {
    let database: TestDatabase;
    let store: SqlAccountStore;
    beforeAll(async () => {
      database = await kind.create();
      store = new SqlAccountStore(database.db);
    });
    afterAll(async () => ifAssigned(database)?.dispose());

    const newUser = (username: string, email: string | null = null) => store.createUser({ username, email, passwordHash: "$argon2id$x", roles: ["player"] });
    async function newSession(userId: string, now = Date.now()) {
      const token = hash();
      const session = await store.createSession({
        userId,
        deviceId: "d1",
        expiresAt: new Date(now + day),
        refreshTokenHash: token,
        refreshExpiresAt: new Date(now + day),
      });
      return { session, token };
    }

    it("creates users and finds them by username, email and id", async () => {
      const user = await newUser("carol", "carol@example.com");
      expect(user).toMatchObject({ username: "carol", email: "carol@example.com", roles: ["player"] });
      expect((await store.findUserByLogin("carol"))?.id).toBe(user?.id);
      expect((await store.findUserByLogin("carol@example.com"))?.id).toBe(user?.id);
      expect((await store.findUserById(user?.id as string))?.username).toBe("carol");
      expect(await store.findUserByLogin("nobody")).toBeNull();
    });

    it("finds players for operators by exact id or by username or email prefix, wildcards taken literally", async () => {
      const zed = await newUser("zed_one", "Zed.One@example.com");
      await newUser("zedtwo", "two@example.org");
      await newUser("zedxone");
      expect((await store.searchUsers("zed", 10)).map((u) => u.username)).toEqual(["zed_one", "zedtwo", "zedxone"]);
      expect((await store.searchUsers("ZED_", 10)).map((u) => u.username)).toEqual(["zed_one"]);
      expect((await store.searchUsers("zed.one@", 10)).map((u) => u.username)).toEqual(["zed_one"]);
      expect((await store.searchUsers(zed?.id.toUpperCase() as string, 10)).map((u) => u.username)).toEqual(["zed_one"]);
      expect(await store.searchUsers("%", 10)).toEqual([]);
      expect(await store.searchUsers("zed", 1)).toHaveLength(1);
    });

    it("returns null for a taken username or email and leaves the first account untouched", async () => {
      await newUser("dave", "dave@example.com");
      expect(await newUser("dave")).toBeNull();
      expect(await newUser("dave2", "dave@example.com")).toBeNull();
      expect((await store.findUserByLogin("dave"))?.email).toBe("dave@example.com");
    });

    it("refuses an unknown role at the database", async () => {
      await expect(store.createUser({ username: "eve", email: null, passwordHash: "x", roles: ["admin" as never] })).rejects.toThrow();
    });

    it("rotates a refresh token once; a second use revokes the session", async () => {
      const user = await newUser("frank");
      const { session, token } = await newSession(user!.id);
      const next = hash();
      const now = new Date();
      const first = await store.rotateRefreshToken({ oldHash: token, newHash: next, newExpiresAt: new Date(now.getTime() + day), now });
      expect(first.status).toBe("ok");
      const again = await store.rotateRefreshToken({ oldHash: token, newHash: hash(), newExpiresAt: new Date(now.getTime() + day), now });
      expect(again).toEqual({ status: "reused", sessionId: session.id });
      expect((await store.findSession(session.id))?.revokedAt).not.toBeNull();
      const afterRevoke = await store.rotateRefreshToken({ oldHash: next, newHash: hash(), newExpiresAt: new Date(now.getTime() + day), now });
      expect(afterRevoke.status).toBe("revoked");
    });

    it("reports unknown and expired refresh tokens without changing anything", async () => {
      const user = await newUser("grace");
      const { session, token } = await newSession(user!.id);
      expect((await store.rotateRefreshToken({ oldHash: hash(), newHash: hash(), newExpiresAt: new Date(), now: new Date() })).status).toBe("unknown");
      const late = new Date(Date.now() + 2 * day);
      expect((await store.rotateRefreshToken({ oldHash: token, newHash: hash(), newExpiresAt: new Date(late.getTime() + day), now: late })).status).toBe(
        "expired",
      );
      expect((await store.findSession(session.id))?.revokedAt).toBeNull();
    });

    it("lets exactly one of two concurrent refreshes with the same token win", async () => {
      const user = await newUser("heidi");
      const { token } = await newSession(user!.id);
      const now = new Date();
      const results = await Promise.all(
        [0, 1].map(() => store.rotateRefreshToken({ oldHash: token, newHash: hash(), newExpiresAt: new Date(now.getTime() + day), now })),
      );
      expect(results.map((r) => r.status).sort()).toEqual(["ok", "reused"]);
    });

    it("revokes a session once", async () => {
      const user = await newUser("ivan");
      const { session } = await newSession(user!.id);
      expect(await store.revokeSession(session.id, "logout", new Date())).toBe(true);
      expect(await store.revokeSession(session.id, "logout", new Date())).toBe(false);
    });

    it("revokes every live session of one user, and names each once", async () => {
      const user = await newUser("judith");
      const other = await newUser("karl");
      const live = [await newSession(user!.id), await newSession(user!.id)].map((s) => s.session.id);
      const expired = (await newSession(user!.id, Date.now() - 2 * day)).session.id;
      const gone = (await newSession(user!.id)).session.id;
      await store.revokeSession(gone, "logout", new Date());
      const untouched = (await newSession(other!.id)).session.id;
      expect((await store.revokeUserSessions(user!.id, "self_exclusion", new Date())).sort()).toEqual([...live].sort());
      expect(await store.revokeUserSessions(user!.id, "self_exclusion", new Date())).toEqual([]);
      expect((await store.findSession(expired))?.revokedAt).toBeNull();
      expect((await store.findSession(untouched))?.revokedAt).toBeNull();
    });
  });
}
