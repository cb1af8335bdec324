// RFC 4180 CSV, written a page at a time. Cells that a spreadsheet would run as a formula
// (= + - @, and tab/CR which some spreadsheets strip first) get a leading apostrophe: run data
// such as a backup path or a Jenkins reason is outside the portal's control.

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

/**
 * A CSV body that pulls one batch of rows at a time from `batches` (a keyset page each), so the
 * whole set is never in memory; a client that goes away stops the reads.
 */
export function csvStream(header: readonly string[], batches: AsyncIterable<readonly (readonly CsvValue[])[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(header)));
        return;
      }
      // Enqueue something (or close) on every pull: a pull that adds nothing may not be repeated.
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return controller.close();
        if (value.length > 0) return controller.enqueue(encoder.encode(value.map(csvLine).join("")));
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** An attachment response around a CSV stream. */
export function csvResponse(body: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
