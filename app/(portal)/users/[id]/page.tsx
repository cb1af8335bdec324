import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { changeRole, removeUser, resetPassword, setDisabled } from "@/lib/actions/users";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { getUser } from "@/lib/users/manage";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [me, user] = await Promise.all([requireUser(), getUser(db, id)]);
  if (!user) notFound();
  const self = me.id === user.id;
  return (
    <>
      <p>
        <Link href="/users">← Users</Link>
      </p>
      <h1>{user.name}</h1>
      <div className="panel">
        <p>
          {user.email} · <span className={`badge ${user.role}`}>{user.role}</span>{" "}
          {user.disabled && <span className="badge disabled">disabled</span>}
        </p>
        <p className="muted">Added {user.createdAt.toISOString().slice(0, 10)}</p>
      </div>

      <h2>Role</h2>
      <div className="panel">
        <ActionForm label="Change role" action={changeRole} hidden={{ userId: user.id }} submitLabel="Change role">
          <select name="role" defaultValue={user.role} aria-label="Role">
            <option value="user">User</option>
            <option value="manager">Manager</option>
          </select>
        </ActionForm>
      </div>

      <h2>Access</h2>
      <div className="panel">
        <ActionForm
          label="Reset password"
          action={resetPassword}
          hidden={{ userId: user.id }}
          submitLabel="Reset password"
          confirm={{
            question: `Give ${user.email} a new one-time password? Their current password and sessions stop working.`,
            confirmLabel: "Reset password",
          }}
        />
        {!self && (
          <ActionForm
            label={user.disabled ? "Enable account" : "Disable account"}
            action={setDisabled}
            hidden={{ userId: user.id, disabled: user.disabled ? "" : "true" }}
            submitLabel={user.disabled ? "Enable account" : "Disable account"}
            confirm={
              user.disabled ? undefined : { question: `Disable ${user.email}? They are signed out at once.`, confirmLabel: "Disable" }
            }
          />
        )}
      </div>

      {!self && (
        <>
          <h2>Remove</h2>
          <div className="panel">
            <ActionForm
              label="Remove user"
              action={removeUser}
              hidden={{ userId: user.id }}
              submitLabel="Remove user"
              confirm={{ question: `Remove ${user.email}? They lose access at once. Their audit history is kept.`, confirmLabel: "Remove" }}
            />
          </div>
        </>
      )}
    </>
  );
}
