import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";

// What this tool last left in each Jenkins, per job: the fingerprint of the
// rendered XML it sent and of the config.xml Jenkins served right after. The
// second one is what makes "edited in Jenkins since" detectable on a real
// Jenkins, which never serves back the bytes it was given.

const jobStateSchema = z.object({ rendered: z.string().length(64), jenkins: z.string().length(64), provisionedAt: z.string() });
const stateFileSchema = z.object({ version: z.literal(1), servers: z.record(z.string(), z.record(z.string(), jobStateSchema)) });

export type JobState = z.infer<typeof jobStateSchema>;
type StateFile = z.infer<typeof stateFileSchema>;

export function defaultStateFile(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(env.JOBS_PROVISION_STATE_FILE || path.join(env.DATA_DIR || "data", "jenkins-jobs-state.json"));
}

export class ProvisionState {
  private constructor(
    private readonly file: string,
    private readonly data: StateFile,
  ) {}

  static async load(file: string): Promise<ProvisionState> {
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new ProvisionState(file, { version: 1, servers: {} });
      throw error;
    }
    const parsed = stateFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file} is not a job provisioning state file; move it away to start afresh`);
    return new ProvisionState(file, parsed.data);
  }

  get(server: string, job: string): JobState | undefined {
    return this.data.servers[server]?.[job];
  }

  set(server: string, job: string, state: JobState): void {
    (this.data.servers[server] ??= {})[job] = state;
  }

  /** Written atomically so an interrupted run never leaves half a file. */
  async save(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    await fs.rename(temp, this.file);
  }
}
