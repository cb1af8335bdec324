import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Restore Drill", template: "%s · Restore Drill" },
  description: "Prove that your backups can be restored.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
