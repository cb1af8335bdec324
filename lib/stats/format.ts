// How statistics read as text: the page's tiles and tables and the charts' axes say the same.

import { formatNumber } from "@/lib/shared/intl";

export type SeriesKind = "duration" | "bytes" | "rows";

export function formatSeriesValue(kind: SeriesKind, value: number): string {
  if (kind === "duration") return value >= 60_000 ? `${(value / 60_000).toFixed(1)} min` : `${Math.round(value / 1000)} s`;
  if (kind === "rows") return formatNumber(value);
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = value;
  let unit = 0;
  while (v >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${unit === 0 ? v : v.toFixed(1)} ${units[unit]}`;
}

/** A success rate as a percentage with one decimal; "—" when nothing was rated. */
export const formatRate = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)} %`);
