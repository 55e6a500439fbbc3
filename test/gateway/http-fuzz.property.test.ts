// Property: no input to any HTTP route yields a 5xx or an error body outside the registry. Every
// route of a real server (production mode when PostgreSQL and Redis are reachable, else embedded) is
// driven through Fastify's inject with generated path parameters, query strings, headers and bodies,
// with and without valid player and operator tokens so that handlers, not only the guards, are reached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { RunningServer } from "../../src/main.js";
import { errors } from "../../src/protocol/errors.js";
import { signWebhook } from "../../src/adapters/sandbox-payments/webhook-signature.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, newStaff } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";
import { wire } from "../support/wire.js";
import { ErrorResponse } from "../../src/protocol/auth.schemas.js";

const mode: Mode = serviceAvailable("postgres") && serviceAvailable("redis") ? "production" : "embedded";
const registryCodes = new Set<string>(Object.values(errors).map((e) => e.code));
const runsPerRoute = 120;

/** Values that broke or nearly broke parsers before: leap seconds, out-of-range integers, long ids, odd bytes. */
const nasty = [
  "",
  " ",
  "0",
  "-1",
  "1",
  "01",
  "9223372036854775807",
  "9223372036854775808",
  "9999999999999999999",
  "99999999999999999999999",
  "1e309",
  "NaN",
  "Infinity",
  "null",
  "true",
  "[]",
  "{}",
  "2016-12-31T23:59:60Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2024-02-30T00:00:00Z",
  "2024-01-01T00:00:00+24:00",
  "%",
  "%zz",
  "..",
  "../..",
  "\u0000",
  "é",
  "💥",
  "\ud800",
  "constructor",
  "__proto__",
  "toString",
  "a".repeat(101),
  "r".repeat(150),
  "a".repeat(201),
  "b".repeat(257),
  "x".repeat(5000),
  "00000000-0000-0000-0000-000000000000",
  "EUR",
  "XXX",
  "cash",
  "bonus",
  "pending",
  "roulette:1",
  "roulette:t1",
  "sandbox",
];
const text = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
);
/** Header values: printable Latin-1 (what HTTP carries), including bytes above 0x7f. */
const headerText = fc.oneof(
  fc.constantFrom("", "é", "ÿÿÿ", "t=1,v1=" + "é".repeat(64), "t=1700000000,v1=" + "0".repeat(64), "Bearer", "Bearer ", "a".repeat(300)),
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 80,
  }),
);
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        "username",
        "password",
        "login",
        "email",
        "deviceId",
        "refreshToken",
        "amount",
        "currency",
        "cardToken",
        "number",
        "expMonth",
        "expYear",
        "cvc",
        "action",
        "reason",
        "limits",
        "roundId",
        "kind",
        "id",
        "status",
        "type",
        "data",
        "__proto__",
        "constructor",
      ),
      fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 })),
      { maxKeys: 6 },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom("{", "[", "null", '"str"', '{"a":', "\u0000", '{"__proto__":{"polluted":1}}', "9".repeat(400)),
);

/** Percent-encodes the UTF-8 bytes of `value` (a lone surrogate becomes U+FFFD, as a client would send it). */
function encodeSegment(value: string): string {
  return [...Buffer.from(value, "utf8")]
    .map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly query: readonly string[];
}

