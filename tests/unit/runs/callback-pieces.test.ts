import fs from "node:fs";
import { createHmac } from "node:crypto";
import { LogChunker, MAX_CHUNK_BYTES, type LogEventData } from "@/lib/runs/log-chunks";
import { BUILT_IN_NODE, toBuildStatus } from "@/lib/jenkins/mappers";
import { restoreReportSchema } from "@/lib/runs/report";
import { signCallback, verifyCallbackSignature } from "@/lib/runs/signature";

describe("the callback signature", () => {
  const secret = "s".repeat(32);
  const body = Buffer.from('{"a":1}');
  const now = new Date("2026-05-01T00:00:00Z");
  const ts = String(Math.floor(now.getTime() / 1000));

  it("should be HMAC-SHA256 over '<timestamp>.<body>' as jenkins-jobs/README.md states", () => {
    expect(signCallback(secret, ts, body)).toBe(`sha256=${createHmac("sha256", secret).update(`${ts}.{"a":1}`).digest("hex")}`);
  });

  it.each([
    [{ timestamp: ts, signature: null }, "missing"],
    [{ timestamp: "12ab", signature: "sha256=" + "0".repeat(64) }, "malformed"],
    [{ timestamp: String(Number(ts) - 301), signature: signCallback(secret, Number(ts) - 301, body) }, "stale"],
    [{ timestamp: String(Number(ts) + 61), signature: signCallback(secret, Number(ts) + 61, body) }, "future"],
    [{ timestamp: ts, signature: signCallback("other-secret-other-secret", ts, body) }, "mismatch"],
  ])("should refuse %o as %s", (headers, reason) => {
    expect(verifyCallbackSignature({ secret, body, now, ...headers })).toEqual({ ok: false, reason });
  });

  it("should accept a fresh, matching signature (upper-case hex too), and one 59 s in the future", () => {
    expect(verifyCallbackSignature({ secret, body, now, timestamp: ts, signature: signCallback(secret, ts, body) })).toEqual({ ok: true });
    expect(
      verifyCallbackSignature({
        secret,
        body,
        now,
        timestamp: ts,
        signature: `sha256=${signCallback(secret, ts, body).slice(7).toUpperCase()}`,
      }),
    ).toEqual({ ok: true });
    const soon = String(Number(ts) + 59);
    expect(verifyCallbackSignature({ secret, body, now, timestamp: soon, signature: signCallback(secret, soon, body) })).toEqual({
      ok: true,
    });
  });
});

describe("the report schema", () => {
  const jsonSchema = JSON.parse(fs.readFileSync("jenkins-jobs/restore-report.schema.json", "utf8")) as {
    required: string[];
    properties: Record<string, { required?: string[]; properties?: Record<string, unknown>; items?: { required?: string[] } }>;
  };
  it("should ask for exactly the fields of jenkins-jobs/restore-report.schema.json", () => {
    const shape = restoreReportSchema.shape;
    // Every field of the JSON Schema, required or additive (optional, e.g. assertions and freshness).
    expect(Object.keys(shape).sort()).toEqual(Object.keys(jsonSchema.properties).sort());
    for (const key of jsonSchema.required)
      expect({ key, optional: shape[key as keyof typeof shape].safeParse(undefined).success }).toEqual({ key, optional: false });
    for (const key of ["jenkins", "backup", "sandbox", "integrity"] as const) {
      const fields = shape[key].shape;
      expect({ key, fields: Object.keys(fields).sort() }).toEqual({
        key,
        fields: Object.keys(jsonSchema.properties[key]!.properties!).sort(),
      });
    }
    expect(Object.keys(shape.stages.element.shape).sort()).toEqual([...jsonSchema.properties.stages!.items!.required!].sort());
  });
});

describe("log chunks", () => {
  it("should cut at line ends, keep multi-byte characters whole, and cover every byte once", () => {
    const line = "é€ line with accents and a euro sign\n";
    const text = line.repeat(Math.ceil((3 * MAX_CHUNK_BYTES) / Buffer.byteLength(line)));
    const bytes = Buffer.from(text);
    const chunker = new LogChunker(1000);
    const chunks: LogEventData[] = [];
    for (let i = 0; i < bytes.length; i += 7777) chunks.push(...chunker.push(bytes.subarray(i, i + 7777)));
    const last = chunker.finish(1000 + bytes.length);
    if (last) chunks.push(last);
    expect(chunks.map((c) => c.text).join("")).toBe(text);
    chunks.forEach((c, i) => {
      expect(c.offset).toBe(i === 0 ? 1000 : chunks[i - 1]!.next);
      expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
      if (i < chunks.length - 1) expect(c.text.endsWith("\n")).toBe(true);
    });
    expect(chunks.at(-1)!.next).toBe(1000 + bytes.length);
  });

  it("should split a line longer than a chunk between characters, and end at Jenkins' offset", () => {
    const long = "€".repeat(MAX_CHUNK_BYTES);
    const chunker = new LogChunker(0);
    const chunks = [...chunker.push(Buffer.from(long))];
    const last = chunker.finish(Buffer.byteLength(long) + 40);
    expect([...chunks, last!].map((c) => c.text).join("")).toBe(long);
    expect(chunks.every((c) => !c.text.includes("\ufffd"))).toBe(true);
    // Console notes on a real Jenkins make its offset run ahead of the text: the last chunk takes it.
    expect(last!.next).toBe(Buffer.byteLength(long) + 40);
  });
});

describe("the agent that ran a restore", () => {
  const vendor = { _class: "hudson.model.FreeStyleBuild", number: 3, building: false, result: "SUCCESS", timestamp: 0, duration: 10 };
  it("should name the node as NODE_NAME does: builtOn '' is the built-in node, absent is unknown", () => {
    expect(toBuildStatus({ ...vendor, builtOn: "agent-2" }).agent).toBe("agent-2");
    expect(toBuildStatus({ ...vendor, builtOn: "" }).agent).toBe(BUILT_IN_NODE);
    expect(toBuildStatus(vendor).agent).toBeNull();
  });
});
