import type { Db } from "@/lib/db/client";

// The Audit page in words: a target's name (and a link) instead of its database id, details as
// "label: value" pairs instead of raw JSON. The trail itself stores ids and JSON unchanged.

export interface TargetView {
  label: string;
  href: string | null;
}

type Kind = "schedule" | "run" | "user" | "token" | "credential";

/** Which table an event's target id belongs to, from the action's first word ("schedule.create" → schedule). */
function kindOf(action: string): Kind | null {
  const head = action.split(".")[0];
  if (head === "schedule" || head === "run" || head === "user" || head === "token" || head === "credential") return head;
  return null;
}

/** Names for the targets of a page of events; one query per table, ids that are gone are marked removed. */
export async function resolveTargets(db: Db, events: { action: string; target: string | null }[]): Promise<Map<string, TargetView>> {
  const ids: Record<Kind, Set<string>> = { schedule: new Set(), run: new Set(), user: new Set(), token: new Set(), credential: new Set() };
  for (const e of events) {
    const kind = kindOf(e.action);
    if (kind && e.target) ids[kind].add(e.target);
  }
  const list = (kind: Kind) => ({ id: { in: [...ids[kind]] } });
  const [schedules, runs, users, tokens, credentials] = await Promise.all([
    // Some events name a schedule or a user (removed ones by email) rather than their id: both are looked up.
    db.schedule.findMany({ where: { OR: [list("schedule"), { name: { in: [...ids.schedule] } }] }, select: { id: true, name: true } }),
    db.restoreRun.findMany({ where: list("run"), select: { id: true, backupHost: true, backupPath: true } }),
    db.user.findMany({ where: { OR: [list("user"), { email: { in: [...ids.user] } }] }, select: { id: true, name: true, email: true } }),
    db.apiToken.findMany({ where: list("token"), select: { id: true, name: true, ownerEmail: true } }),
    db.credentialRef.findMany({ where: list("credential"), select: { id: true, kind: true, description: true } }),
  ]);
  const views = new Map<string, TargetView>();
  for (const s of schedules) {
    const view = { label: `Schedule "${s.name}"`, href: `/schedules/${s.id}` };
    views.set(`schedule:${s.id}`, view).set(`schedule:${s.name}`, view);
  }
  for (const r of runs) views.set(`run:${r.id}`, { label: `Run of ${r.backupHost}:${r.backupPath}`, href: `/runs/${r.id}` });
  for (const u of users) {
    const view = { label: `${u.name} (${u.email})`, href: `/users/${u.id}` };
    views.set(`user:${u.id}`, view).set(`user:${u.email}`, view);
  }
  for (const t of tokens) views.set(`token:${t.id}`, { label: `API token "${t.name}" of ${t.ownerEmail}`, href: null });
  for (const c of credentials) {
    views.set(`credential:${c.id}`, {
      label: `${c.kind.toUpperCase()} key ${c.id}${c.description ? ` — ${c.description}` : ""}`,
      href: null,
    });
  }
  return views;
}

/** The view of one event's target: its name when known, "removed" when the record is gone, the raw text otherwise. */
export function targetView(views: Map<string, TargetView>, action: string, target: string | null): TargetView | null {
  if (!target) return null;
  const kind = kindOf(action);
  if (!kind) return { label: target, href: null };
  return views.get(`${kind}:${target}`) ?? { label: `${kind} ${target} (removed)`, href: null };
}

/** "someKey" / "some_key" → "some key". */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${words(k)} ${valueText(v)}`)
      .join("; ");
  }
  return String(value);
}

/** An event's details as label/value pairs; text that is not a JSON object is one unlabelled pair. */
export function detailPairs(details: string | null): { label: string; value: string }[] {
  if (!details) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [{ label: "note", value: details }];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [{ label: "note", value: valueText(parsed) }];
  return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => ({ label: words(k), value: valueText(v) }));
}
