import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter } from "@/lib/jenkins";
import { callbackResponse } from "@/lib/runs/callback-route";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import type { EmulatorOptions } from "@/emulator/src/index";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { makeTempDir, processesMentioning, removeDir } from "@/tests/support/servers/process";
import { SampleFactory } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { runProvisionCommand } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// The real restore pipeline for a test: the repository's JJB jobs provisioned into an emulator,
// a real sshd holding sample backups, an SSH key in Jenkins' store, a fresh SQLite database and
// the portal's callback route on a real port (the pipeline's curl calls it, signed).

export interface RealPipeline {
  work: string;
  emulator: TestEmulator;
  jenkins: JenkinsAdapter;
  sshd: SshdServer;
  samples: SampleFactory;
  t: TestDatabase;
  /** The portal's base URL as the pipeline reaches it (its callback route answers there). */
  portalUrl: string;
  /** The id of the SSH key Jenkins holds for the backup host. */
  sshCredentialId: string;
  /** Stops the emulator (its builds die with it, as in a Jenkins crash) and starts it again on the same port and home. */
  restartEmulator(): Promise<void>;
  stop(): Promise<void>;
}

/** `nodes`: the emulator's agents (default: the built-in node alone), as startTestEmulator takes them. */
export async function startRealPipeline(
  name: string,
  sshCredentialId: string,
  options: { nodes?: EmulatorOptions["nodes"] } = {},
): Promise<RealPipeline> {
  const work = await makeTempDir(`rd-${name}`);
  const home = path.join(work, "jenkins");
  await fs.mkdir(home, { mode: 0o755 });
  const token = randomBytes(16).toString("hex");
  const secret = randomBytes(24).toString("hex");
  const users = [{ id: "drill", apiTokens: [token], admin: true }];
  const fixture = { emulator: undefined as unknown as TestEmulator };
  const [emulator, sshd, samples, t] = await Promise.all([
    startTestEmulator({ home, users, nodes: options.nodes }),
    startSshd(),
    SampleFactory.create(path.join(work, "samples")),
    freshDatabase("sqlite"),
  ]);
  await allowKeyPaths(t.db, sshCredentialId);
  fixture.emulator = emulator;
  const jenkins = createJenkinsAdapter(
    jenkinsConfig({ url: emulator.url, credentials: { user: "drill", apiToken: token }, timeoutMs: 10_000 }),
  );
  const portal = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await callbackResponse(
      { db: t.db, secret },
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      }),
    );
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  const stop = async () => {
    await Promise.allSettled([fixture.emulator.close(), sshd.stop(), samples.stop(), new Promise((r) => portal.close(r)), t.drop()]);
    for (const pid of await processesMentioning(work)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await removeDir(work);
  };
  try {
    const provisioned = await runProvisionCommand([], {
      HOME: work,
      JENKINS_URL: emulator.url,
      JENKINS_USER: "drill",
      JENKINS_API_TOKEN: token,
      JOBS_PROVISION_STATE_FILE: path.join(work, "provision-state.json"),
      RESTORE_DRILL_CALLBACK_SECRET: secret,
    });
    if (provisioned.code !== 0) throw new Error(`provisioning failed: ${provisioned.stderr}`);
    await jenkins.createCredential(
      new SecretValue(
        buildSshCredentialXml({
          id: sshCredentialId,
          description: "backup host",
          username: sshd.user,
          privateKey: await fs.readFile(sshd.clientKey.privateKeyPath, "utf8"),
        }),
      ),
    );
    await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
  } catch (error) {
    await stop();
    throw error;
  }
  const portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  const restartEmulator = async () => {
    await fixture.emulator.close();
    fixture.emulator = await startTestEmulator({ home, users, nodes: options.nodes, port: emulator.port });
  };
  return {
    work,
    get emulator() {
      return fixture.emulator;
    },
    jenkins,
    sshd,
    samples,
    t,
    portalUrl,
    sshCredentialId,
    restartEmulator,
    stop,
  };
}
