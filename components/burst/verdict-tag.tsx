import { Tag, type TagTone } from "@/components/ui/tag";
import { verdictLabel, verdictTone, type VerdictTone } from "@/lib/view/bursts/burst-view";

const TONE: Record<VerdictTone, TagTone> = { pass: "green", fail: "red", unknown: "amber", running: "sky" };

/** A run's verdict (or its state while it has none) as a pill. */
export function VerdictTag({ verdict, state }: { verdict: string | null; state: string }) {
  return (
    <Tag tone={TONE[verdictTone(verdict, state)]} testId="burst-verdict" title={verdict ?? state}>
      {verdictLabel(verdict, state)}
    </Tag>
  );
}
