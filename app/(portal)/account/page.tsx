import type { Metadata } from "next";
import Link from "next/link";
import { listTokens } from "@/lib/api/tokens";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { CreateTokenForm } from "./create-token-form";
import { TokenTable } from "./token-table";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requireUser();
  const [own, all] = await Promise.all([
    listTokens(db, user, "own"),
    user.role === "manager" ? listTokens(db, user, "all") : Promise.resolve([]),
  ]);
  const others = all.filter((t) => !own.some((o) => o.id === t.id));
  return (
    <>
      <h1>Your account</h1>
      <p>
        {user.name} · {user.email} · {user.role} · <Link href="/account/password">Password and sessions</Link>
      </p>

      <h2>API tokens</h2>
      <p>
        A token lets scripts and monitoring use the <Link href="/docs/api">Restore Drill API</Link> as you: send it as{" "}
        <code>Authorization: Bearer …</code>. It is shown once; the portal keeps only a hash of it.
      </p>
      <div className="panel">
        <CreateTokenForm isManager={user.role === "manager"} />
      </div>
      <TokenTable tokens={own} caption="Your tokens" showOwner={false} />
      {user.role === "manager" && (
        <>
          <h2>Everyone else&apos;s tokens</h2>
          <TokenTable tokens={others} caption="Other people's tokens" showOwner />
        </>
      )}
    </>
  );
}
