import type { Metadata } from "next";
import Link from "next/link";
import { Field } from "@/components/field";
import { detailPairs, resolveTargets, targetView } from "@/lib/audit/present";
import { AUDIT_OUTCOMES, auditActions, auditPage, decodeCursor, parseAuditFilters, type AuditFilters } from "@/lib/audit/query";
import { db } from "@/lib/db/client";
import { filtersQuery } from "@/lib/shared/filter-params";
import { DateRangeFields } from "@/components/date-range-fields";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const parsed = parseAuditFilters(raw);
  const errors = parsed.ok ? {} : parsed.errors;
  const [actions, tokens] = await Promise.all([
    auditActions(db),
    db.apiToken.findMany({
      orderBy: [{ ownerEmail: "asc" }, { name: "asc" }],
      select: { id: true, name: true, ownerEmail: true, prefix: true },
      take: 1000,
    }),
  ]);
  const text = (key: string) => (typeof raw[key] === "string" ? raw[key] : "");
  return (
    <>
      <h1>Audit</h1>
      <p className="muted">Every sign-in, failed sign-in and change, newest first. Dates are days in your time zone, both ends included.</p>
      <form method="get" action="/audit" className="panel" aria-label="Filter audit events">
        <div className="filter-grid">
          <DateRangeFields raw={raw} errors={errors} />
          <Field label="Action" name="action" errors={errors.action}>
            <select defaultValue={text("action")}>
              <option value="">Any</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Outcome" name="outcome" errors={errors.outcome}>
            <select defaultValue={text("outcome")}>
              <option value="">Any</option>
              {AUDIT_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </Field>
          <Field label="API token" name="token" errors={errors.token}>
            <select defaultValue={text("token")}>
              <option value="">Any</option>
              {tokens.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.ownerEmail}, {t.prefix}…)
                </option>
              ))}
            </select>
          </Field>
        </div>
        {errors.tz && (
          <p className="notice error" role="alert">
            {errors.tz.join(" ")}
          </p>
        )}
        {errors.before && (
          <p className="notice error" role="alert">
            {errors.before.join(" ")}
          </p>
        )}
        <div className="actions" style={{ marginTop: "0.9rem" }}>
          <button type="submit">Filter</button>
          <Link href="/audit">Clear filters</Link>
        </div>
      </form>
      {parsed.ok ? <AuditTable filters={parsed.filters} /> : <div className="panel empty">Fix the filters above to see events.</div>}
    </>
  );
}

async function AuditTable({ filters }: { filters: AuditFilters }) {
  const cursor = decodeCursor(filters.before);
  const { events, next } = await auditPage(db, cursor, undefined, filters);
  const targets = await resolveTargets(db, events);
  const query = filtersQuery(filters);
  const filtered = [...query.keys()].some((k) => k !== "tz");
  const older = (before: string) => {
    const q = new URLSearchParams(query);
    q.set("before", before);
    return `/audit?${q}`;
  };
  return (
    <>
      {events.length === 0 ? (
        <div className="panel empty">No events{filtered ? " match these filters" : cursor ? " before this point" : " yet"}.</div>
      ) : (
        <>
          <div className="actions" style={{ justifyContent: "flex-end", marginBottom: "0.5rem" }}>
            <a className="button secondary" href={`/api/audit/export?${query}`} download>
              Export CSV
            </a>
          </div>
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
                  <td>
                    <Target view={targetView(targets, e.action, e.target)} />
                  </td>
                  <td>
                    <span className={`badge ${e.outcome}`}>{e.outcome}</span>
                  </td>
                  <td>
                    <Details details={e.details} address={e.address} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <nav className="pager" aria-label="Audit pages">
        {cursor && <Link href={`/audit?${query}`}>Newest</Link>}
        {next && <Link href={older(next)}>Older →</Link>}
      </nav>
    </>
  );
}

function Target({ view }: { view: ReturnType<typeof targetView> }) {
  if (!view) return <>—</>;
  return view.href ? <Link href={view.href}>{view.label}</Link> : <>{view.label}</>;
}

function Details({ details, address }: { details: string | null; address: string | null }) {
  const pairs = detailPairs(details);
  if (address) pairs.push({ label: "from", value: address });
  if (pairs.length === 0) return null;
  return (
    <dl className="audit-details">
      {pairs.map((p, i) => (
        <div key={i}>
          <dt>{p.label}</dt>
          <dd>{p.value}</dd>
        </div>
      ))}
    </dl>
  );
}
