import fs from "node:fs";

// The build's console: appended line by line so that a reader only ever sees
// complete lines, with every bound secret replaced by "****"
// (credentials-binding's SecretPatterns, longest secret first).

export class ConsoleLog {
  private secrets: string[] = [];
  private pending = "";
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

  /** Raw process output: buffered until a newline so masking sees whole lines. */
  write(chunk: string): void {
    this.pending += chunk;
    const lastNewline = this.pending.lastIndexOf("\n");
    if (lastNewline < 0) return;
    const complete = this.pending.slice(0, lastNewline + 1);
    this.pending = this.pending.slice(lastNewline + 1);
    fs.writeSync(this.fd, complete.split("\n").map((l) => this.mask(l)).join("\n"));
  }

  println(line: string): void {
    this.flushPartial();
    fs.writeSync(this.fd, `${this.mask(line)}\n`);
  }

  flushPartial(): void {
    if (this.pending === "") return;
    const rest = this.pending;
    this.pending = "";
    fs.writeSync(this.fd, `${this.mask(rest)}\n`);
  }

  close(): void {
    this.flushPartial();
    fs.closeSync(this.fd);
  }

  /** Last `n` lines, as Run.getLog(maxLines) gives the mailer. */
  tail(n: number): string[] {
    const lines = fs.readFileSync(this.file, "utf8").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-n);
  }
}
