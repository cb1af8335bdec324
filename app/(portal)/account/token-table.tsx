import { ActionForm } from "@/components/action-form";
import { revokeToken } from "@/lib/actions/tokens";
import type { TokenView } from "@/lib/api/tokens";

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : none);

export function TokenTable({ tokens, caption, showOwner }: { tokens: TokenView[]; caption: string; showOwner: boolean }) {
  if (tokens.length === 0) return <p>No tokens yet.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          {showOwner && <th scope="col">Owner</th>}
          <th scope="col">Token starts with</th>
          <th scope="col">Scopes</th>
          <th scope="col">Last used</th>
          <th scope="col">Expires</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            {showOwner && <td>{t.ownerEmail}</td>}
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.scopes.join(", ")}</td>
            <td>{t.lastUsedAt ? `${when(t.lastUsedAt, "")}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ""}` : "Never"}</td>
            <td>{when(t.expiresAt, "Never")}</td>
            <td>{t.state}</td>
            <td>
              {t.state !== "revoked" && (
                <ActionForm
                  label={`Revoke ${t.name}`}
                  action={revokeToken}
                  hidden={{ tokenId: t.id }}
                  submitLabel="Revoke"
                  confirm={{ question: `Revoke "${t.name}"? Whatever uses it stops working at once.`, confirmLabel: "Revoke" }}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
