import type { SqlExecutor } from "./sql-db.js";

/** Who this deployment is (migration 0006): the id that scopes its Redis keys, the secret that signs its bus. */
export interface DeploymentIdentity {
  readonly id: string;
  readonly busSecret: string;
}

export async function readDeployment(db: SqlExecutor): Promise<DeploymentIdentity> {
  const [row] = await db.query<{ id: string; bus_secret: string }>("select id, bus_secret from deployment");
  if (row === undefined) throw new Error("the deployment row is missing (migration 6 creates it)");
  return { id: row.id, busSecret: row.bus_secret };
}
