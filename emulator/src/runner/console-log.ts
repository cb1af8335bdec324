import fs from "node:fs";
import { removeNotes } from "../console/notes";

// The build's console, with every bound secret replaced by "****" (credentials-binding's
// SecretPatterns, longest secret first). Masking works on whole lines (a
// LineTransformationOutputStream), so while secrets are bound, output is written line by line;
// without them a step's output reaches the log as it comes, unfinished last line included —
// which is what a progressive reader may skip on the current LTS (JENKINS-26682).

export class ConsoleLog {
  private secrets: string[] = [];
  private pending = "";
  /** the file ends inside a line (unmasked output written as it came) */
  private midLine = false;
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, "a");
  }

  addSecrets(values: string[]): void {
    this.secrets = [...new Set([...this.secrets, ...values.filter((v) => v !== "")])].sort((a, b) => b.length - a.length);
  }

  private mask(line: string): string {
    let out = line;
    for (const secret of this.secrets) out = out.split(secret).join("****");
    return out;
  }

  /** Raw process output. */
  write(chunk: string): void {
    if (this.secrets.length === 0 && this.pending === "") {
      if (chunk === "") return;
      fs.writeSync(this.fd, chunk);
      this.midLine = !chunk.endsWith("\n");
      return;
    }
    this.pending += chunk;
    const lastNewline = this.pending.lastIndexOf("\n");
    if (lastNewline < 0) return;
    const complete = this.pending.slice(0, lastNewline + 1);
    this.pending = this.pending.slice(lastNewline + 1);
    fs.writeSync(
      this.fd,
      complete
        .split("\n")
        .map((l) => this.mask(l))
        .join("\n"),
    );
    this.midLine = false;
  }

  println(line: string): void {
    this.flushPartial();
    fs.writeSync(this.fd, `${this.mask(line)}\n`);
  }

  /** Ends an unfinished line, so Jenkins' own next line starts on a line of its own. */
  flushPartial(): void {
    if (this.pending !== "") {
      const rest = this.pending;
      this.pending = "";
      fs.writeSync(this.fd, `${this.mask(rest)}\n`);
    } else if (this.midLine) fs.writeSync(this.fd, "\n");
    this.midLine = false;
  }

  close(): void {
    this.flushPartial();
    fs.closeSync(this.fd);
  }

  /** Last `n` lines without console notes, as Run.getLog(maxLines) gives the mailer. */
  tail(n: number): string[] {
    const lines = removeNotes(fs.readFileSync(this.file, "utf8")).split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-n);
  }
}
