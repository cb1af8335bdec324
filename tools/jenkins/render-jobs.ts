import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";

// Renders the JJB YAML with the real `jenkins-jobs test` (Debian's 3.11) and
// returns each job's config.xml. --config-xml writes OUT/<full name>/config.xml,
// which also works for folders ("portal" and "portal/verify").

export interface RenderedJob {
  /** Full name, "folder/job" for jobs inside folders. */
  name: string;
  xml: string;
}

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderError";
  }
}

export async function renderJobs(jobsDir: string, jenkinsJobsBin = "jenkins-jobs"): Promise<RenderedJob[]> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "restore-drill-jjb-"));
  try {
    const out = path.join(work, "out");
    // A private HOME keeps JJB's cache (~/.cache/jenkins_jobs) and any user
    // jenkins_jobs.ini out of a render that must not talk to a server.
    await new Promise<void>((resolve, reject) => {
      execFile(
        jenkinsJobsBin,
        ["test", "--config-xml", "-o", out, path.resolve(jobsDir)],
        { env: { ...process.env, HOME: work }, maxBuffer: 16 * 1024 * 1024 },
        (error, _stdout, stderr) => {
          if (!error) return resolve();
          const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `${jenkinsJobsBin} is not installed` : lastLines(stderr, 15);
          reject(new RenderError(`jenkins-jobs test failed for ${jobsDir}: ${reason}`));
        },
      );
    });
    const jobs: RenderedJob[] = [];
    for (const name of await findJobDirs(out, "")) {
      jobs.push({ name, xml: await fs.readFile(path.join(out, name, "config.xml"), "utf8") });
    }
    if (jobs.length === 0) throw new RenderError(`jenkins-jobs rendered no jobs from ${jobsDir}`);
    // Parents before children, so a folder exists before the jobs inside it.
    return jobs.sort((a, b) => a.name.split("/").length - b.name.split("/").length || a.name.localeCompare(b.name));
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function findJobDirs(root: string, relative: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.isFile() && entry.name === "config.xml" && relative !== "") found.push(relative);
    if (entry.isDirectory()) found.push(...(await findJobDirs(root, relative ? `${relative}/${entry.name}` : entry.name)));
  }
  return found;
}

function lastLines(text: string, count: number): string {
  return text.trim().split("\n").slice(-count).join("\n");
}
