/**
 * Waiting on a condition instead of sleeping: a test polls for what it needs until it holds or a
 * deadline passes, so a slow machine makes it slower, never wrong, and a real failure says what
 * never happened. A fixed sleep stays only where the time itself is the scenario (traffic pacing,
 * a deliberate gap between two events), with a comment saying so.
 */
export interface WaitOptions {
  /** What is awaited, named in the error ("every request to be stored"). */
  what: string;
  /** How long to keep trying (default 15 s). */
  timeoutMs?: number;
  /** The pause between two tries (default 50 ms). */
  intervalMs?: number;
  /** More to say on a timeout (a child's output, the state seen last). */
  detail?: () => string;
}

/** A value that means "not yet": undefined, null or false (0 and "" are answers). */
type NotYet = undefined | null | false;

/**
 * Calls `cond` until it returns something other than undefined, null or false, and returns that.
 * Throws `timed out after N ms waiting for <what>` once `timeoutMs` has passed; `cond` is tried at
 * least once, and once more at the deadline. An error `cond` throws is a failure, not a "not yet":
 * it propagates at once.
 */
export async function waitFor<T>(cond: () => T | NotYet | Promise<T | NotYet>, opts: WaitOptions): Promise<T> {
  const { what, timeoutMs = 15_000, intervalMs = 50, detail } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = Date.now() >= deadline;
    const v = await cond();
    if (v !== undefined && v !== null && v !== false) return v as T;
    if (last) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail()}` : ""}`);
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
