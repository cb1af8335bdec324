import {
  plainConsoleText,
  rawBytesOf,
  servesRawProgressiveText,
  stripConsoleNotes,
  stripConsoleNotesStream,
} from "@/lib/jenkins/console-notes";
import { resumeOffset } from "@/lib/jenkins/streams";
import { LogChunker } from "@/lib/runs/log-chunks";
import { applyConsoleLines, pendingStages } from "@/lib/runs/stages";

// A note as Jenkins writes one before a job name (HyperlinkNote.encodeTo).
const note = (payload = "////4ZGVtbw==") => `\u001b[8mha:${payload}\u001b[0m`;

describe("console notes", () => {
  it("should strip every note and keep the text around it", () => {
    expect(stripConsoleNotes(`Waiting for the completion of ${note()}restore-drill-deploy`)).toBe(
      "Waiting for the completion of restore-drill-deploy",
    );
    expect(stripConsoleNotes(`${note()}a #1 ${note("AAAA")}x\n`)).toBe("a #1 x\n");
    expect(stripConsoleNotes("plain \u001b[31mred\u001b[0m")).toBe("plain \u001b[31mred\u001b[0m");
    expect(plainConsoleText(`a${note()}b\r\nc\r\n`)).toBe("ab\nc\n");
  });

  it("should let live stages follow annotated trigger lines", () => {
    const stages = applyConsoleLines(
      pendingStages(),
      [
        `Waiting for the completion of ${note()}restore-drill-deploy`,
        `${note()}restore-drill-deploy #3 started.`,
        `${note()}restore-drill-deploy #3 completed. Result was SUCCESS`,
      ],
      new Date("2026-03-01T12:00:00Z"),
    );
    expect(stages.find((s) => s.name === "deploy")?.status).toBe("passed");
  });

  it("should know which Jenkins serves progressiveText raw", () => {
    expect(servesRawProgressiveText("2.568.2")).toBe(true);
    expect(servesRawProgressiveText("2.509")).toBe(true);
    expect(servesRawProgressiveText("2.508")).toBe(false);
    expect(servesRawProgressiveText("2.492.3")).toBe(false);
    expect(servesRawProgressiveText(null)).toBe(false);
  });

  it("should count raw bytes without the carriage returns Jenkins adds, and resume where a raw body ended", () => {
    expect(rawBytesOf(Buffer.from("ab\r\ncd\r\n"))).toBe(6);
    expect(rawBytesOf(Buffer.from("ab\ncd\n"))).toBe(6);
    const log = { offset: 100, nextOffset: 130, more: true, raw: true };
    // 20 bytes sent, the unfinished line after them was not: start there next time.
    expect(resumeOffset(log, 20)).toBe(120);
    expect(resumeOffset({ ...log, more: false }, 20)).toBe(130);
    expect(resumeOffset({ ...log, raw: false }, 20)).toBe(130);
    expect(resumeOffset(log, 40)).toBe(130);
  });

  it("should give chunks raw-log offsets", () => {
    const chunker = new LogChunker(10);
    expect(chunker.push(Buffer.from("one\r\ntwo\r\n"))).toEqual([]);
    expect(chunker.end).toBe(18);
    expect(chunker.finish(18)).toEqual({ offset: 10, next: 18, text: "one\r\ntwo\r\n" });
  });

  it("should strip notes from a streamed download split anywhere", async () => {
    const text = `Started by user ${note()}admin\nWaiting for the completion of ${note()}x\nFinished: SUCCESS\n`;
    const bytes = Buffer.from(text);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
        controller.close();
      },
    });
    const out = await new Response(source.pipeThrough(stripConsoleNotesStream())).text();
    expect(out).toBe("Started by user admin\nWaiting for the completion of x\nFinished: SUCCESS\n");
  });
});
