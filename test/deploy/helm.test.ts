// deploy/helm/croupier rendered without the helm binary (none runs here) by test/support/helm-template.ts,
// then checked as Kubernetes would use it: each Deployment's container is run through the real CLI
// (`--print-config`) with its arguments, environment, Secret and mounted config file; ports, probes,
// selectors, volumes and the shutdown budget must agree with each other and with the server.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { HelmRenderer, manifests } from "../support/helm-template.js";
import { runCroupier } from "../support/process.js";
import { envNames, nodeRoles, optionSpecs, type OptionKey } from "../../src/config/options.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const chartDir = join(root, "deploy/helm/croupier");
/** The parts of the chart's values.yaml this test overrides. */
interface ChartValues {
  serviceMonitor: object;
  secrets: object;
  roles: Record<string, object>;
  [key: string]: unknown;
}

/**
 * The parts of the rendered Kubernetes objects this test reads, by kind. They are read as rendered
 * (a cast, not a check): a field the chart left out reads undefined, or throws, and fails the test.
 */
type Labels = Record<string, string>;
interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  args: string[];
  env?: { name: string; value: string }[];
  envFrom?: { secretRef: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  volumeMounts: { name: string; mountPath: string }[];
  lifecycle: { preStop: { exec: { command: string[] } } };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext: { allowPrivilegeEscalation: boolean };
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
}
interface PodSpec {
  containers: Container[];
  volumes: Volume[];
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot: boolean };
}
interface Workload {
  spec: { replicas: number; selector: { matchLabels: Labels }; template: { metadata: { labels: Labels }; spec: PodSpec } };
}
interface Kinds {
  Deployment: Workload;
  Job: Workload;
  Service: { spec: { selector: Labels; ports: { port: number; targetPort: string }[] } };
  PodDisruptionBudget: { spec: { selector: { matchLabels: Labels }; maxUnavailable: number } };
  ServiceMonitor: { spec: { selector: { matchLabels: Labels }; endpoints: { path: string; relabelings: unknown[] }[] } };
  Secret: { stringData: Labels };
  ConfigMap: { data: Labels };
}
// A type, not an interface: a parsed Manifest (Record<string, unknown>) may be cast to it.
type Rendered = {
  apiVersion: unknown;
  kind: string;
  metadata: { name: string; labels: Labels; annotations: Labels };
};
type Of<K extends keyof Kinds> = Rendered & Kinds[K];
/** What `croupier … --print-config` prints, as far as this test reads it. */
interface PrintedConfig {
  roles: string;
  port: number;
  jwtKeysDir: string;
  paymentsSandboxWebhookUrl: string;
  shutdownGraceMs: number;
  databaseUrl: string;
}

