import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { RefreshOnFocus } from "@/components/refresh-on-focus";
import { db } from "@/lib/db/client";
import { buildRefSchema, runIdForBuild } from "@/lib/runs/by-build";

export const metadata: Metadata = { title: "Restore run" };
export const dynamic = "force-dynamic";

// The failure e-mail of a build the portal did not start (a schedule's timer, "Run now")
// links here: the run is found by job and build number in the database — no Jenkins call.
export default async function RunByBuildPage({ params }: { params: Promise<{ job: string; build: string }> }) {
  const parsed = buildRefSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const runId = await runIdForBuild(db, parsed.data);
  if (runId) redirect(`/runs/${runId}`);
  const { job, build } = parsed.data;
  return (
    <>
      <h1>
        Build {job} #{build}
      </h1>
      <div className="panel">
        {/* "Started run #N" after Run now links here before the reconciler took the build in: the page follows it by itself. */}
        <RefreshOnFocus everyMs={2000} />
        <p role="status">
          This build has not reached the portal yet. The portal picks up builds Jenkins started on its own within seconds: this page opens
          the run as soon as it has.
        </p>
        <p>
          <Link href="/schedules">Schedules</Link> · <Link href="/">Dashboard</Link>
        </p>
      </div>
    </>
  );
}
