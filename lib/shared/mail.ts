import nodemailer from "nodemailer";
import { z } from "zod";

// The portal's own mail (missed-run alerts). Failure mail for a run is Jenkins' (the pipeline's
// Mailer to NOTIFY_EMAIL); this is for what Jenkins cannot say because it did not run.

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

const smtpUrlSchema = z.url({
  protocol: /^smtps?$/,
  error: "SMTP_URL must be smtp://host:port or smtps://host:port (user:password@ allowed)",
});
const fromSchema = z.email({ error: "MAIL_FROM must be an e-mail address" });

export interface MailSettings {
  smtpUrl: string;
  from: string;
}

/** SMTP_URL and MAIL_FROM; null when SMTP_URL is unset (alerts are then shown in the portal only). */
export function mailSettings(env: Record<string, string | undefined> = process.env): MailSettings | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  const parsedUrl = smtpUrlSchema.safeParse(url);
  if (!parsedUrl.success) throw new Error(parsedUrl.error.issues[0]?.message ?? "SMTP_URL is invalid");
  const from = fromSchema.safeParse(env.MAIL_FROM?.trim() || "restore-drill@localhost.localdomain");
  if (!from.success) throw new Error(from.error.issues[0]?.message ?? "MAIL_FROM is invalid");
  return { smtpUrl: parsedUrl.data, from: from.data };
}

export function smtpMailer(settings: MailSettings): Mailer {
  // A local catcher or relay without TLS is the common case; smtps:// gets TLS from the start.
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: settings.from, to: mail.to.join(", "), subject: mail.subject, text: mail.text });
    },
  };
}
