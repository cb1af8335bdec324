import { appendToTail, emptyLogTail, tailText, type LogTail } from "@/app/(portal)/runs/[id]/log-tail";

// The run page keeps only the console's tail; these pin down that what it keeps is exactly
// the last lines of the whole log, however the log was cut into chunks.

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${from + i}`);

function feed(chunks: string[], max: number): LogTail {
  return chunks.reduce((tail, chunk) => appendToTail(tail, chunk, max), emptyLogTail);
}

function lastLinesOf(text: string, max: number): string[] {
  const complete = text.slice(0, text.lastIndexOf("\n")).split("\n");
  return complete.slice(-max);
}

describe("appendToTail", () => {
  it("should keep every line while the log is short", () => {
    const tail = feed(["a\nb", "\nc\n", "d"], 10);
    expect(tail.lines).toEqual(["a", "b", "c"]);
    expect(tail.partial).toBe("d");
    expect(tail.totalLines).toBe(3);
    expect(tailText(tail)).toBe("a\nb\nc\nd");
  });

  it("should keep exactly the last N complete lines, whatever the chunk boundaries", () => {
    const text = lines(5000).join("\n") + "\npartial";
    for (const size of [1, 7, 100, 4096, text.length]) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      const tail = feed(chunks, 300);
      expect({ size, lines: tail.lines }).toEqual({ size, lines: lastLinesOf(text, 300) });
      expect(tail.partial).toBe("partial");
      expect(tail.totalLines).toBe(5000);
    }
  });

  it("should keep a line cut across chunks whole", () => {
    const tail = feed(["first li", "ne\nsecond", " line\n"], 1);
    expect(tail.lines).toEqual(["second line"]);
    expect(tail.totalLines).toBe(2);
  });

  it("should keep empty lines and a log that starts with a newline", () => {
    const tail = feed(["\n\nx\n\n"], 3);
    expect(tail.lines).toEqual(["", "x", ""]);
    expect(tail.totalLines).toBe(4);
  });

  it("should return the same tail for an empty chunk", () => {
    const tail = feed(["a\n"], 5);
    expect(appendToTail(tail, "", 5)).toBe(tail);
  });
});
