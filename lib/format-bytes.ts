/** 1536 → "1.5 KB"; with `exact`, the byte count follows: "1.5 KB (1,536 bytes)". No zod, so browser code can use it. */
export function formatBytes(bytes: number, options: { exact?: boolean } = {}): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const exact = `${bytes.toLocaleString("en")} bytes`;
  if (unit === 0) return exact;
  return options.exact ? `${value.toFixed(1)} ${units[unit]} (${exact})` : `${value.toFixed(1)} ${units[unit]}`;
}
