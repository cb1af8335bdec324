/**
 * Issue 15: SANDBOX_PROVIDER=docker through Podman's Docker-compatible
 * service with the Docker CLI, on images built from Debian packages
 * (tools/container-images/build.sh, cached on this machine). Real sshd,
 * real restores, exact row counts; the container's limits are read back with
 * inspect; the container is gone after success, failure, the sweep of a
 * killed build, and an orphan without a lease.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run, runOk } from "@/tests/support/servers/process";
import { SampleFactory, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv } from "./helpers/drill";
import { describeFailure, nodeEnv, readReport, readStageRecord, REPO_ROOT, runStage, SCRIPTS } from "./helpers/stages";

jest.setTimeout(900_000);

const MARIADB_IMAGE = "localhost/restore-drill-mariadb:10.11";
const POSTGRES_IMAGE = "localhost/restore-drill-postgres:15";
/** Capability numbers (linux/capability.h) of the ones the engines keep. */
const CAP_BITS: Record<string, number> = { CHOWN: 0, DAC_OVERRIDE: 1, FOWNER: 3, SETGID: 6, SETUID: 7 };
const TABLES: SampleTable[] = [
  { name: "customers", rows: 12 },
  { name: "orders", rows: 31 },
];

let work: string;
let sshd: SshdServer;
let samples: SampleFactory;
let service: ChildProcess;
let dockerHost: string;
let leaseDir: string;

async function docker(...args: string[]) {
  return run("docker", args, { env: nodeEnv({ DOCKER_HOST: dockerHost }) });
}

