import type { ReactNode } from "react";
import { Banner } from "@/components/ui/banner";
import { PRIMARY } from "@/components/ui/controls";
import { SkeletonRows } from "@/components/ui/skeleton";

/**
 * A settings section's list through its states: the last write's error, the read's error, a
 * skeleton while it loads, then the list, drawn from the data once it is there.
 */
export function SectionList<T>({ what, read, writeError, children }: { what: string; read: { error: Error | null; data: T | undefined }; writeError?: Error | null; children: (data: T) => ReactNode }) {
  return (
    <>
      {writeError ? <Banner title="Not done">{writeError.message}</Banner> : null}
      {read.error ? <Banner title={`Could not read the ${what}`}>{read.error.message}</Banner> : null}
      {read.data !== undefined ? children(read.data) : read.error ? null : <SkeletonRows rows={3} label={`Loading ${what}`} />}
    </>
  );
}

/** A section's "Add …" action, hidden while its form is open. */
export function AddButton({ label, hidden, onClick }: { label: string; hidden: boolean; onClick: () => void }) {
  return hidden ? null : (
    <button type="button" className={PRIMARY} onClick={onClick}>
      {label}
    </button>
  );
}