const defaults = parse(readFileSync(join(chartDir, "values.yaml"), "utf8")) as ChartValues;
const values = {
  ...defaults,
  jwtKeys: { existingSecret: "", files: { "2026-01-01-abc.private.jwk.json": "{\"kid\":\"2026-01-01-abc\"}" } },
  serviceMonitor: { ...defaults.serviceMonitor, enabled: true },
};
const docs = manifests(new HelmRenderer(chartDir).render(values)) as Rendered[];
const ofKind = <K extends keyof Kinds>(kind: K, from = docs) => from.filter((d) => d.kind === kind) as Of<K>[];
const byName = <K extends keyof Kinds>(kind: K, name: string) => ofKind(kind).find((d) => d.metadata.name === name);
const work = mkdtempSync(join(tmpdir(), "croupier-helm-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const optionEnvNames = new Set((Object.keys(optionSpecs) as OptionKey[]).flatMap((key) => envNames(key)));
const httpServer = readFileSync(join(root, "src/gateway/http/http-server.ts"), "utf8");
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A container's environment as Kubernetes would give it, with the config file written where CROUPIER_CONFIG points. */
function environmentOf(pod: PodSpec, container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) Object.assign(env, byName("Secret", from.secretRef.name)?.stringData);
  for (const e of container.env ?? []) env[e.name] = e.value;
  const mount = container.volumeMounts.find((m) => env.CROUPIER_CONFIG?.startsWith(`${m.mountPath}/`))!;
  const volume = pod.volumes.find((v) => v.name === mount.name)!;
  const file = env.CROUPIER_CONFIG?.slice(mount.mountPath.length + 1) as string;
  const local = join(work, `${volume.configMap!.name}-${file}`);
  writeFileSync(local, byName("ConfigMap", volume.configMap!.name)!.data[file]!);
  return { ...env, CROUPIER_CONFIG: local };
}

async function printConfig(pod: PodSpec, container: Container): Promise<PrintedConfig> {
  const env = environmentOf(pod, container);
  for (const name of Object.keys(env)) expect(name === "CROUPIER_CONFIG" || optionEnvNames.has(name), `${name} is an option's variable`).toBe(true);
  const result = await runCroupier([...container.args, "--print-config"], { env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as PrintedConfig;
}

describe("deploy/helm/croupier", () => {
  it("renders valid manifests: one Deployment, Service and PodDisruptionBudget per role, a migration Job, Secrets, a ConfigMap, a ServiceMonitor", () => {
    for (const doc of docs) {
      expect(typeof doc.apiVersion).toBe("string");
      expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    for (const kind of ["Deployment", "Service", "PodDisruptionBudget"] as const) {
      expect(ofKind(kind).map((d) => d.metadata.labels["app.kubernetes.io/component"]).sort(), kind).toEqual([...nodeRoles].sort());
    }
    expect(ofKind("Job").length).toBe(1);
    expect(ofKind("Secret").length).toBe(2);
    expect(ofKind("ServiceMonitor").length).toBe(1);
    expect(ofKind("ConfigMap").length).toBe(1);
  });

  it("runs each Deployment as a valid croupier node of its role, on the port it declares", async () => {
    const checked = await Promise.all(ofKind("Deployment").map(async (deployment) => {
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0]!;
      const role = deployment.metadata.labels["app.kubernetes.io/component"];
      expect(container.args).toEqual(["serve", "--roles", role]);
      const config = await printConfig(pod, container);
      expect(config.roles).toBe(role);
      expect(container.ports.find((p) => p.name === "http")!.containerPort).toBe(config.port);
      // Keys come from the one shared Secret, mounted where the node reads them.
      const keys = container.volumeMounts.find((m) => m.mountPath === config.jwtKeysDir);
      expect(pod.volumes.find((v) => v.name === keys?.name)?.secret!.secretName).toBe("casino-croupier-jwt-keys");
      // Webhooks go to the payments Service, on its port.
      const webhook = new URL(config.paymentsSandboxWebhookUrl);
      expect(byName("Service", webhook.hostname)?.metadata.labels["app.kubernetes.io/component"]).toBe("payments");
      expect(Number(webhook.port)).toBe(byName("Service", webhook.hostname)?.spec.ports[0]!.port);
      // SIGTERM arrives after the preStop sleep; the node then drains for up to shutdownGraceMs.
      const sleep = Number(container.lifecycle.preStop.exec.command[1]);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(sleep * 1000 + config.shutdownGraceMs);
      return role;
    }));
    expect(checked.length).toBe(nodeRoles.length);
  }, 180_000);

  it("runs the migration Job as a valid `croupier migrate`", async () => {
    const job = ofKind("Job")[0]!;
    const pod = job.spec.template.spec;
    expect(pod.containers[0]!.args).toEqual(["migrate"]);
    const config = await printConfig(pod, pod.containers[0]!);
    expect(config.databaseUrl).toBe(byName("Secret", "casino-croupier-config")?.stringData.DATABASE_URL!.replace(":change-me@", ":****@"));
    expect(job.metadata.annotations["helm.sh/hook"]).toContain("pre-upgrade");
  }, 120_000);

  it("probes routes the server serves, on a declared port, and mounts only volumes it declares", () => {
    for (const pod of [...ofKind("Deployment"), ...ofKind("Job")].map((d) => d.spec.template.spec)) {
      for (const container of pod.containers) {
        for (const [probe, path] of [["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"], ["startupProbe", "/healthz"]] as const) {
          const declared = container[probe];
          if (declared === undefined) continue;
          expect(declared.httpGet.path).toBe(path);
          expect(httpServer).toContain(`app.get("${path}"`);
          expect(container.ports.map((p) => p.name)).toContain(declared.httpGet.port);
        }
        for (const mount of container.volumeMounts) expect(pod.volumes.map((v) => v.name)).toContain(mount.name);
        expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      }
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const volume of pod.volumes) {
        if (volume.configMap !== undefined) expect(byName("ConfigMap", volume.configMap.name)).toBeDefined();
        if (volume.secret !== undefined) expect(byName("Secret", volume.secret.secretName)).toBeDefined();
      }
    }
  });

  it("selects each role's pods with its Service and PodDisruptionBudget, and scrapes every Service's /metrics", () => {
    for (const deployment of ofKind("Deployment")) {
      const labels = deployment.spec.template.metadata.labels;
      const role = labels["app.kubernetes.io/component"];
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
      const services = ofKind("Service").filter((s) => matches(s.spec.selector, labels));
      expect(services.map((s) => s.metadata.labels["app.kubernetes.io/component"])).toEqual([role]);
      expect(services[0]?.spec.ports[0]!.targetPort).toBe("http");
      const budgets = ofKind("PodDisruptionBudget").filter((p) => matches(p.spec.selector.matchLabels, labels));
      expect(budgets.length).toBe(1);
      expect(budgets[0]?.spec.maxUnavailable).toBeLessThan(Math.max(2, deployment.spec.replicas + 1));
    }
    const monitor = ofKind("ServiceMonitor")[0]!;
    for (const service of ofKind("Service")) expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints[0]!.path).toBe("/metrics");
    expect(monitor.spec.endpoints[0]!.relabelings[0]).toEqual({ sourceLabels: ["__meta_kubernetes_service_label_app_kubernetes_io_component"], targetLabel: "role" });
    expect(httpServer).toContain(`app.get("/metrics"`);
  });

  it("takes an existing Secret instead of making one, and leaves disabled roles out", () => {
    const custom = manifests(new HelmRenderer(chartDir).render({
      ...values, secrets: { ...defaults.secrets, existingSecret: "mine" }, jwtKeys: { existingSecret: "my-keys", files: {} },
      roles: { ...defaults.roles, jobs: { ...defaults.roles.jobs, enabled: false } },
    })) as Rendered[];
    expect(ofKind("Secret", custom)).toEqual([]);
    const deployments = ofKind("Deployment", custom);
    expect(deployments.map((d) => d.metadata.labels["app.kubernetes.io/component"]).sort()).toEqual(["gateway", "payments", "tables"]);
    const pod = deployments[0]!.spec.template.spec;
    expect(pod.containers[0]!.envFrom![0]!.secretRef.name).toBe("mine");
    expect(pod.volumes.find((v) => v.name === "jwt-keys")!.secret!.secretName).toBe("my-keys");
  });

  it("refuses a template construct the renderer does not know rather than rendering it wrongly", () => {
    const dir = mkdtempSync(join(work, "chart-"));
    writeFileSync(join(dir, "Chart.yaml"), "name: x\nversion: 0.0.1\nappVersion: '1'\n");
    const templates = join(dir, "templates");
    mkdirSync(templates);
    writeFileSync(join(templates, "a.yaml"), "x: {{ lookup \"v1\" \"Secret\" \"ns\" \"n\" }}\n");
    expect(() => new HelmRenderer(dir).render({})).toThrow(/unsupported command "lookup/);
  });
});
