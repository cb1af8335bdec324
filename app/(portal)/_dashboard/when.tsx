import { timeInZone } from "@/lib/dashboard/present";
import styles from "./dashboard.module.css";

/** A time in the user's zone, machine-readable too. */
export function When({ at, timeZone }: { at: Date; timeZone: string }) {
  return <time dateTime={at.toISOString()}>{timeInZone(at, timeZone)}</time>;
}

/** "shown / count" under a list that was cut, with where to see the rest. */
export function More({ shown, count, href, what }: { shown: number; count: number; href: string; what: string }) {
  if (count <= shown) return null;
  return (
    <p className={`muted ${styles.more}`}>
      Showing {shown} of {count}. <a href={href}>See all {what}</a>
    </p>
  );
}
