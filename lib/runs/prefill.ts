import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { PipelineParameter } from "@/lib/pipeline/parameters";

// "Run again" and "Make a schedule from this run": the forms open pre-filled with a past run's
// parameters. The URL carries only the run's id (?from=…); the values are read here, on the
// server, from the run's stored parameters — which hold key ids, never key material — and only
// for the fields the form has (the shared table's rows), so nothing else reaches the HTML.

const fromSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** The form values of run `from` (a search parameter), or {} when absent, malformed or unknown. */
export async function prefillFromRun(db: Db, from: unknown, rows: readonly PipelineParameter[]): Promise<Record<string, string>> {
  const id = fromSchema.safeParse(from);
  if (!id.success) return {};
  const run = await db.restoreRun.findUnique({ where: { id: id.data }, select: { parameters: true } });
  if (!run) return {};
  let parameters: Record<string, unknown>;
  try {
    parameters = JSON.parse(run.parameters) as Record<string, unknown>;
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const row of rows) {
    const value = parameters[row.key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") values[row.key] = String(value);
  }
  return values;
}
