export default function LoadingRun() {
  return (
    <div className="panel" role="status" aria-live="polite">
      <p className="muted">Loading the run…</p>
    </div>
  );
}
