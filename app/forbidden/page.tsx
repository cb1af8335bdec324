import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <div className="auth-page">
      <div className="panel auth-card">
        <h1>Managers only</h1>
        <p>This page is for managers. Ask a manager if you need something done here.</p>
        <Link href="/">Back to Restore Drill</Link>
      </div>
    </div>
  );
}
