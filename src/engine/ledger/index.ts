export * from "./ledger.types.js";
export { ledgerLimits } from "./ledger.limits.js";
export { transferRoutes, routeAllows } from "./transfer-routes.js";
export { canonicalRequest } from "./canonical-request.js";
export { emptyLedgerView, judgeBatch, type BatchJudgement, type BatchWrites, type LedgerRequest, type LedgerView } from "./judge.js";
