// deploy/compose.yaml as far as it can be checked without Docker (none runs here): every croupier
// service's command is run through the real CLI with that service's environment and --print-config,
// and what it prints must be the node the file means; Prometheus scrapes exactly the croupier nodes;
// Grafana gets the shipped dashboard and a data source it can use; every mounted file exists.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { runCroupier } from "../support/process.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const composeFile = join(root, "deploy/compose.yaml");

/** Compose's `${NAME:-default}` interpolation, with nothing set in the environment. */
function interpolate(text: string): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback: string | undefined) => fallback ?? "");
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

const compose = parse(interpolate(readFileSync(composeFile, "utf8")), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const croupiers = Object.entries(compose.services).filter(([, s]) => s.image === "croupier:local");
const nodes = croupiers.filter(([, s]) => s.command?.[0] === "serve");

interface Printed { eventExportUrl: string; roles: string; port: number; databaseUrl: string; redisUrl: string; jwtKeysDir: string; paymentsSandboxWebhookUrl: string | null; paymentsSandboxWebhookSecret: string | null; shutdownGraceMs: number }

async function printConfig(service: Service): Promise<Printed> {
  const result = await runCroupier([...(service.command ?? []), "--print-config"], { env: service.environment ?? {} });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Printed;
}

describe("deploy/compose.yaml", () => {
  it("has PostgreSQL, Redis, two gateways, a table node, a payments+jobs node, Prometheus and Grafana", () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(["postgres", "redis", "nats", "prometheus", "grafana", "migrate"]));
    const rolesOf = (s: Service) => s.command?.[s.command.indexOf("--roles") + 1];
    expect(nodes.map(([, s]) => rolesOf(s)).sort()).toEqual(["gateway", "gateway", "payments,jobs", "tables"]);
    for (const [, s] of croupiers) expect(existsSync(resolve(dirname(composeFile), s.build?.context ?? "", s.build?.dockerfile ?? ""))).toBe(true);
  });

  it("runs every croupier service's command, with its environment, as a valid croupier invocation of the node it means", async () => {
    const printed = await Promise.all(croupiers.map(async ([name, s]) => [name, await printConfig(s)] as const));
    const keyMounts = new Set<string>();
    for (const [name, config] of printed) {
      const service = compose.services[name] as Service;
      const roles = service.command?.includes("--roles") === true ? service.command[service.command.indexOf("--roles") + 1] : "gateway,tables,payments,jobs";
      expect(config.roles, name).toBe(roles);
      expect(new URL(config.databaseUrl).hostname, name).toBe("postgres");
      expect(new URL(config.redisUrl).hostname, name).toBe("redis");
      expect(new URL(config.eventExportUrl).hostname, name).toBe("nats");
      // The keys folder is the shared volume, so every node signs and verifies with the same keys.
      const mount = service.volumes?.find((v) => v.endsWith(`:${config.jwtKeysDir}`));
      expect(mount, `${name} mounts ${config.jwtKeysDir}`).toBeDefined();
      keyMounts.add(mount as string);
      // Webhooks reach a node that runs payments, on the port it listens on.
      const webhook = new URL(config.paymentsSandboxWebhookUrl ?? "");
      const target = printed.find(([n]) => n === webhook.hostname)?.[1];
      expect(target?.roles.split(","), name).toContain("payments");
      expect(Number(webhook.port), name).toBe(target?.port);
      expect(config.paymentsSandboxWebhookSecret, name).not.toBeNull();
    }
    expect(keyMounts.size).toBe(1);
    for (const [name, config] of printed.filter(([n]) => nodes.some(([m]) => m === n))) {
      const ports = compose.services[name]?.ports ?? [];
      for (const port of ports) expect(Number(port.split(":")[1]), name).toBe(config.port);
    }
  }, 180_000);

  it("stops nodes no sooner than their own drain ends", async () => {
    for (const [name, s] of nodes) {
      const grace = /^(\d+)s$/.exec((s as { stop_grace_period?: string }).stop_grace_period ?? "")?.[1];
      expect(Number(grace) * 1000, name).toBeGreaterThan(Number(s.environment?.CROUPIER_SHUTDOWN_GRACE_MS));
    }
  });

  it("starts nodes after the migration, and the migration after its databases", () => {
    for (const [name, s] of nodes) expect(Object.keys(s.depends_on ?? {}), name).toContain("migrate");
    expect(Object.keys(compose.services.migrate?.depends_on ?? {}).sort()).toEqual(["postgres", "redis"]);
    expect(compose.services.migrate?.command).toEqual(["migrate"]);
  });

  it("has Prometheus scrape exactly the croupier nodes, with the shipped config", () => {
    const mount = compose.services.prometheus?.volumes?.[0] as string;
    const [source, target] = mount.split(":");
    expect(compose.services.prometheus?.command).toContain(`--config.file=${target}`);
    const scrape = parse(readFileSync(resolve(dirname(composeFile), source as string), "utf8")) as { scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[]; labels: { role: string } }> }> };
    const targets = scrape.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets.map((t) => `${t} ${s.labels.role}`))).sort();
    // Each target's series are labelled with the roles its command gives it.
    expect(targets).toEqual(nodes.map(([name, s]) => `${name}:8080 ${s.command?.[s.command.indexOf("--roles") + 1]}`).sort());
    expect(scrape.scrape_configs[0]?.metrics_path).toBe("/metrics");
  });

  it("provisions Grafana with the shipped dashboard and a Prometheus data source", () => {
    const mounts = (compose.services.grafana?.volumes ?? []).map((v) => v.split(":"));
    for (const [source] of mounts) expect(existsSync(resolve(dirname(composeFile), source as string)), source).toBe(true);
    const provisioning = mounts.find(([, target]) => target === "/etc/grafana/provisioning")?.[0] as string;
    const dashboardMount = mounts.find(([source]) => source?.endsWith("croupier-dashboard.json"));
    const providers = parse(readFileSync(resolve(dirname(composeFile), provisioning, "dashboards/croupier.yaml"), "utf8")) as { providers: Array<{ options: { path: string } }> };
    expect(dirname(dashboardMount?.[1] as string)).toBe(providers.providers[0]?.options.path);
    const sources = parse(readFileSync(resolve(dirname(composeFile), provisioning, "datasources/prometheus.yaml"), "utf8")) as { datasources: Array<{ type: string; url: string }> };
    expect(sources.datasources[0]?.type).toBe("prometheus");
    expect(new URL(sources.datasources[0]?.url as string).hostname).toBe("prometheus");
    const dashboard = JSON.parse(readFileSync(resolve(dirname(composeFile), dashboardMount?.[0] as string), "utf8")) as { templating: { list: Array<{ type: string; query: string }> } };
    expect(dashboard.templating.list.find((v) => v.type === "datasource")?.query).toBe("prometheus");
  });
});
