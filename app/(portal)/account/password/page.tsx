import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { signOutEverywhere } from "@/lib/actions/users";
import { requireUser } from "@/lib/auth/current-user";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const user = await requireUser();
  return (
    <>
      <h1>Change your password</h1>
      {user.mustChangePassword && <p className="notice">You signed in with a one-time password. Choose your own password to continue.</p>}
      <div className="panel">
        <ChangePasswordForm />
      </div>
      <h2>Sessions</h2>
      <div className="panel">
        <p>
          Changing your password ends your sessions in other browsers. Lost a device or used a shared computer? End every session, this one
          included.
        </p>
        <ActionForm
          label="Sign out everywhere"
          action={signOutEverywhere}
          hidden={{ scope: "everywhere" }}
          submitLabel="Sign out everywhere"
          confirm={{ question: "End every session of yours, this one included?", confirmLabel: "Sign out everywhere" }}
        />
      </div>
    </>
  );
}
