import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Results" };

export default function ResultsPage() {
  return (
    <>
      <h1>Results</h1>
      <NotBuilt what="The results list and statistics" issue="the results issue" />
    </>
  );
}
