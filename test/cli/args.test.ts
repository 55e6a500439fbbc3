// Every command reads its command line with node:util's parseArgs, strictly: an unknown flag, a flag
// without its value and a stray argument are refused with exit code 2, naming the flag.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseCommandLine } from "../../src/config/config.js";
import { parseCertifyArgs } from "../../src/cli/certify.command.js";
import { parseVerifyArgs } from "../../src/cli/verify.command.js";
import { parseLoadtestOptions } from "../../src/cli/loadtest/options.js";
import { serveArgOptions } from "../../src/cli/serve.command.js";
import { migrateArgOptions, userCreateArgOptions } from "../../src/cli/admin.args.js";
import { runCroupier } from "../support/process.js";

const refused = (parse: () => unknown, message: string): void => {
  expect(parse).toThrow(ConfigError);
  expect(parse).toThrow(message);
};

describe("command lines", () => {
  it("reads configuration flags as before: --flag value, --flag=value, bare and valued booleans, the last of a repeated flag", () => {
    const { own, flags } = parseCommandLine(["--workers=2", "--port", "7001", "--trust-proxy", "--print-config", "--port=7002"], serveArgOptions);
    expect(own).toEqual({ workers: "2", "print-config": true });
    expect(flags.raw).toEqual({ port: "7002", trustProxy: "true" });
    expect(loadConfig(["--trust-proxy", "false", "--port", "7003"], {})).toMatchObject({ trustProxy: false, port: 7003 });
    expect(loadConfig(["--trust-proxy=true"], {}).trustProxy).toBe(true);
    expect(loadConfig(["--trust-proxy", "--port", "7004"], {})).toMatchObject({ trustProxy: true, port: 7004 });
  });

  it.each([
    ["config: unknown flag", () => loadConfig(["--prot", "1"], {}), "unknown flag --prot; see croupier serve --help"],
    ["config: missing value", () => loadConfig(["--port"], {}), "--port needs a value"],
    ["config: a flag where the value should be", () => loadConfig(["--port", "--host", "h"], {}), "--port needs a value"],
    ["config: stray argument", () => loadConfig(["8080"], {}), 'unexpected argument "8080"'],
    ["serve: unknown flag", () => parseCommandLine(["--worker", "2"], serveArgOptions), "unknown flag --worker"],
    ["migrate: unknown flag", () => parseCommandLine(["--print-config", "--bogus"], migrateArgOptions), "unknown flag --bogus"],
    ["migrate: missing value", () => parseCommandLine(["--data-dir"], migrateArgOptions), "--data-dir needs a value"],
    ["keys rotate: unknown flag", () => loadConfig(["--key-dir", "k"], {}), "unknown flag --key-dir"],
    ["keys rotate: missing value", () => loadConfig(["--jwt-keys-dir"], {}), "--jwt-keys-dir needs a value"],
    ["user create: unknown flag", () => parseCommandLine(["--username", "u", "--bogus"], userCreateArgOptions), "unknown flag --bogus"],
    ["user create: missing value", () => parseCommandLine(["--password-stdin", "--username"], userCreateArgOptions), "--username needs a value"],
    ["serve: missing value", () => parseCommandLine(["--workers"], serveArgOptions), "--workers needs a value"],
    ["serve: value of a bare flag", () => parseCommandLine(["--print-config=yes"], serveArgOptions), "--print-config takes no value"],
    ["certify: unknown flag", () => parseCertifyArgs(["--game", "slots", "--round", "5"]), "unknown option --round"],
    ["certify: missing value", () => parseCertifyArgs(["--game"]), "--game needs a value"],
    ["certify: stray argument", () => parseCertifyArgs(["slots"]), 'unexpected argument "slots"'],
    ["verify: unknown flag", () => parseVerifyArgs(["--rounds", "r.json"]), "unknown option --rounds"],
    ["verify: missing value", () => parseVerifyArgs(["--server-seed", "s", "--client-seed", "c", "--game", "roulette", "--nonce"]), "--nonce needs a value"],
    ["loadtest: unknown flag", () => parseLoadtestOptions(["--player", "5"], "x"), "unknown option --player"],
    ["loadtest: missing value", () => parseLoadtestOptions(["--players"], "x"), "--players needs a value"],
  ])("refuses %s", (_name, parse, message) => refused(parse, message));

  it("still reads the documented forms of certify, verify and loadtest", () => {
    expect(parseCertifyArgs(["-h"])).toBe("help");
    expect(parseCertifyArgs(["--game=roulette", "--rounds", "1_000", "--seed", "s", "--workers", "2"])).toMatchObject({
      games: ["roulette"],
      rounds: 1_000,
      seed: "s",
      workers: 2,
    });
    expect(parseVerifyArgs(["--round", "-"])).toEqual({ roundFile: "-" });
    expect(parseVerifyArgs(["--help"])).toBe("help");
    expect(parseVerifyArgs(["--server-seed", "a", "--client-seed", "b", "--nonce", "3", "--game", "slots", "--result=1,2,3,4,5"])).toEqual({
      serverSeed: "a",
      clientSeed: "b",
      nonce: 3,
      game: "slots",
      serverSeedHash: null,
      result: "1,2,3,4,5",
    });
    expect(parseLoadtestOptions(["--url", "http://127.0.0.1:1", "--url=http://127.0.0.1:2", "--players", "4"], "x")).toMatchObject({
      urls: ["http://127.0.0.1:1", "http://127.0.0.1:2"],
      players: 4,
    });
  });

  // The parsers are tested above; two processes show the refusal reaches the user as exit code 2 (each costs seconds).
  it("exits 2 naming the flag", async () => {
    const runs: Array<[string[], string]> = [
      [["serve", "--bogus"], "unknown flag --bogus"],
      [["user", "create", "--password-stdin", "--username"], "--username needs a value"],
    ];
    const results = await Promise.all(runs.map(([args]) => runCroupier(args)));
    results.forEach((result, i) => {
      const [args, message] = runs[i] as [string[], string];
      expect([args, result.code, result.stderr]).toEqual([args, 2, expect.stringContaining(`croupier: ${message}`)]);
    });
  }, 120_000);
});
