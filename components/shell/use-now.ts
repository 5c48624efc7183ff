"use client";

import { useEffect, useState } from "react";

/** The current time, refreshed every `everyMs`, for "x s ago" labels. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
