// Preloaded into Prisma CLI runs: the wasm schema engine leaves a 60 s timer that keeps the
// process alive after its work is done. Unref long timers so the CLI exits when finished.
const original = global.setTimeout;
global.setTimeout = function (fn, ms, ...args) {
  const t = original.call(this, fn, ms, ...args);
  if (ms >= 5000 && t && typeof t.unref === "function") t.unref();
  return t;
};
