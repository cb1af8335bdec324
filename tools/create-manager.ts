// npm run create-manager -- --email you@example.com [--name "Your Name"] [--password-stdin] [--if-none | --reset]
// Creates the first manager. The password is read from stdin, or generated and printed once;
// there is no default password. With --if-none it does nothing when a manager exists; with
// --reset it gives the existing manager of that email a new password (the way back in when
// the only manager's password is lost).
import { parseArgs } from "node:util";
import { z } from "zod";
import { recordAudit } from "../lib/audit/record";
import { generatePassword, hashPassword } from "../lib/auth/password";
import { createDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate-database";
import { databaseUrl } from "../lib/db/provider";
import { emailSchema, nameSchema, passwordSchema } from "../lib/validation/user";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
      "if-none": { type: "boolean" },
      reset: { type: "boolean" },
    },
  });
  const input = z.object({ email: emailSchema, name: nameSchema }).safeParse({ email: values.email, name: values.name ?? "Manager" });
  if (!input.success) throw new Error(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("; "));

  await migrateDatabase();
  const db = createDb(databaseUrl());
  try {
    const choosePassword = async () => (values["password-stdin"] ? passwordSchema.parse(await readStdin()) : generatePassword());
    if (values.reset) {
      const manager = await db.user.findFirst({ where: { email: input.data.email, role: "manager" } });
      if (!manager) throw new Error(`No manager has the email ${input.data.email}.`);
      const password = await choosePassword();
      await db.user.update({
        where: { id: manager.id },
        data: { passwordHash: await hashPassword(password), disabled: false, sessionVersion: { increment: 1 } },
      });
      await recordAudit(db, { actor: null, action: "user.reset-password-from-console", target: manager.email, outcome: "success" });
      console.log(`New password for ${manager.email}.`);
      if (!values["password-stdin"]) console.log(`Password (shown once, keep it safe): ${password}`);
      return;
    }
    const existing = await db.user.findFirst({ where: { role: "manager" }, select: { email: true } });
    if (existing) {
      if (values["if-none"]) {
        console.log(`A manager already exists (${existing.email}); nothing to do.`);
        return;
      }
      throw new Error(`A manager already exists (${existing.email}). Managers add further users in the portal.`);
    }
    const password = await choosePassword();
    const user = await db.user.create({
      data: { email: input.data.email, name: input.data.name, role: "manager", passwordHash: await hashPassword(password) },
    });
    await recordAudit(db, { actor: null, action: "user.bootstrap-manager", target: user.email, outcome: "success" });
    console.log(`Created manager ${user.email}.`);
    if (!values["password-stdin"]) console.log(`Password (shown once, keep it safe): ${password}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof z.ZodError ? e.issues.map((i) => i.message).join("; ") : e instanceof Error ? e.message : String(e));
  process.exit(1);
});
