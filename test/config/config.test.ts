// The configuration module: closed schema, precedence, validation messages, freezing, masking.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  hasRole,
  liveLatencyOverrides,
  loadConfig,
  logLevelOf,
  optionsHelp,
  parseLogLevels,
  printableConfig,
  rolesOf,
  sandboxPaymentsEnabled,
} from "../../src/config/config.js";
import { optionSpecs } from "../../src/config/options.js";

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "croupier-config-")), "croupier.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("loadConfig", () => {
  it("has a default for every option, and embedded mode by default", () => {
    const config = loadConfig([], {});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.jwtKeysDir).toBe(join(config.dataDir, "keys"));
    expect(Object.keys(config).sort()).toEqual(Object.keys(optionSpecs).sort());
  });

  it("takes a flag over the environment over the file over the default", () => {
    const file = configFile({ port: 7001, logLevel: "warn", httpBodyBytesMax: 2048 });
    const env = { PORT: "7002", CROUPIER_LOG_LEVEL: "debug", CROUPIER_CONFIG: file };
    const config = loadConfig(["--port", "7003"], env);
    expect(config.port).toBe(7003);
    expect(config.logLevel).toBe("debug");
    expect(config.httpBodyBytesMax).toBe(2048);
    expect(loadConfig(["--port=7004"], {}).port).toBe(7004);
  });

  it("accepts both the CROUPIER_ name and the conventional alias", () => {
    expect(loadConfig([], { DATABASE_URL: "postgres://h/db" }).databaseUrl).toBe("postgres://h/db");
    expect(loadConfig([], { CROUPIER_DATABASE_URL: "postgres://h/db2" }).databaseUrl).toBe("postgres://h/db2");
  });

  it("sets log levels per area on top of logLevel", () => {
    const config = loadConfig(["--log-level", "warn", "--log-levels", " ws=debug , rooms=info "], {});
    expect(parseLogLevels(config.logLevels ?? "")).toEqual({ ws: "debug", rooms: "info" });
    expect(logLevelOf(config, "ws")).toBe("debug");
    expect(logLevelOf(config, "rooms")).toBe("info");
    expect(logLevelOf(config, "payments")).toBe("warn");
    expect(logLevelOf(loadConfig([], {}), "ws")).toBe("info");
  });

  it("freezes the result", () => {
    const config = loadConfig([], {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow();
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ["unknown file key", () => loadConfig(["--config", configFile({ prot: 1 })], {}), /unknown key "prot"/],
    ["unknown flag", () => loadConfig(["--prot", "1"], {}), /unknown flag --prot/],
    ["port out of range", () => loadConfig(["--port", "70000"], {}), /invalid port from flag --port: got "70000", expected an integer from 0 to 65535/],
    ["port not a number", () => loadConfig([], { PORT: "eighty" }), /invalid port from environment PORT/],
    ["float where integer", () => loadConfig(["--http-body-bytes-max", "2048.5"], {}), /invalid httpBodyBytesMax/],
    ["bad enum", () => loadConfig(["--log-level", "loud"], {}), /expected one of fatal, error, warn, info, debug, trace, silent/],
    ["bad url", () => loadConfig([], { DATABASE_URL: "not a url" }), /invalid databaseUrl from environment DATABASE_URL/],
    ["bad boolean", () => loadConfig(["--config", configFile({ trustProxy: "yes" })], {}), /invalid trustProxy from config file key trustProxy.*true or false/],
    ["file not an object", () => loadConfig(["--config", configFile([1, 2])], {}), /must hold a JSON object/],
    ["half a TLS pair", () => loadConfig(["--tls-cert-file", "/x.pem"], {}), /tlsCertFile and tlsKeyFile must be set together/],
    ["limits that disagree", () => loadConfig(["--login-backoff-base-ms", "5000", "--login-backoff-ms-max", "1000"], {}), /must not exceed loginBackoffMsMax/],
    ["redis without postgres", () => loadConfig([], { REDIS_URL: "redis://h:6379" }), /redisUrl needs databaseUrl/],
    [
      "a MySQL URL",
      () => loadConfig([], { DATABASE_URL: "mysql://root@h:3306/casino" }),
      /databaseUrl \(DATABASE_URL\) must be a PostgreSQL URL .*got a mysql:\/\/ URL/,
    ],
    [
      "not a Redis URL",
      () => loadConfig([], { DATABASE_URL: "postgres://h/db", REDIS_URL: "http://h:6379" }),
      /redisUrl \(REDIS_URL\) must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
    ["flag without value", () => loadConfig(["--port"], {}), /--port needs a value/],
    [
      "a malformed per-table latency",
      () => loadConfig(["--live-stream-latency-ms-by-table", "live:1=3000,roulette:1=5"], {}),
      /invalid liveStreamLatencyMsByTable entry "roulette:1=5"/,
    ],
    [
      "a per-table latency over a minute",
      () => loadConfig(["--live-stream-latency-ms-by-table", "live:1=90000"], {}),
      /invalid liveStreamLatencyMsByTable entry "live:1=90000"/,
    ],
    [
      "log level of an unknown area",
      () => loadConfig(["--log-levels", "ws=debug,ledgr=warn"], {}),
      /invalid logLevels entry "ledgr=warn": unknown area "ledgr"; areas: server, http, ws, rooms, payments, redis, risk/,
    ],
    [
      "unknown log level of an area",
      () => loadConfig([], { LOG_LEVELS: "rooms=loud" }),
      /invalid logLevels entry "rooms=loud": unknown level "loud" for area rooms/,
    ],
    ["log level entry without =", () => loadConfig([], { CROUPIER_LOG_LEVELS: "ws" }), /invalid logLevels entry "ws": expected area=level/],
    ["an area given twice", () => loadConfig(["--log-levels", "ws=debug,ws=info"], {}), /area ws is given twice/],
    ["a short metrics token", () => loadConfig(["--metrics-token", "short"], {}), /metricsToken must have at least 16 characters/],
    ["metrics on the public port", () => loadConfig(["--port", "9000", "--metrics-port", "9000"], {}), /metricsPort must differ from port/],
  ];
  it("reads each live table's own stream latency", () => {
    const config = loadConfig(["--live-stream-latency-ms-by-table", "live:1=3000, liveblackjack:vip=4500"], {});
    expect([...liveLatencyOverrides(config)]).toEqual([
      ["live:1", 3000],
      ["liveblackjack:vip", 4500],
    ]);
    expect(liveLatencyOverrides(loadConfig([], {})).size).toBe(0);
  });

  it.each(bad)("fails start-up naming the key: %s", (_name, load, message) => {
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});

describe("sandboxPaymentsEnabled", () => {
  it("is on by default in embedded mode, and must be set explicitly in production mode", () => {
    expect(sandboxPaymentsEnabled(loadConfig([], {}))).toBe(true);
    expect(sandboxPaymentsEnabled(loadConfig(["--payments-sandbox-enabled", "false"], {}))).toBe(false);
    const production = loadConfig([], { DATABASE_URL: "postgres://h/db" });
    expect(() => sandboxPaymentsEnabled(production)).toThrow(ConfigError);
    expect(() => sandboxPaymentsEnabled(production)).toThrow(/needs paymentsSandboxEnabled set explicitly/);
    expect(sandboxPaymentsEnabled(loadConfig(["--payments-sandbox-enabled", "false"], { DATABASE_URL: "postgres://h/db" }))).toBe(false);
    expect(sandboxPaymentsEnabled(loadConfig([], { DATABASE_URL: "postgres://h/db", CROUPIER_PAYMENTS_SANDBOX_ENABLED: "true" }))).toBe(true);
  });
});

describe("printableConfig", () => {
  it("masks passwords in URLs and keeps the rest", () => {
    const config = loadConfig([], { DATABASE_URL: "postgres://app:s3cret@db:5432/casino", REDIS_URL: "redis://:hunter2@cache:6379" });
    const shown = JSON.stringify(printableConfig(config));
    expect(shown).not.toContain("s3cret");
    expect(shown).not.toContain("hunter2");
    expect(shown).toContain("postgres://app:****@db:5432/casino");
  });
});

describe("roles", () => {
  it("runs every role by default and takes a subset from --roles or CROUPIER_ROLES", () => {
    expect([...rolesOf(loadConfig([], {}))]).toEqual(["gateway", "tables", "payments", "jobs"]);
    const production = {
      DATABASE_URL: "postgres://db/casino",
      REDIS_URL: "redis://redis:6379",
      CROUPIER_PAYMENTS_SANDBOX_WEBHOOK_URL: "http://payments:8080/v1/payments/webhooks/sandbox",
    };
    const gateway = loadConfig(["--roles", "gateway"], production);
    expect(hasRole(gateway, "gateway")).toBe(true);
    expect(hasRole(gateway, "tables")).toBe(false);
    expect([...rolesOf(loadConfig([], { ...production, CROUPIER_ROLES: "payments, jobs" }))]).toEqual(["payments", "jobs"]);
  });

  it("needs Redis for anything but every role, and a payments node's webhook address on a gateway without payments", () => {
    expect(() => loadConfig(["--roles", "gateway,tables"], { DATABASE_URL: "postgres://db/casino" })).toThrow(/roles gateway,tables need REDIS_URL/);
    expect(() => loadConfig(["--roles", "gateway,tables"], { DATABASE_URL: "postgres://db/casino", REDIS_URL: "redis://r:6379" })).toThrow(
      /needs paymentsSandboxWebhookUrl/,
    );
    expect(rolesOf(loadConfig(["--roles", "tables"], { DATABASE_URL: "postgres://db/casino", REDIS_URL: "redis://r:6379" })).has("tables")).toBe(true);
  });

  it("refuses an unknown, empty or repeated role, naming it", () => {
    expect(() => loadConfig(["--roles", "gateway,croupier"], {})).toThrow(/invalid roles entry "croupier": roles are gateway, tables, payments, jobs/);
    expect(() => loadConfig(["--roles", "gateway,"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--roles", "tables,tables"], {})).toThrow(/tables is given twice/);
  });
});

describe("optionsHelp", () => {
  it("lists every option with its flag and environment variable", () => {
    const help = optionsHelp();
    expect(help).toContain("--database-url");
    expect(help).toContain("DATABASE_URL");
    expect(help).toContain("--http-body-bytes-max");
    for (const key of Object.keys(optionSpecs)) expect(help).toContain(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} `);
  });
});
