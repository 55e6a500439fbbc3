/**
 * A small fetch for the simulated players over node:http with bounded keep-alive pools: thousands of
 * players share a few dozen connections per URL and source address (the global fetch would open one
 * per concurrent request), and each pool binds its sockets to one local source address.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { FetchLike } from "../../client/index.js";

/** Connections per (URL, source address) pool in one driver process. */
export const httpSocketsPerPoolMax = 64;
const httpTimeoutMs = 30_000;

type Agent = HttpAgent | HttpsAgent;
const agents = new Map<string, Agent>();

function agentFor(origin: string, secure: boolean, localAddress: string | undefined): Agent {
  const key = `${origin}|${localAddress ?? ""}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    const options = { keepAlive: true, maxSockets: httpSocketsPerPoolMax, ...(localAddress === undefined ? {} : { localAddress }) };
    agent = secure ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** A FetchLike (as the SDK takes) whose sockets leave from `localAddress` when given. */
export function boundFetch(localAddress: string | undefined): FetchLike {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers["content-length"] = Buffer.byteLength(init.body);
      const send = secure ? httpsRequest : httpRequest;
      const req = send(target, { method: init.method, headers, agent: agentFor(target.origin, secure, localAddress), timeout: httpTimeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(text) });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`no answer from ${target.pathname} within ${httpTimeoutMs} ms`)));
      req.on("error", reject);
      req.end(init.body);
    });
}

export function closeHttpPools(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
