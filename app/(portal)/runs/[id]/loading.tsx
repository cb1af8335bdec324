// Shown while the run page renders (after a submit, or a link from Results): a heading, so that
// the page is never without one, and a polite status for screen readers.
export default function LoadingRun() {
  return (
    <>
      <h1>Restore run</h1>
      <div className="panel" role="status" aria-live="polite">
        <p className="muted">Loading the run…</p>
      </div>
    </>
  );
}
