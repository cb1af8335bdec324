import { randomInt, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { secretsOf, type StoredCredential } from "../credentials/credential";
import type { Binding } from "../model/job-config";

// credentials-binding's SecretBuildWrapper for freestyle jobs. Files go to
// <workspace>@tmp/secretFiles/<uuid>/ (dirs 0700, files 0400) and are removed
// when the build ends. Every value in `secrets` is masked in the console.

export class BindingError extends Error {}

export interface BoundEnvironment {
  env: Record<string, string>;
  secrets: string[];
  cleanup(): void;
}

function secretDir(workspace: string, dirs: string[]): string {
  const base = path.join(`${workspace}@tmp`, "secretFiles");
  const dir = path.join(base, randomUUID());
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(base, 0o700);
  dirs.push(dir);
  return dir;
}

function writeSecretFile(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o400);
}

export function bindCredentials(
  bindings: Binding[],
  workspace: string,
  lookup: (id: string) => StoredCredential | undefined,
): BoundEnvironment {
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  const dirs: string[] = [];
  const cleanup = () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const binding of bindings) {
      const cred = lookup(binding.credentialsId);
      if (!cred) throw new BindingError(`Could not find credentials entry with ID '${binding.credentialsId}'`);
      const values = secretsOf(cred);
      const wrongType = () =>
        new BindingError(`Credentials '${binding.credentialsId}' is of type '${values.kind}' where a different type was expected`);
      switch (binding.type) {
        case "ssh": {
          if (values.kind !== "ssh") throw wrongType();
          const file = path.join(secretDir(workspace, dirs), `file${randomInt(1e9, 1e10 - 1)}.tmp`);
          writeSecretFile(file, values.privateKeys.map((k) => `${k}\n`).join(""));
          env[binding.keyFileVariable] = file;
          secrets.push(file);
          if (binding.usernameVariable) env[binding.usernameVariable] = values.username;
          if (binding.passphraseVariable) {
            env[binding.passphraseVariable] = values.passphrase;
            secrets.push(values.passphrase);
          }
          break;
        }
        case "file": {
          if (values.kind !== "file") throw wrongType();
          const file = path.join(secretDir(workspace, dirs), values.fileName);
          writeSecretFile(file, values.bytes);
          env[binding.variable] = file;
          secrets.push(file);
          break;
        }
        case "string":
          if (values.kind !== "string") throw wrongType();
          env[binding.variable] = values.secret;
          secrets.push(values.secret);
          break;
        case "usernamePassword": {
          if (values.kind !== "usernamePassword") throw wrongType();
          if (binding.variable) {
            env[binding.variable] = `${values.username}:${values.password}`;
            secrets.push(env[binding.variable]!);
          }
          if (binding.usernameVariable) env[binding.usernameVariable] = values.username;
          if (binding.passwordVariable) env[binding.passwordVariable] = values.password;
          secrets.push(values.password);
          break;
        }
      }
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  return { env, secrets, cleanup };
}
