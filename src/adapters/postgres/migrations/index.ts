/**
 * Versioned migrations, applied in order at start. A migration is never edited once released:
 * changes are new versions. Each entry is plain SQL that both PostgreSQL and PGlite run.
 */
import type { Migration } from "./migration.js";
import { m0001Accounts } from "./0001-accounts.js";
import { m0002Ledger } from "./0002-ledger.js";
import { m0003GameRounds } from "./0003-game-rounds.js";
import { m0004Payments } from "./0004-payments.js";
import { m0005PendingHoldsByReference } from "./0005-pending-holds-by-reference.js";
import { m0006Deployment } from "./0006-deployment.js";
import { m0007AuditLog } from "./0007-audit-log.js";
import { m0008SeedReveals } from "./0008-seed-reveals.js";
import { m0009ResponsibleGaming } from "./0009-responsible-gaming.js";
import { m0010Risk } from "./0010-risk.js";
import { m0011BetLimits } from "./0011-bet-limits.js";
import { m0012SessionLimits } from "./0012-session-limits.js";
import { m0013Bonuses } from "./0013-bonuses.js";
import { m0014SessionAddresses } from "./0014-session-addresses.js";
import { m0015EventExport } from "./0015-event-export.js";

export type { Migration } from "./migration.js";

export const migrations: readonly Migration[] = [
  m0001Accounts,
  m0002Ledger,
  m0003GameRounds,
  m0004Payments,
  m0005PendingHoldsByReference,
  m0006Deployment,
  m0007AuditLog,
  m0008SeedReveals,
  m0009ResponsibleGaming,
  m0010Risk,
  m0011BetLimits,
  m0012SessionLimits,
  m0013Bonuses,
  m0014SessionAddresses,
  m0015EventExport,
];
