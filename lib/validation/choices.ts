// The fixed choices the forms offer, without zod: browser components import these, and keeping
// zod out of their first load keeps the pages' JavaScript small (the schemas load on demand).

export { DB_TYPES, DB_TYPE_LABELS } from "@/lib/pipeline/database-types";

export const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The shrinking-backup alarm's default threshold, in per cent (lib/runs/shrink.ts). */
export const SHRINK_THRESHOLD_DEFAULT = 20;
