import { statusDisplay } from "@/lib/runs/status";

/** A run's status as every page shows it: one label, one colour (lib/runs/status.ts). */
export function StatusBadge({ status }: { status: string }) {
  const { label, tone } = statusDisplay(status);
  return <span className={`badge ${tone}`}>{label}</span>;
}
