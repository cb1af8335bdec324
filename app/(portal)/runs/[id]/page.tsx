import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/lib/db/client";
import { getRunView } from "@/lib/runs/view";
import { RunLive } from "./run-live";

export const metadata: Metadata = { title: "Restore run" };
export const dynamic = "force-dynamic";

// The page renders what the database knows now; RunLive then follows the run over
// /api/runs/[id]/events (server-sent events), so the browser never polls.
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = await getRunView(db, id);
  if (!run) notFound();
  return (
    <>
      <p>
        <Link href="/runs/new">← Run another restore</Link>
      </p>
      <p className="actions">
        {/* Only the run's id travels: the forms read its parameters on the server (lib/runs/prefill.ts). */}
        <Link href={`/runs/new?from=${encodeURIComponent(run.id)}`}>Run again</Link>
        <Link href={`/schedules?from=${encodeURIComponent(run.id)}#new-schedule-heading`}>Make a schedule from this run</Link>
      </p>
      <RunLive initial={run} />
    </>
  );
}
