import { z } from "zod";
import type { Db } from "@/lib/db/client";

// Which schedules use which key. Schedule.parameters is the run form's values as
// JSON (lib/validation/run.ts), so it is read in code rather than queried: the
// same on SQLite and PostgreSQL, and there are few schedules.

export interface KeyUse {
  scheduleId: string;
  scheduleName: string;
  /** The schedule's parameter naming the key. */
  as: "ssh" | "gpg";
}

const keyParameters = z.object({ sshCredentialId: z.string().optional(), gpgCredentialId: z.string().optional() }).passthrough();

type ScheduleReader = Pick<Db, "schedule">;

function keysOf(parameters: string): { ssh?: string; gpg?: string } {
  try {
    const parsed = keyParameters.safeParse(JSON.parse(parameters));
    return parsed.success ? { ssh: parsed.data.sshCredentialId || undefined, gpg: parsed.data.gpgCredentialId || undefined } : {};
  } catch {
    return {};
  }
}

/** Every key id in use, with the schedules using it (sorted by schedule name). */
export async function keyUsage(db: ScheduleReader): Promise<Map<string, KeyUse[]>> {
  const schedules = await db.schedule.findMany({ select: { id: true, name: true, parameters: true }, orderBy: { name: "asc" } });
  const uses = new Map<string, KeyUse[]>();
  const add = (keyId: string | undefined, use: KeyUse) => {
    if (keyId) uses.set(keyId, [...(uses.get(keyId) ?? []), use]);
  };
  for (const s of schedules) {
    const { ssh, gpg } = keysOf(s.parameters);
    add(ssh, { scheduleId: s.id, scheduleName: s.name, as: "ssh" });
    add(gpg, { scheduleId: s.id, scheduleName: s.name, as: "gpg" });
  }
  return uses;
}

export async function schedulesUsingKey(db: ScheduleReader, keyId: string): Promise<KeyUse[]> {
  return (await keyUsage(db)).get(keyId) ?? [];
}

/** What a schedule's page shows once a key it uses is gone; the schedule would fail until edited. */
export function brokenReasonFor(use: KeyUse, keyId: string): string {
  return `The ${use.as === "ssh" ? "SSH" : "GPG"} key '${keyId}' it uses was deleted. Choose another key.`;
}
