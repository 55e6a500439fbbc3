// The `croupier` command as a user runs it: help, configuration errors, print-config, bootstrap.
import { describe, expect, inject, it } from "vitest";
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { optionSpecs, flagName } from "../../src/config/options.js";
import { fastHashFlags, migratedDataDir, runCroupier, serveCroupier } from "../support/process.js";
import { call } from "../support/http.js";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/databases.js";
import { redisUrl, serviceAvailable } from "../support/services.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");

const tempDir = () => mkdtempSync(join(tmpdir(), "croupier-cli-"));

describe("croupier command", () => {
  it("lists its subcommands, and serve --help lists every option", async () => {
    const help = await runCroupier(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["serve", "migrate", "keys rotate", "user create"]) expect(help.stdout).toContain(command);
    const serveHelp = await runCroupier(["serve", "--help"]);
    expect(serveHelp.code).toBe(0);
    for (const key of Object.keys(optionSpecs)) expect(serveHelp.stdout).toContain(`--${flagName(key)} `);
    expect(serveHelp.stdout).toContain("--print-config");
  });

  it("prints the effective configuration with secrets masked", async () => {
    const result = await runCroupier(["serve", "--print-config", "--port", "9123"], { env: { DATABASE_URL: "postgres://app:s3cret@db.internal:5432/casino" } });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed.port).toBe(9123);
    expect(printed.databaseUrl).toBe("postgres://app:****@db.internal:5432/casino");
    expect(result.stdout).not.toContain("s3cret");
  });

  it("refuses a bad configuration at start-up, naming the key and the expected form", async () => {
    const dir = tempDir();
    const file = join(dir, "croupier.json");
    writeFileSync(file, JSON.stringify({ port: 8080, bodyLimit: 10 }));
    const unknownKey = await runCroupier(["serve", "--config", file]);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toContain('unknown key "bodyLimit"');
    const badValue = await runCroupier(["serve"], { env: { PORT: "-1" } });
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("invalid port from environment PORT");
    expect(badValue.stderr).toContain("expected an integer from 0 to 65535");
  });

  it("creates the first operator from the command line", async () => {
    const dataDir = tempDir();
    const created = await runCroupier(
      ["user", "create", "--username", "boss", "--role", "operator", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags],
      { stdin: "operator password 1\n" },
    );
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain("created operator boss");
    const weak = await runCroupier(["user", "create", "--username", "boss2", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags], { stdin: "weak" });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("AUTH_PASSWORD_POLICY");
    const again = await runCroupier(["user", "create", "--username", "boss", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags], {
      stdin: "another password 2\n",
    });
    expect([again.code, again.stdout, again.stderr.trim()]).toEqual([2, "", 'croupier: AUTH_ACCOUNT_EXISTS: an account named "boss" already exists']);

    const server = await serveCroupier(["--data-dir", dataDir, "--log-level", "warn"]);
    try {
      const login = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", { body: { login: "boss", password: "operator password 1" } });
      expect(login.status).toBe(200);
      const me = await call(server.url, "GET", "/v1/me", { token: login.body.accessToken });
      expect(me.body.roles).toEqual(["operator", "player"]);
    } finally {
      await server.stop();
    }
  }, 480_000);

  it("refuses a second process on one embedded data folder, naming the first; a dead owner's lock is taken over", async () => {
    const dataDir = tempDir();
    // The folder's database starts migrated (a copy of the run's template): a first start on an empty
    // folder is the test above's; this one is about the lock, and a busy machine's migrations outlasted 60 s.
    cpSync(inject("croupierTemplates").pgliteDir, join(dataDir, "db"), { recursive: true });
    const server = await serveCroupier(["--data-dir", dataDir, "--log-level", "warn"]);
    let restarted: Awaited<ReturnType<typeof serveCroupier>> | null = null;
    try {
      const pid = String(server.child.pid);
      const second = await Promise.all([
        runCroupier(["user", "create", "--username", "ops", "--role", "operator", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags], {
          stdin: "operator password 1\n",
        }),
        runCroupier(["migrate", "--data-dir", dataDir]),
        runCroupier(["serve", "--port", "0", "--data-dir", dataDir]),
      ]);
      for (const refused of second) {
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`in use by process ${pid}`);
        expect(refused.stderr).toContain("croupier serve");
        expect(refused.stdout).not.toContain("created");
      }
      // The refused account was never written: the running server does not know it.
      const login = await call(server.url, "POST", "/v1/auth/login", { body: { login: "ops", password: "operator password 1" } });
      expect(login.status).toBe(401);
      await server.stop("SIGKILL");
      expect(existsSync(join(dataDir, "croupier.lock"))).toBe(true);
      restarted = await serveCroupier(["--data-dir", dataDir, "--log-level", "warn"]);
      await restarted.stop();
      expect(existsSync(join(dataDir, "croupier.lock"))).toBe(false);
      const created = await runCroupier(["user", "create", "--username", "ops", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags], {
        stdin: "operator password 1\n",
      });
      expect([created.code, created.stdout]).toEqual([0, expect.stringContaining("created player ops")]);
    } finally {
      await server.stop();
      await restarted?.stop();
    }
  }, 240_000);

  it.skipIf(!production)(
    "migrate and user create in production mode exit 0 with Redis configured and write nothing into the folder they run from",
    async () => {
      const databaseUrl = await createPostgresDatabase();
      const cwd = tempDir();
      try {
        const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
        const runs = await Promise.all([0, 1, 2].map(() => runCroupier(["migrate"], { env, cwd })));
        for (const run of runs) expect([run.code, run.stderr]).toEqual([0, ""]);
        const created = await runCroupier(["user", "create", "--username", "ops", "--role", "operator", "--password-stdin", ...fastHashFlags], {
          env,
          cwd,
          stdin: "operator password 1\n",
        });
        expect([created.code, created.stderr]).toEqual([0, ""]);
        expect(created.stdout).toContain("created operator ops");
        expect(readdirSync(cwd)).toEqual([]);
      } finally {
        await dropPostgresDatabase(databaseUrl);
      }
    },
    240_000,
  );

  it("names the option and what to do when the port is busy, the database is not PostgreSQL or cannot be reached", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const [portTaken, mysql, unreachable] = await Promise.all([
        // A migrated folder: the port is taken once the database is open, and an empty folder's migrations only delay the refusal.
        runCroupier(["serve", "--host", "127.0.0.1", "--port", port, "--data-dir", migratedDataDir("croupier-cli-"), "--log-level", "fatal"]),
        runCroupier(["migrate"], { env: { DATABASE_URL: "mysql://root@127.0.0.1:3306/casino" } }),
        runCroupier(["migrate"], { env: { DATABASE_URL: "postgres://postgres@127.0.0.1:1/casino" } }),
      ]);
      for (const [result, expected] of [
        [portTaken, `croupier: port ${port} on 127.0.0.1 is in use by another process: stop it, or choose another port with --port (PORT)`],
        [mysql, "croupier: invalid configuration: databaseUrl (DATABASE_URL) must be a PostgreSQL URL"],
        [unreachable, "croupier: cannot use the database of databaseUrl (DATABASE_URL) at 127.0.0.1:1: connect ECONNREFUSED"],
      ] as const) {
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split("\n")).toHaveLength(1);
        expect(result.stderr).toContain(expected.replace("croupier: invalid configuration: ", ""));
      }
    } finally {
      busy.close();
    }
  }, 240_000);
});
