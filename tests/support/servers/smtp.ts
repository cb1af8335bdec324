import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// A real SMTP server on a loopback port that keeps what it is sent: the portal's mail (missed
// runs, shrink alarms) is tested over SMTP, as it is sent in production.

export interface CaughtMail {
  to: string[];
  /** The message as a mail reader shows it (see `readable`). */
  data: string;
}

export interface SmtpCatcher {
  url: string;
  caught: CaughtMail[];
  close(): Promise<void>;
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const caught: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      stream.on("end", () => {
        caught.push({ to: session.envelope.rcptTo.map((r) => r.address), data: readable(data) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    caught,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The message as a mail reader shows it: headers unfolded and RFC 2047-decoded, quoted-printable body decoded. */
export function readable(raw: string): string {
  const cut = raw.indexOf("\r\n\r\n");
  const qp = (text: string) =>
    Buffer.from(
      text.replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  const headers = raw
    .slice(0, cut)
    .replace(/\r\n[ \t]+/g, " ")
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, text: string) => qp(text.replace(/_/g, " ")));
  const body = raw.slice(cut + 4);
  return `${headers}\n\n${/quoted-printable/i.test(headers) ? qp(body.replace(/=\r\n/g, "")) : body}`;
}
