/**
 * Renders jenkins-jobs/ with Debian's jenkins-job-builder (`jenkins-jobs test`)
 * and parses every job's config.xml.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { XMLParser } from "fast-xml-parser";

import { makeTempDir, removeDir, runOk } from "@/tests/support/servers/process";
import { REPO_ROOT } from "./stages";

export type XmlNode = { [key: string]: unknown };

export interface RenderedJobs {
  xml: Record<string, string>;
  jobs: Record<string, XmlNode>;
}

export async function renderJobs(): Promise<RenderedJobs> {
  const home = await makeTempDir("rdj-jjb");
  const out = path.join(home, "out");
  try {
    // A private HOME keeps JJB's cache and user config out of the way.
    await runOk("jenkins-jobs", ["test", "--config-xml", "-o", out, path.join(REPO_ROOT, "jenkins-jobs")], {
      env: { ...process.env, HOME: home },
    });
    const xml: Record<string, string> = {};
    const jobs: Record<string, XmlNode> = {};
    const parser = new XMLParser({
      ignoreAttributes: false,
      parseTagValue: false,
      trimValues: true,
      isArray: (name) =>
        [
          "hudson.tasks.Shell",
          "hudson.plugins.parameterizedtrigger.TriggerBuilder",
          "org.jenkinsci.plugins.postbuildscript.model.PostBuildStep",
          "string",
        ].includes(name),
    });
    for (const name of await fs.readdir(out)) {
      const text = await fs.readFile(path.join(out, name, "config.xml"), "utf8");
      xml[name] = text;
      jobs[name] = (parser.parse(text) as { project: XmlNode }).project;
    }
    return { xml, jobs };
  } finally {
    await removeDir(home);
  }
}

/** Walks a parsed XML tree by element names. */
export function at(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = (current as XmlNode | undefined)?.[key];
  return current;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === "") return [];
  return Array.isArray(value) ? value : [value];
}
