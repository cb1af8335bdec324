import { csvCell, csvLine, csvStream, type CsvValue } from "@/lib/shared/csv";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    text += decoder.decode(chunk, { stream: true });
  }
  return { text, chunks };
}

describe("csvCell", () => {
  it("should leave plain values alone and write empty for null", () => {
    expect(csvCell("db1.example.com")).toBe("db1.example.com");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(12345678901234567890n)).toBe("12345678901234567890");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(new Date("2026-03-08T05:00:00Z"))).toBe("2026-03-08T05:00:00.000Z");
  });

  it("should quote commas, quotes, line breaks and edge spaces, doubling quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell("cr\rlf")).toBe('"cr\rlf"');
    expect(csvCell(" padded")).toBe('" padded"');
  });

  it.each(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\r=x"])("should defuse the formula %j with a leading apostrophe", (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, "").startsWith("'")).toBe(true);
    expect(cell).toContain(value.replace(/"/g, '""'));
  });

  it("should defuse and quote at once", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
  });

  it("should not touch negative numbers passed as numbers", () => {
    expect(csvCell(-5)).toBe("-5");
  });

  it("should end lines with CRLF", () => {
    expect(csvLine(["a", null, 1])).toBe("a,,1\r\n");
  });
});

describe("csvStream", () => {
  it("should write the header and then one chunk per batch, skipping empty batches", async () => {
    async function* batches(): AsyncGenerator<CsvValue[][]> {
      yield [["a", 1]];
      yield [];
      yield [
        ["b", 2],
        ["c,d", 3],
      ];
    }
    const { text, chunks } = await readAll(csvStream(["name", "n"], batches()));
    expect(text).toBe('name,n\r\na,1\r\nb,2\r\n"c,d",3\r\n');
    expect(chunks).toBe(3);
  });

  it("should read batches only as the reader asks, and stop the source when cancelled", async () => {
    let produced = 0;
    let finished = false;
    async function* batches(): AsyncGenerator<CsvValue[][]> {
      try {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield [[i]];
        }
      } finally {
        finished = true;
      }
    }
    const reader = csvStream(["i"], batches()).getReader();
    await reader.read(); // header
    await reader.read(); // first batch
    expect(produced).toBeLessThan(5);
    await reader.cancel();
    expect(finished).toBe(true);
    expect(produced).toBeLessThan(5);
  });
});
