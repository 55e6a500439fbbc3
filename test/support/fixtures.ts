/**
 * A fixture that a `beforeAll` assigns, as an `afterAll` sees it. `let server: Server;` reads as a Server
 * to the type checker, but it is still undefined when `beforeAll` failed before assigning it; then the
 * teardown should skip it rather than add a TypeError to the report: `await ifAssigned(server)?.close()`.
 */
export function ifAssigned<T>(fixture: T): T | undefined {
  return fixture;
}
