/**
 * Moved to src/app/ports/failures.ts (adapters raise these errors, so the policy is part of the ports).
 * Kept only for src/app/rooms, which is being refactored on another branch; import from the port.
 */
export { busyError, isServiceUnavailable } from "./ports/failures.js";
