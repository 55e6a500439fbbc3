// Preloaded into benchmark server processes (node --expose-gc --import this): a full garbage
// collection on SIGUSR2, so that memory is read without garbage V8 has not yet collected. Cluster
// workers inherit the primary's flags, so every server process gets it. Bench tooling only.
const collect = (globalThis as { gc?: () => void }).gc;
if (collect !== undefined) process.on("SIGUSR2", () => collect());
