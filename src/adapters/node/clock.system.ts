import type { Clock, Timer } from "../../app/ports/clock.js";

function unrefd(handle: { unref(): unknown }, cancel: () => void): Timer {
  handle.unref();
  return { cancel };
}

/** The machine's clock and Node's timers (unref'd: a pending timer never holds a stopping process). */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  after: (ms, run) => {
    const handle = setTimeout(run, Math.max(0, ms));
    return unrefd(handle, () => clearTimeout(handle));
  },
  every: (ms, run) => {
    const handle = setInterval(run, Math.max(1, ms));
    return unrefd(handle, () => clearInterval(handle));
  },
};
