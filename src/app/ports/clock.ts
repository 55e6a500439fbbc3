/** Wall-clock time in milliseconds since the epoch. Passed in so tests can move time. */
export interface Clock {
  nowMs(): number;
}
