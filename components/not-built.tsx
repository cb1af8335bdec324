/** Said plainly on pages whose feature is planned but not built yet. */
export function NotBuilt({ what, issue }: { what: string; issue: string }) {
  return (
    <div className="panel">
      <p className="notice">
        {what} is not built yet. It is planned ({issue}); until then this page has nothing to show.
      </p>
    </div>
  );
}
