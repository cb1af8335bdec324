import type { Metadata } from "next";
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
    </>
  );
}
