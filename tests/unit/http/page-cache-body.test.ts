import zlib from "node:zlib";
import { gzipBody, plainBody, spliceBody } from "@/lib/http/page-cache/body";

// A kept page answered with a new nonce each time (lib/http/page-cache/body.ts): the text must be
// exactly the render with the nonce replaced, and the gzip one must be a valid gzip of that text
// (gunzip checks the CRC and the length).

const OLD = "b2xkLW5vbmNlLW9mLTE4Ynl0";
const NEW = "bmV3LW5vbmNlK29mLzE4Ynl0";

function render(parts: string[]): string {
  return parts.join(OLD);
}

describe("a kept page body with a new nonce", () => {
  const cases: [string, string[]][] = [
    ["nonce in the middle", ['<html><script nonce="', '">go()</script>', "</html>"]],
    ["nonce first and last", ["", "<p>x</p>", ""]],
    ["two nonces side by side", ["<a>", "", "</a>"]],
    ["no nonce at all", ["<html>plain</html>"]],
    ["pieces longer than a stored block", ["a".repeat(70_000), "é".repeat(40_000), String(Math.random()).repeat(5000)]],
  ];

  it.each(cases)("should give the render with the nonce replaced, as text and as gzip (%s)", (_name, parts) => {
    const body = spliceBody(Buffer.from(render(parts)), OLD);
    const expected = parts.join(NEW);
    expect(plainBody(body, NEW).toString("utf8")).toBe(expected);
    expect(zlib.gunzipSync(gzipBody(body, NEW)).toString("utf8")).toBe(expected);
  });

  it("should compress: a repetitive page is far smaller as gzip", () => {
    const body = spliceBody(Buffer.from(render(["<tr><td>row</td></tr>".repeat(5000), "x"])), OLD);
    expect(gzipBody(body, NEW).length).toBeLessThan(plainBody(body, NEW).length / 20);
  });

  it("should give each answer its own nonce: two answers differ only there", () => {
    const body = spliceBody(Buffer.from(render(["<script nonce=", ">1</script>"])), OLD);
    const other = "AAAAAAAAAAAAAAAAAAAAAAAA";
    expect(plainBody(body, NEW).toString()).not.toContain(OLD);
    expect(plainBody(body, other).toString().replace(other, NEW)).toBe(plainBody(body, NEW).toString());
  });

  it("should refuse a nonce of another length (RSC text rows carry their byte length)", () => {
    const body = spliceBody(Buffer.from(render(["a", "b"])), OLD);
    expect(() => plainBody(body, "short")).toThrow(/cannot replace/);
    expect(() => gzipBody(body, `${NEW}x`)).toThrow(/cannot replace/);
  });
});