beforeAll(async () => {
  work = await makeTempDir("rdj-docker");
  leaseDir = path.join(work, "leases");
  // Built once per machine (keyed by the build inputs); tools/test-all.sh starts it early in the background.
  const build = run(path.join(REPO_ROOT, "tools/container-images/build.sh"), [], { env: process.env });
  [sshd, samples] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples"))]);
  const built = await build;
  if (built.code !== 0) throw new Error(`image build failed:\n${built.stderr}`);
  dockerHost = `unix://${work}/podman.sock`;
  service = spawn("podman", ["system", "service", "--time=0", dockerHost], { stdio: "ignore" });
  service.unref();
  for (let i = 0; i < 100 && (await docker("version")).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  service?.kill("SIGTERM");
  await Promise.allSettled([sshd?.stop(), samples?.stop()]);
  await removeDir(work);
});

/** This test's containers: labelled with a run directory under its work directory. */
async function ourContainers(): Promise<string[]> {
  const out = await docker(
    "ps",
    "--all",
    "--filter",
    "label=io.restore-drill.run-dir",
    "--format",
    '{{.Names}} {{.Label "io.restore-drill.run-dir"}}',
  );
  // A listing that failed would read as "no container left": it must not pass for one.
  if (out.code !== 0) throw new Error(`docker ps failed: ${out.stderr}`);
  return out.stdout.split("\n").filter((l) => l.split(" ")[1]?.startsWith(work));
}

function envFor(id: string, dbType: string, backupPath: string, extra: Record<string, string> = {}) {
  const base = drillEnv({ workDir: work, id, sshd, backupPath, dbType });
  return {
    RUN_DIR: base.RUN_DIR as string,
    REPORT_DIR: base.REPORT_DIR as string,
    ...drillEnv({ workDir: work, id, sshd, backupPath, dbType }),
    SANDBOX_PROVIDER: "docker",
    DOCKER_HOST: dockerHost,
    RD_LEASE_DIR: leaseDir,
    RD_IMAGE_ALLOWLIST: JSON.stringify({
      mysql: { default: MARIADB_IMAGE, majors: { "10": MARIADB_IMAGE } },
      postgresql: { default: POSTGRES_IMAGE, majors: { "15": POSTGRES_IMAGE } },
    }),
    RD_CONTAINER_MEMORY: "512m",
    RD_CONTAINER_CPUS: "1",
    RD_CONTAINER_PIDS: "200",
    ...extra,
  };
}

describe("docker sandbox provider", () => {
  it.each([
    {
      id: "mysql",
      dbType: "mysql",
      format: "mysqldump" as const,
      engine: "mariadb",
      image: MARIADB_IMAGE,
      caps: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
    },
    {
      id: "pg",
      dbType: "postgresql",
      format: "pg-custom" as const,
      engine: "postgresql",
      image: POSTGRES_IMAGE,
      caps: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
    },
  ])("should restore $id in a limited, isolated container and remove it", async ({ id, dbType, format, engine, image, caps }) => {
    const backupPath = await samples.make(format, TABLES, `${id}.dump`);
    const env = envFor(id, dbType, backupPath);
    try {
      for (const stage of ["pipeline-start", "deploy"] as const) {
        const r = await runStage(stage, env);
        expect({ stage, code: r.code, log: r.code ? describeFailure(r) : "" }).toMatchObject({ code: 0 });
      }
      const name = (await fs.readFile(path.join(env.RUN_DIR, "sandbox/container"), "utf8")).trim();
      const [info] = JSON.parse((await docker("inspect", name)).stdout);
      expect(info.Config.Image).toContain(image.replace(/^localhost\//, ""));
      expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
      expect(info.HostConfig.NanoCpus).toBe(1e9);
      expect(info.HostConfig.PidsLimit).toBe(200);
      expect(info.HostConfig.NetworkMode).toBe("none");
      // --cap-drop=ALL plus the engine's cap-adds: the server's bounding set holds exactly those, read from
      // the host (inspect's CapAdd/CapDrop are relative to the engine's default set under Podman).
      const status = await fs.readFile(`/proc/${info.State.Pid}/status`, "utf8");
      const bounding = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? "ffff"}`);
      const held = Object.entries(CAP_BITS).filter(([, bit]) => (bounding >> BigInt(bit)) & BigInt(1));
      expect(held.map(([name]) => name).sort()).toEqual(caps);
      expect(bounding).toBe(held.reduce((sum, [, bit]) => sum | (BigInt(1) << BigInt(bit)), BigInt(0)));
      expect(info.HostConfig.SecurityOpt.join(" ")).toMatch(/no-new-privileges/);
      expect(info.Config.Labels["io.restore-drill.run-dir"]).toBe(env.RUN_DIR);
      for (const stage of ["decrypt", "restore"] as const) {
        const r = await runStage(stage, env);
        expect({ stage, code: r.code, log: r.code ? describeFailure(r) : "" }).toMatchObject({ code: 0 });
      }
      expect((await runStage("destroy", env)).code).toBe(0);
      expect((await runStage("report", env)).code).toBe(0);
      const report = await readReport(env.REPORT_DIR);
      expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK" });
      expect(report.totalRows).toBe(43);
      expect(report.sandbox.engine).toBe(engine);
      expect((await docker("container", "inspect", name)).code).not.toBe(0);
    } finally {
      await runStage("destroy", env);
    }
  });

  it("should remove the container after a failed restore", async () => {
    const good = await samples.make("mysqldump", TABLES, "cut.sql");
    const bytes = await fs.readFile(good);
    const cut = path.join(work, "cut-half.sql");
    await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const env = envFor("fail", "mysql", cut);
    let name = "";
    try {
      for (const stage of ["pipeline-start", "deploy", "decrypt", "restore"] as const) {
        const r = await runStage(stage, env);
        if (stage === "deploy") name = (await fs.readFile(path.join(env.RUN_DIR, "sandbox/container"), "utf8")).trim();
        if (r.code !== 0) break;
      }
    } finally {
      expect((await runStage("destroy", env)).code).toBe(0);
    }
    expect(name).toMatch(/^restore-drill-/);
    expect((await docker("container", "inspect", name)).code).not.toBe(0);
  });

  it("should pick the image of the dump's major version from the allow-list, or explain ENGINE_VERSION_MISMATCH", async () => {
    const backupPath = await samples.make("pg-custom", TABLES, "match.dump");
    for (const [id, major, expected] of [
      ["match15", "15", "OK"],
      ["match17", "17", "ENGINE_VERSION_MISMATCH"],
    ] as const) {
      const env = envFor(id, "postgresql", backupPath, { MATCH_ENGINE_VERSION: "true", SANDBOX_IMAGE: "postgres:16" });
      // C2 fixture: decrypt's probe writes this file (engineer "dumps"); written here until it lands.
      await fs.mkdir(env.REPORT_DIR, { recursive: true });
      await fs.writeFile(
        path.join(env.REPORT_DIR, "dump-version.json"),
        JSON.stringify({ engine: "postgresql", tool: "pg_dump", toolVersion: `${major}.2`, major, archiveVersion: "1.14" }),
      );
      try {
        const r = await runStage("deploy", env);
        const record = await readStageRecord(env.REPORT_DIR, "deploy");
        expect({ id, code: r.code, reason: record.reasonCode }).toMatchObject({ code: expected === "OK" ? 0 : 2, reason: expected });
        if (expected === "OK") {
          expect(record.facts.image).toBe(POSTGRES_IMAGE);
          expect(record.facts.versionMatch).toMatchObject({ dumpMajor: "15", sandboxMajor: "15", matched: true });
        } else expect(record.reason).toContain("no image for that major version");
      } finally {
        await runStage("destroy", env);
      }
    }
  });

  it("should hold to the portal's allow-list (IMAGE_ALLOWLIST): a listed image runs, another or a type without images is refused", async () => {
    const backupPath = await samples.make("mysqldump", TABLES, "allow.sql");
    const portalList = `mysql=${MARIADB_IMAGE},mariadb:11.4 postgresql=${POSTGRES_IMAGE}`;
    for (const [id, dbType, extra, expected] of [
      ["allowed", "mysql", { SANDBOX_IMAGE: MARIADB_IMAGE }, "OK"],
      ["unlisted", "mysql", { SANDBOX_IMAGE: "mariadb:10.6" }, "IMAGE_NOT_ALLOWED"],
      ["nolist", "mysql", { IMAGE_ALLOWLIST: "none" }, "IMAGE_NOT_ALLOWED"],
      ["badlist", "mysql", { IMAGE_ALLOWLIST: "mysql:mariadb" }, "INVALID_IMAGE"],
    ] as const) {
      // The node's RD_IMAGE_ALLOWLIST (envFor) would admit mariadb:10.6's type; the portal's list binds.
      const env = envFor(`img-${id}`, dbType, backupPath, { IMAGE_ALLOWLIST: portalList, ...extra });
      try {
        const r = await runStage("deploy", env);
        const record = await readStageRecord(env.REPORT_DIR, "deploy");
        expect({ id, code: r.code, reason: record.reasonCode }).toEqual({
          id,
          code: expected === "OK" ? 0 : 2,
          reason: expected,
        });
        if (expected === "OK") expect(record.facts.image).toBe(MARIADB_IMAGE);
        else expect(await ourContainers()).not.toContainEqual(expect.stringContaining(`img-${id}`));
      } finally {
        await runStage("destroy", env);
      }
    }
  });

  it("should sweep the container of a killed build and an orphan container without a lease", async () => {
    const backupPath = await samples.make("mysqldump", TABLES, "sweep.sql");
    const env = envFor("killed", "mysql", backupPath);
    const holder = spawn("bash", ["-c", '"$0"; echo "deployed:$?"; exec sleep 600', path.join(SCRIPTS, "deploy.sh")], {
      env: nodeEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    holder.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<string>((resolve, reject) => {
      let out = "";
      holder.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /deployed:(\d+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      holder.on("exit", () => reject(new Error(`deploy ended early:\n${err}`)));
    });
    expect({ code, err: code === "0" ? "" : err }).toEqual({ code: "0", err: "" });
    const name = (await fs.readFile(path.join(env.RUN_DIR, "sandbox/container"), "utf8")).trim();
    // An orphan: ours by label, its lease long gone.
    await runOk(
      "docker",
      [
        "create",
        "--label",
        `io.restore-drill.run-dir=${work}/gone`,
        "--label",
        `io.restore-drill.lease=${leaseDir}/gone.json`,
        "--name",
        "restore-drill-orphan",
        MARIADB_IMAGE,
      ],
      {
        env: nodeEnv({ DOCKER_HOST: dockerHost }),
      },
    );
    holder.kill("SIGKILL"); // Jenkins (the build's process) dies
    await new Promise((r) => holder.once("exit", r));
    const swept = await run(path.join(SCRIPTS, "sweep.sh"), [], { env: nodeEnv({ RD_LEASE_DIR: leaseDir, DOCKER_HOST: dockerHost }) });
    expect(swept.stderr).toMatch(/swept 1/);
    expect(swept.stderr).toMatch(/containers of finished runs removed: 1/);
    expect((await docker("container", "inspect", name)).code).not.toBe(0);
    expect((await docker("container", "inspect", "restore-drill-orphan")).code).not.toBe(0);
    await expect(fs.stat(env.RUN_DIR)).rejects.toThrow(/ENOENT/);
    expect(await ourContainers()).toEqual([]);
  });
});
