import type { JenkinsAdapter } from "@/lib/jenkins";
import { LiveRuns, type LiveEvent } from "@/lib/runs/live";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { getRunView, type RunView } from "@/lib/runs/view";
import { runParametersSchema } from "@/lib/validation/run";
import type { TestDatabase } from "@/tests/support/databases";
import type { SampleFactory, SampleTable } from "@/tests/support/servers/samples";
import type { SshdServer } from "@/tests/support/servers/sshd";
import { startRealPipeline, type RealPipeline } from "../jenkins/real-pipeline-fixture";
import { closedRunView, makeUser } from "./support";

// One run through the real JJB pipeline (provisioned into the emulator, real sshd and MariaDB):
// started from the portal's startRun, followed live, closed by the pipeline's own signed
// callback to the portal's callback route, with the reconciler finding nothing left to do.

jest.setTimeout(240_000);

const TABLES: SampleTable[] = [
  { name: "customers", rows: 11 },
  { name: "orders", rows: 23 },
];
const SSH_ID = "real-pipeline-ssh";

let fx: RealPipeline;
let jenkins: JenkinsAdapter;
let sshd: SshdServer;
let samples: SampleFactory;
let t: TestDatabase;
let portalUrl: string;

beforeAll(async () => {
  fx = await startRealPipeline("run-real", SSH_ID);
  ({ jenkins, sshd, samples, t, portalUrl } = fx);
});

afterAll(() => fx?.stop());

it("should run a restore from startRun to a passed verdict delivered by the pipeline's callback", async () => {
  const backupPath = await samples.make("mysqldump", TABLES, "good.sql");
  const params = runParametersSchema.parse({
    backupHost: sshd.host,
    backupPort: sshd.port,
    backupPath,
    backupHostKey: sshd.hostPublicKey,
    dbType: "mysql",
    sshCredentialId: SSH_ID,
  });
  const { runId } = await startRun({ db: t.db, jenkins, portalUrl }, await makeUser(t.db), params);

  const live = new LiveRuns({ db: t.db, jenkins, intervalMs: 200 });
  const seen: RunView[] = [];
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  live.subscribe(runId, 0, {
    send: async (event: LiveEvent) => {
      if (event.event === "run") seen.push(event.data);
      return true;
    },
    close: () => ended(),
  });
  await end;

  const view = await closedRunView(t.db, runId, 60_000);
  if (view.status !== "passed") throw new Error(`run ${view.status}: ${view.reasonCode} ${view.reason}`);
  const row = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
  expect(row.callbackAt).not.toBeNull();
  expect(view.tables.map((x) => [x.name, x.rows])).toEqual(TABLES.map((x) => [x.name, x.rows]));
  expect(view.totalRows).toBe(34);
  expect(view.stages.map((s) => s.status)).toEqual(["passed", "passed", "passed", "passed", "passed"]);
  // Live stage progress was pushed before the verdict.
  expect(seen.some((v) => v.status === "running" && v.stages.some((s) => s.status === "passed"))).toBe(true);

  expect((await reconcileOnce({ db: t.db, jenkins })).closed).toBe(0);
  expect(await getRunView(t.db, runId)).toEqual(view);
});
