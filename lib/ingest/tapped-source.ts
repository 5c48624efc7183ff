import type { NextWindow, SpendLogSource, SpendLogWindow } from "./source";

/**
 * A spend-log source that hands every page's raw rows to `tap` as they are read, and is otherwise
 * the source itself: what else wants to see the rows (the tracker's comparison) does so without
 * ingest knowing. A tap must not throw (ingest would fail for it) and must be cheap.
 */
export function tappedSource(source: SpendLogSource, tap: (rows: readonly unknown[]) => void): SpendLogSource {
  return {
    async *pages(w: SpendLogWindow, next?: NextWindow) {
      for await (const page of source.pages(w, next)) {
        tap(page.rows);
        yield page;
      }
    },
    count: (fromMs, toMs) => source.count(fromMs, toMs),
    describe: () => source.describe(),
  };
}
