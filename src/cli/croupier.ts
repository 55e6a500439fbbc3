#!/usr/bin/env node
/**
 * The `croupier` command. Each subcommand takes the configuration flags of `serve` (see
 * `croupier serve --help`) plus its own.
 */
import { hostname, userInfo } from "node:os";
import { ConfigError, loadConfig, parseCommandLine, printableConfig, type Config } from "../config/config.js";
import { version } from "../version.js";
import { migrateArgOptions, userCreateArgOptions } from "./admin.args.js";
import { roles, type Role } from "../protocol/auth.schemas.js";

/** The server's modules, loaded only by the subcommands that run it: `--help` or `verify` start in a fraction of the time. */
const server = () => import("../main.js");

const usage = `croupier ${version} — real-time casino backend

Usage:
  croupier serve [options]           serve HTTP and WebSocket (embedded mode unless DATABASE_URL is set)
  croupier serve --workers N         N worker processes sharing the port (production mode)
  croupier serve --print-config      print the effective configuration (secrets masked) and exit
  croupier migrate [options]         apply database migrations (and create the first signing key if none) and exit
                                     (--print-config: print the configuration it would use and exit)
  croupier keys rotate [options]     add a new Ed25519 signing key; older keys verify until their tokens expire
  croupier user create --username U [--email E] [--role player|dealer|operator] --password-stdin [options]
                                     create an account, for example the first operator
  croupier certify --game <slots|roulette|blackjack|holdem|all> [--rounds N] [--seed S | --rng-file F] [--alpha A] [--out DIR] [--workers K]
                                     run the RNG and RTP certification battery (one verdict at family-wise level A, default 0.01)
                                     on a generator or a captured byte stream, and write a report
  croupier verify --round round.json
                                     check a round as GET /v1/rounds/<id> returns it: MATCHES or MISMATCH
  croupier verify --server-seed S --client-seed C --nonce N --game <roulette|slots> [--result R]
                                     recompute a provably-fair round from revealed seeds and check its result
  croupier loadtest [options]        simulated players over WebSockets, latency report, money reconciliation (loadtest --help)
  croupier --version | --help

Run "croupier serve --help" for every option.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function migrateOnly(argv: string[]): Promise<void> {
  const { own, flags } = parseCommandLine(argv, migrateArgOptions);
  const config = loadConfig(flags);
  if (own["print-config"] === true) {
    console.log(JSON.stringify(printableConfig(config), null, 2));
    return;
  }
  const { buildAdminServices, createLogger } = await server();
  const services = await buildAdminServices(config, createLogger(config), "migrate");
  await services.close();
  console.log("migrations applied");
}

async function keys(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== "rotate") throw new ConfigError(`unknown keys action "${action ?? ""}"; expected: croupier keys rotate`);
  const config: Config = loadConfig(rest);
  const { generateKey } = await import("../adapters/node/jwt-keys.js");
  const key = await generateKey(config.jwtKeysDir, Date.now());
  console.log(`new signing key ${key.kid} in ${config.jwtKeysDir}; running nodes pick it up on SIGHUP or within a minute`);
}

async function user(argv: string[]): Promise<void> {
  const [action, ...tail] = argv;
  if (action !== "create") throw new ConfigError(`unknown user action "${action ?? ""}"; expected: croupier user create`);
  const { own, flags } = parseCommandLine(tail, userCreateArgOptions);
  const username = own.username;
  const role = (own.role ?? "player") as Role;
  if (typeof username !== "string" || username === "") throw new ConfigError("user create needs --username");
  if (!roles.includes(role)) throw new ConfigError(`--role must be one of ${roles.join(", ")}`);
  if (own["password-stdin"] !== true) throw new ConfigError("user create reads the password from standard input: pass --password-stdin");
  const password = await readStdin();
  const email = own.email;
  const config = { ...loadConfig(flags), logLevel: "warn" as const };
  const { buildAdminServices, createLogger } = await server();
  const services = await buildAdminServices(config, createLogger(config), "user create");
  try {
    const granted: Role[] = role === "player" ? ["player"] : [role, "player"];
    const outcome = await services.createAccount({ username, email: typeof email === "string" ? email : undefined, password, roles: granted });
    // An administrator on the host: the actor is the command, "from where" the machine and the OS account.
    await services.audit.record({
      actorId: "cli",
      actorRoles: [],
      action: "user.create",
      target: outcome.ok ? `user:${outcome.value.id}` : `username:${username}`,
      reason: null,
      detail: { username, roles: granted },
      outcome: outcome.ok ? "applied" : outcome.error,
      clientAddress: `cli:${userInfo().username}@${hostname()}`,
      requestId: null,
    });
    if (!outcome.ok && outcome.error === "AUTH_ACCOUNT_EXISTS") {
      throw new ConfigError(`${outcome.error}: an account named "${username}"${typeof email === "string" ? ` or with email "${email}"` : ""} already exists`);
    }
    if (!outcome.ok) throw new ConfigError(`${outcome.error}: ${outcome.details?.join("; ") ?? "refused"}`);
    console.log(`created ${role} ${outcome.value.username} (${outcome.value.id})`);
  } finally {
    await services.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return (await import("./serve.command.js")).runServe(rest);
    case "migrate":
      return migrateOnly(rest);
    case "keys":
      return keys(rest);
    case "user":
      return user(rest);
    case "certify":
      return (await import("./certify.command.js")).runCertify(rest);
    case "verify":
      return (await import("./verify.command.js")).runVerify(rest);
    case "loadtest":
      return (await import("./loadtest.command.js")).runLoadtest(rest);
    case "--version":
      console.log(version);
      return;
    case undefined:
    case "--help":
    case "help":
      console.log(usage);
      return;
    default:
      throw new ConfigError(`unknown command "${command}"\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || ["MissingKeysError", "DataDirLockedError", "StartupError"].includes((error as Error).name)) {
    console.error(`croupier: ${(error as Error).message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
