import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readRssBytes } from "./server-process.js";

const gcHook = fileURLToPath(new URL("./gc-on-signal.ts", import.meta.url));
const childPath = fileURLToPath(new URL("./socketio-server.child.ts", import.meta.url));
const rawChildPath = fileURLToPath(new URL("./raw-ws-server.child.ts", import.meta.url));

export interface SocketIoServer {
  readonly port: number;
  rssBytes(): number;
  collectGarbage(): void;
  stop(): Promise<void>;
}

/** The raw `ws` reference server (bench/support/raw-ws-server.child.ts). */
export function startRawWsServer(mode: "send" | "preframed"): Promise<SocketIoServer> {
  return startChild(rawChildPath, { RAW_WS_MODE: mode });
}

export function startSocketIoServer(options: { readonly recovery?: boolean } = {}): Promise<SocketIoServer> {
  return startChild(childPath, options.recovery === true ? { SOCKETIO_RECOVERY: "1" } : {});
}

function startChild(path: string, env: Record<string, string>): Promise<SocketIoServer> {
  const child = fork(path, [], {
    execArgv: ["--expose-gc", "--import", "tsx", "--import", gcHook],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message: { op: string; port: number }) => {
      if (message.op !== "listening") return;
      resolve({
        port: message.port,
        rssBytes: () => readRssBytes(child.pid as number),
        collectGarbage: () => {
          child.kill("SIGUSR2");
        },
        async stop() {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
