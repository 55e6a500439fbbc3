import type { Migration } from "./migration.js";

/**
 * Exported events of game rounds and risk actions (docs/EVENTS.md) go through the payments outbox
 * as entries of kind `export`, written in the transaction that decided them; the relay publishes
 * them to the stream and deletes them.
 */
export const m0015EventExport: Migration = {
  version: 15,
  name: "payments outbox: entries that only export an event",
  sql: `
alter table payments_outbox drop constraint payments_outbox_kind_check;
alter table payments_outbox add constraint payments_outbox_kind_check check (kind in ('withdrawal.hold','withdrawal.payout','withdrawal.release','event','export'));
`,
};
