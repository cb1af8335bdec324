import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";
import "./styles/run-pages.css";
import "./styles/shell.css";
import "./styles/tables.css";

export const metadata: Metadata = {
  title: { default: "Restore Drill", template: "%s · Restore Drill" },
  description: "Prove that your backups can be restored.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts),
  // which a page built ahead of time could not.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
