import Link from "next/link";

export default function RunNotFound() {
  return (
    <>
      <h1>No such run</h1>
      <div className="panel">
        <p>There is no restore run at this address. It may have been mistyped.</p>
        <p>
          <Link href="/runs/new">Run a restore</Link>
        </p>
      </div>
    </>
  );
}
