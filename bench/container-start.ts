/**
 * Benchmark: sandbox start, container (SANDBOX_PROVIDER=docker on Podman's Docker-compatible
 * service) against the local provider, side by side in one run.
 *
 *   npm run bench:container -- [--rounds 3] [--engines mysql,postgresql] [--out bench/results/container-start.md]
 *
 * Each round runs deploy for each provider in turn (the order alternates between rounds, so
 * neither always goes first on a warm cache), then destroy. Measured: deploy's own startSeconds
 * (from starting the server to its first answered query: mysqladmin ping / SELECT 1, the same
 * probe for both providers), deploy's whole wall time as the pipeline waits for it, and
 * destroy's wall time. The images come from tools/container-images/build.sh (cached per machine).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run } from "../tests/support/servers/process";
import { startSshd } from "../tests/support/servers/sshd";
import { drillEnv } from "../tests/jobs/helpers/drill";
import { readStageRecord, runStage } from "../tests/jobs/helpers/stages";

const REPO = path.resolve(__dirname, "..");
const IMAGES: Record<string, string> = {
  mysql: "localhost/restore-drill-mariadb:10.11",
  postgresql: "localhost/restore-drill-postgres:15",
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const OUT = path.resolve(REPO, arg("out", "bench/results/container-start.md"));
const ROUNDS = Number(arg("rounds", "3"));
const ENGINES = arg("engines", "mysql,postgresql").split(",");

interface Sample {
  engine: string;
  provider: "local" | "docker";
  startSeconds: number;
  deploySeconds: number;
  destroySeconds: number;
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const built = await run(path.join(REPO, "tools/container-images/build.sh"), [], { env: process.env });
  if (built.code !== 0) throw new Error(`image build failed:\n${built.stderr}`);
  const work = await makeTempDir("rd-bench-container-");
  const dockerHost = `unix://${work}/podman.sock`;
  const service: ChildProcess = spawn("podman", ["system", "service", "--time=0", dockerHost], { stdio: "ignore" });
  const sshd = await startSshd();
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < 100 && (await run("docker", ["version"], { env: { ...process.env, DOCKER_HOST: dockerHost } })).code !== 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const engine of ENGINES) {
        const providers = round % 2 === 0 ? (["local", "docker"] as const) : (["docker", "local"] as const);
        for (const provider of providers) {
          const env: Record<string, string> = {
            ...drillEnv({ workDir: work, id: String(++n), sshd, backupPath: "/nonexistent", dbType: engine }),
            SANDBOX_PROVIDER: provider,
            DOCKER_HOST: dockerHost,
            RD_LEASE_DIR: path.join(work, "leases"),
            RD_IMAGE_ALLOWLIST: JSON.stringify({ [engine]: { default: IMAGES[engine], majors: {} } }),
          };
          const started = await runStage("pipeline-start", env);
          if (started.code !== 0) throw new Error(`pipeline-start failed: ${started.reason}\n${started.stderr}`);
          const deployStart = process.hrtime.bigint();
          const deployed = await runStage("deploy", env);
          const deploySeconds = seconds(deployStart);
          if (deployed.code !== 0) throw new Error(`${engine} ${provider} deploy failed: ${deployed.reason}\n${deployed.stderr}`);
          const record = await readStageRecord(env.REPORT_DIR!, "deploy");
          const destroyStart = process.hrtime.bigint();
          await runStage("destroy", env);
          const sample = {
            engine,
            provider,
            startSeconds: Number(record.facts.startSeconds),
            deploySeconds,
            destroySeconds: seconds(destroyStart),
          };
          samples.push(sample);
          console.log(`${engine} ${provider}: start ${sample.startSeconds.toFixed(2)} s, deploy ${deploySeconds.toFixed(2)} s`);
        }
      }
    }
  } finally {
    service.kill("SIGTERM");
    await sshd.stop();
    await removeDir(work);
  }
  await fs.writeFile(OUT, render(samples));
  console.log(`written ${path.relative(REPO, OUT)}`);
}

function render(samples: Sample[]): string {
  const rows = ENGINES.flatMap((engine) => {
    const of = (provider: string) => samples.filter((s) => s.engine === engine && s.provider === provider);
    const local = of("local");
    const docker = of("docker");
    const m = (xs: Sample[], key: keyof Pick<Sample, "startSeconds" | "deploySeconds" | "destroySeconds">) => median(xs.map((s) => s[key]));
    return [
      ...(["local", "docker"] as const).map((provider) => {
        const xs = provider === "local" ? local : docker;
        return `| ${engine} | ${provider} | ${m(xs, "startSeconds").toFixed(2)} | ${m(xs, "deploySeconds").toFixed(2)} | ${m(xs, "destroySeconds").toFixed(2)} | ${xs.map((s) => s.startSeconds.toFixed(2)).join(", ")} |`;
      }),
      `| ${engine} | **container ÷ local** | **${(m(docker, "startSeconds") / m(local, "startSeconds")).toFixed(2)}×** | **${(m(docker, "deploySeconds") / m(local, "deploySeconds")).toFixed(2)}×** | ${(m(docker, "destroySeconds") / m(local, "destroySeconds")).toFixed(2)}× | |`,
    ];
  });
  return [
    "# Sandbox start: container against local",
    "",
    `Command: \`npm run bench:container -- --rounds ${ROUNDS} --engines ${ENGINES.join(",")}\` — ${new Date().toISOString()}.`,
    "One run, providers alternating, on the shared 2-core machine (other work running: compare the ratios, not the seconds).",
    "Medians of the rounds. start = deploy's startSeconds (server start to the first answered probe query);",
    "deploy = the deploy stage's wall time (what the pipeline waits for); destroy = the destroy stage's wall time.",
    "",
    "| engine | provider | start s | deploy s | destroy s | start s, every round |",
    "| --- | --- | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
