import { db } from "@/lib/db/client";
import { portalUrl } from "@/lib/runs/config";
import { serverJenkins } from "@/lib/runs/server";
import type { ScheduleDeps } from "@/lib/schedules/manage";

/** What the schedule operations need, as the server actions give it to them. */
export const scheduleDeps = (): ScheduleDeps => ({ db, jenkins: serverJenkins(), portalUrl: portalUrl() });
