import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Credentials" };

export default function CredentialsPage() {
  return (
    <>
      <h1>Credentials</h1>
      <NotBuilt what="Managing SSH and GPG keys" issue="the credentials issue" />
    </>
  );
}
