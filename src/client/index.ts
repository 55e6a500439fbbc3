/**
 * The public surface of the Croupier SDK (`croupier/client`): browsers and Node 20, no Node built-ins.
 * docs/SDK.md shows how to use it.
 */
export { CroupierClient } from "./croupier-client.js";
export type { ActOptions, ActResult, ClientEvents, ConnectionState, CroupierClientOptions, Joined, Reset, RoomEvent, Welcome } from "./croupier-client.js";
export { CroupierError, type ClientErrorCode } from "./client-error.js";
export { AuthHttp, requestJson, type FetchLike } from "./auth-http.js";
export { backoffDelayMs, defaultBackoff, type BackoffOptions } from "./backoff.js";
export { bestSample, sampleOf, type ClockEstimate, type ClockSample } from "./clock-sync.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket.js";
export type { Listener } from "./emitter.js";
export { cardName, formatMinor } from "./display.js";
export { followJackpots, jackpotTotalOf, jackpotTotalsOf, type JackpotTotal } from "./jackpot.js";
export { rotateSeeds, seedPairOf, setClientSeed, type RoundVerification, type SeedPairView, type SeedRotation } from "./fairness.js";
