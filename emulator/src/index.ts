import http from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorCore } from "./core";
import { Job } from "./model/items";
import { emulatorOptionsSchema, type EmulatorOptions } from "./options";
import { createRequestHandler } from "./routes";

export type { EmulatorOptions } from "./options";

export interface Emulator {
  /** with trailing slash, e.g. http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  home: string;
  outboxDir: string;
  /** the Jenkins version emulated (X-Jenkins) */
  version: string;
  /** Schedules the job as its timer would (TimerTriggerCause); returns the queue id. */
  fireTimer(jobFullName: string): Promise<number>;
  /** Aborts running builds (killing their process trees) and stops listening. */
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const options = emulatorOptionsSchema.parse(opts);
  const core = new EmulatorCore(options);
  core.load();
  const server = http.createServer(createRequestHandler(core));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  core.baseUrl = `http://${hostForUrl}:${port}/`;
  let closed: Promise<void> | undefined;
  return {
    url: core.baseUrl,
    port,
    home: core.home,
    outboxDir: core.outboxDir,
    version: core.behaviour.version,
    async fireTimer(jobFullName) {
      const job = core.store.resolve(jobFullName);
      if (!(job instanceof Job)) throw new Error(`No such job: ${jobFullName}`);
      return core.timers.fire(job);
    },
    close() {
      closed ??= (async () => {
        await core.shutdown();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}
