import type { Metadata } from "next";
import Link from "next/link";
import { auditPage, decodeCursor } from "@/lib/audit/query";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const cursor = decodeCursor(before);
  const { events, next } = await auditPage(db, cursor);
  return (
    <>
      <h1>Audit</h1>
      <p className="muted">Every sign-in, failed sign-in and change, newest first.</p>
      {events.length === 0 ? (
        <div className="panel empty">No events{cursor ? " before this point" : " yet"}.</div>
      ) : (
        <table aria-label="Audit events">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at.toISOString()}>{e.at.toISOString().replace("T", " ").slice(0, 19)}</time>
                </td>
                <td>{e.actorEmail ?? "—"}</td>
                <td>{e.action}</td>
                <td>{e.target ?? "—"}</td>
                <td>
                  <span className={`badge ${e.outcome}`}>{e.outcome}</span>
                </td>
                <td className="muted">{e.details ?? ""}{e.address ? ` · from ${e.address}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Audit pages">
        {cursor && <Link href="/audit">Newest</Link>}
        {next && <Link href={`/audit?before=${next}`}>Older →</Link>}
      </nav>
    </>
  );
}
