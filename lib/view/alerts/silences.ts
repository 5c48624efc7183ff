import type { z } from "zod";
import type { SilenceListSchema } from "../../api/alerts";
import { shortHash } from "../format/keys";

type Silence = z.infer<typeof SilenceListSchema>["silences"][number];

/** The form's quick durations, in minutes. */
export const SILENCE_PRESETS = [
  { label: "1 h", minutes: 60 },
  { label: "4 h", minutes: 240 },
  { label: "1 d", minutes: 1440 },
] as const;

/** What a silence mutes, in words: each field it sets narrows it. */
export function silenceScope(s: Pick<Silence, "ruleId" | "keyHash" | "teamId">, ruleName: (id: string) => string): string {
  const parts = [s.ruleId ? `rule “${ruleName(s.ruleId)}”` : null, s.keyHash ? `key ${shortHash(s.keyHash)}` : null, s.teamId ? `team ${s.teamId}` : null].filter(Boolean);
  return parts.length ? parts.join(" · ") : "everything";
}
