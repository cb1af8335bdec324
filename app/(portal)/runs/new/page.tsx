import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Run a restore" };

export default function RunRestorePage() {
  return (
    <>
      <h1>Run a restore</h1>
      <NotBuilt what="Running a restore from the portal" issue="the run-a-restore issue" />
    </>
  );
}