describe(`every HTTP route under generated input (${mode})`, () => {
  let shared: Shared;
  let server: RunningServer;
  let routes: Route[] = [];
  let tokens: { player: string; operator: string; dealer: string };

  beforeAll(async () => {
    shared = await createShared(mode);
    // Generous login budgets: the fuzzer's failed logins should not hide the login handler behind a lock for long.
    server = await startTestServer(shared, ["--login-backoff-base-ms", "1", "--login-backoff-ms-max", "1"]);
    const [player, operator, dealer] = [await newPlayer(server.url), await newStaff(server, ["operator"]), await newStaff(server, ["dealer"])];
    tokens = { player: player.token, operator: operator.token, dealer: dealer.token };
    const spec = (await server.http.inject({ method: "GET", url: "/openapi.json" })).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
    }>();
    routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      })),
    );
  }, 120_000);
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  function expectRegistryAnswer(route: string, response: { statusCode: number; body: string }): void {
    const where = `${route} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, where).toBeLessThan(500);
    if (response.statusCode < 400) return;
    const body = JSON.parse(response.body) as { code?: string; requestId?: string };
    expect(registryCodes.has(body.code ?? ""), where).toBe(true);
    expect(typeof body.requestId, where).toBe("string");
  }

  it("finds the routes to drive", () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /v1/rounds", "GET /v1/rounds/{roundId}", "GET /v1/operator/withdrawals"]),
    );
  });

  it("answers the reported inputs with registry codes", async () => {
    const codeOf = (response: { json: () => unknown }) => wire(ErrorResponse, response.json()).code;
    const get = (url: string, headers: Record<string, string> = {}) =>
      server.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${tokens.operator}`, ...headers } });
    const leap = await get("/v1/rounds?before=2016-12-31T23:59:60Z");
    expect([leap.statusCode, codeOf(leap)]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
    const huge = await get("/v1/operator/withdrawals?before=9999999999999999999");
    expect([huge.statusCode, codeOf(huge)]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
    const hugeHistory = await get(`/v1/wallet/history?currency=EUR&before=9999999999999999999`);
    expect([hugeHistory.statusCode, codeOf(hugeHistory)]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
    for (const length of [101, 150, 200]) {
      const round = await get(`/v1/rounds/${"r".repeat(length)}`);
      expect([length, round.statusCode, codeOf(round)]).toEqual([length, 404, "CROUPIER_ERR_ROUND_NOT_FOUND"]);
    }
    for (const length of [201, 300, 2000]) {
      const round = await get(`/v1/rounds/${"r".repeat(length)}`);
      expect([length, round.statusCode, codeOf(round)]).toEqual([length, 400, "CROUPIER_ERR_REQUEST_INVALID"]);
    }
    const badEncoding = await get("/v1/rounds/%E0%A4%A");
    expect([badEncoding.statusCode, codeOf(badEncoding)]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
    const body = JSON.stringify({ type: "deposit.succeeded" });
    const webhook = await server.http.inject({
      method: "POST",
      url: "/v1/payments/webhooks/sandbox",
      payload: body,
      headers: { "content-type": "application/json", "croupier-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"é".repeat(64)}` },
    });
    expect(webhook.statusCode).toBeGreaterThanOrEqual(400);
    expect(webhook.statusCode).toBeLessThan(500);
    expect(registryCodes.has(codeOf(webhook))).toBe(true);
    // The same check with a correct signature is accepted or refused on its merits, not by a crash.
    const signed = await server.http.inject({
      method: "POST",
      url: "/v1/payments/webhooks/sandbox",
      payload: body,
      headers: { "content-type": "application/json", "croupier-signature": signWebhook("not the secret", body, Math.floor(Date.now() / 1000)) },
    });
    expectRegistryAnswer("signed webhook", signed);
  });

  it("gives every route's parameters, query, headers and body a registry answer, never a 5xx", async () => {
    for (const route of routes) {
      const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      const request = fc.record({
        params: fc.tuple(
          ...params.map(() =>
            fc.oneof(
              { weight: 5, arbitrary: text.map((v) => ({ raw: false, v })) },
              { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "a%2Fb").map((v) => ({ raw: true, v })) },
            ),
          ),
        ),
        query: fc.dictionary(fc.constantFrom(...route.query, "extra", "__proto__"), text, { maxKeys: 4 }),
        auth: fc.constantFrom("none", "player", "operator", "operator", "dealer", "junk"),
        junkAuth: headerText,
        headers: fc.record(
          {
            "idempotency-key": headerText,
            "content-type": fc.constantFrom(
              "application/json",
              "application/json; charset=utf-8",
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
              "é/é",
            ),
            "croupier-signature": headerText,
            "x-request-id": headerText,
            traceparent: headerText,
            "x-forwarded-for": headerText,
          },
          { requiredKeys: [] },
        ),
        body: fc.option(json, { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          let url = route.path;
          input.params.forEach((p, i) => {
            url = url.replace(`{${params[i]}}`, p.raw ? p.v : encodeSegment(p.v));
          });
          const query = new URLSearchParams(Object.entries(input.query)).toString();
          if (query.length > 0) url += `?${query}`;
          // Logging out with a shared token would revoke it for the rest of the run.
          const auth = route.path === "/v1/auth/logout" && input.auth !== "none" ? "junk" : input.auth;
          const headers: Record<string, string> = { ...input.headers };
          if (auth === "junk") headers.authorization = input.junkAuth;
          else if (auth !== "none") headers.authorization = `Bearer ${tokens[auth]}`;
          const withBody = route.method !== "GET" && route.method !== "HEAD" && input.body !== undefined;
          if (!withBody) delete headers["content-type"];
          const response = await server.http.inject({
            method: route.method as "GET",
            url,
            headers,
            ...(withBody && input.body !== undefined ? { payload: input.body } : {}),
          });
          expectRegistryAnswer(`${route.method} ${url}`, response);
        }),
        { numRuns: runsPerRoute },
      );
    }
  }, 600_000);
});
