import fs from "node:fs";
import path from "node:path";
import type { BuildRecord } from "./build-record";
import { parseJobConfig, type JobDefinition } from "./job-config";
import { setRootChildText } from "../xml";
import { decryptSecrets, reserialise } from "./reserialise";
import { SecretCodec } from "./secrets";

// The item tree (folders and jobs) and its on-disk layout, which mirrors
// JENKINS_HOME: jobs/<name>/config.xml, jobs/<folder>/jobs/<name>/…,
// jobs/<name>/nextBuildNumber and jobs/<name>/builds/<n>/{build.json,log,archive/}.

export class ItemError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Item names are case-insensitive, as in Jenkins (Jenkins.items is a
 * CopyOnWriteMap.Tree over String.CASE_INSENSITIVE_ORDER; folders likewise): `FOO` finds
 * `foo`, and a second item `FOO` beside `foo` is refused. Iteration yields the items.
 */
export class ItemMap<V> extends Map<string, V> {
  override get(name: string): V | undefined {
    return super.get(name.toLowerCase());
  }
  override has(name: string): boolean {
    return super.has(name.toLowerCase());
  }
  override set(name: string, value: V): this {
    return super.set(name.toLowerCase(), value);
  }
  override delete(name: string): boolean {
    return super.delete(name.toLowerCase());
  }
}

export interface Container {
  readonly items: Map<string, Item>;
  readonly childrenDir: string;
  readonly fullName: string;
  /** URL path relative to the Jenkins root, "" for the root or "job/a/job/b/" */
  readonly urlPath: string;
}

abstract class BaseItem {
  constructor(
    readonly name: string,
    readonly parent: Container,
    public configXml: string,
    public def: JobDefinition,
  ) {}

  get fullName(): string {
    return this.parent.fullName ? `${this.parent.fullName}/${this.name}` : this.name;
  }
  get urlPath(): string {
    return `${this.parent.urlPath}job/${encodeURIComponent(this.name)}/`;
  }
  get dir(): string {
    return path.join(this.parent.childrenDir, this.name);
  }
  /** "folder » job", as Jenkins' getFullDisplayName */
  get fullDisplayName(): string {
    return this.fullName.split("/").join(" » ");
  }
}

export class Folder extends BaseItem implements Container {
  readonly items = new ItemMap<Item>();
  get childrenDir(): string {
    return path.join(this.dir, "jobs");
  }
}

export class Job extends BaseItem {
  readonly builds = new Map<number, BuildRecord>();
  nextBuildNumber = 1;

  get buildsDir(): string {
    return path.join(this.dir, "builds");
  }
  buildDir(number: number): string {
    return path.join(this.buildsDir, String(number));
  }
  /** newest first, like Jenkins' RunList */
  sortedBuilds(): BuildRecord[] {
    return [...this.builds.values()].sort((a, b) => b.number - a.number);
  }
  get disabled(): boolean {
    return this.def.disabled;
  }
}

export type Item = Folder | Job;

const UNSAFE = "?*/\\%!@#$^&|<>[]:;";

/** Jenkins.checkGoodName; the caller then trims the name (ItemGroupMixIn.createTopLevelItem). */
export function checkGoodName(name: string): void {
  if (!name) throw new ItemError(400, "No name is specified");
  if (name.trim() === "." || name.trim() === "..") throw new ItemError(400, `“${name.trim()}” is not an allowed name`);
  for (const ch of name) {
    if (ch.charCodeAt(0) < 32 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f))
      throw new ItemError(400, `‘${ch}’ is an unsafe character`);
    if (UNSAFE.includes(ch)) throw new ItemError(400, `‘${ch}’ is an unsafe character`);
  }
  // SECURITY-2424, on by default (jenkins.model.Jenkins.nameValidationRejectsTrailingDot)
  if (name.trim().endsWith(".")) throw new ItemError(400, "A name cannot end with ‘.’");
}

export class ItemStore implements Container {
  readonly items = new ItemMap<Item>();
  readonly fullName = "";
  readonly urlPath = "";
  private readonly secrets: SecretCodec;

  /** `pluginVersions()`: the versions written into configs at each save (they change on upgrade). */
  constructor(
    readonly home: string,
    private readonly pluginVersions: () => Readonly<Record<string, string>>,
  ) {
    this.secrets = new SecretCodec(home);
  }

  /** The bytes Jenkins would store and serve for a posted config. */
  private serialise(xml: string): string {
    return reserialise(xml, { pluginVersions: this.pluginVersions(), secrets: this.secrets });
  }

  private definitionOf(storedXml: string): JobDefinition {
    return parseJobConfig(decryptSecrets(storedXml, this.secrets));
  }

  get childrenDir(): string {
    return path.join(this.home, "jobs");
  }

  load(): void {
    this.loadContainer(this);
  }

  private loadContainer(container: Container): void {
    if (!fs.existsSync(container.childrenDir)) return;
    for (const name of fs.readdirSync(container.childrenDir).sort()) {
      const configPath = path.join(container.childrenDir, name, "config.xml");
      if (!fs.existsSync(configPath)) continue;
      const xml = fs.readFileSync(configPath, "utf8");
      const item = this.instantiate(container, name, xml, this.definitionOf(xml));
      container.items.set(name, item);
      if (item instanceof Folder) this.loadContainer(item);
      else this.loadBuilds(item);
    }
  }

  private loadBuilds(job: Job): void {
    const nextFile = path.join(job.dir, "nextBuildNumber");
    if (fs.existsSync(nextFile)) job.nextBuildNumber = Number(fs.readFileSync(nextFile, "utf8").trim()) || 1;
    if (!fs.existsSync(job.buildsDir)) return;
    for (const entry of fs.readdirSync(job.buildsDir)) {
      const file = path.join(job.buildsDir, entry, "build.json");
      if (!/^\d+$/.test(entry) || !fs.existsSync(file)) continue;
      const record = JSON.parse(fs.readFileSync(file, "utf8")) as BuildRecord;
      if (record.building) {
        // The emulator died mid-build: Jenkins shows such builds as aborted after a restart.
        record.building = false;
        record.result = "ABORTED";
        record.duration = Math.max(0, Date.now() - record.timestamp);
      }
      job.builds.set(record.number, record);
      job.nextBuildNumber = Math.max(job.nextBuildNumber, record.number + 1);
    }
  }

  private instantiate(parent: Container, name: string, xml: string, def: JobDefinition): Item {
    return def.kind === "folder" ? new Folder(name, parent, xml, def) : new Job(name, parent, xml, def);
  }

  /** Resolves "a/b/c" from the root. */
  resolve(fullName: string): Item | undefined {
    let items: Map<string, Item> = this.items;
    let item: Item | undefined;
    for (const part of fullName.split("/").filter(Boolean)) {
      item = items.get(part);
      if (!item) return undefined;
      items = item instanceof Folder ? item.items : new Map();
    }
    return item;
  }

  /** Resolves a job reference the way parameterized-trigger does: relative to `context`, then absolute. */
  resolveRelative(name: string, context: Container): Item | undefined {
    if (name.startsWith("/")) return this.resolve(name.slice(1));
    const parts = [...(context.fullName ? context.fullName.split("/") : [])];
    for (const part of name.split("/")) {
      if (part === "..") parts.pop();
      else if (part !== "." && part !== "") parts.push(part);
    }
    return this.resolve(parts.join("/")) ?? this.resolve(name);
  }

  create(parent: Container, rawName: string, xml: string): Item {
    checkGoodName(rawName);
    const name = rawName.trim();
    if (parent.items.has(name)) throw new ItemError(400, `A job already exists with the name ‘${name}’`);
    const def = this.definitionOf(xml);
    const stored = this.serialise(xml);
    const item = this.instantiate(parent, name, stored, def);
    fs.mkdirSync(item.dir, { recursive: true });
    fs.writeFileSync(path.join(item.dir, "config.xml"), stored);
    parent.items.set(name, item);
    if (item instanceof Job) this.saveNextBuildNumber(item);
    return item;
  }

  updateConfig(item: Item, xml: string): void {
    const def = this.definitionOf(xml);
    if (def.kind !== item.def.kind) {
      throw new ItemError(500, `java.io.IOException: Expecting class ${item.constructor.name} but got ${def.kind}`);
    }
    item.configXml = this.serialise(xml);
    item.def = def;
    fs.writeFileSync(path.join(item.dir, "config.xml"), item.configXml);
  }

  /** ParameterizedJob.makeDisabled: a save, so the whole file is rewritten. */
  setDisabled(job: Job, disabled: boolean): void {
    const xml = setRootChildText(job.configXml, "disabled", String(disabled));
    job.def = this.definitionOf(xml);
    job.configXml = this.serialise(xml);
    fs.writeFileSync(path.join(job.dir, "config.xml"), job.configXml);
  }

  delete(item: Item): void {
    item.parent.items.delete(item.name);
    fs.rmSync(item.dir, { recursive: true, force: true });
  }

  saveNextBuildNumber(job: Job): void {
    fs.writeFileSync(path.join(job.dir, "nextBuildNumber"), `${job.nextBuildNumber}\n`);
  }

  saveBuild(job: Job, record: BuildRecord): void {
    const dir = job.buildDir(record.number);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "build.json"), JSON.stringify(record, null, 2));
  }

  deleteBuild(job: Job, number: number): void {
    job.builds.delete(number);
    fs.rmSync(job.buildDir(number), { recursive: true, force: true });
  }

  /** Every job, depth first. */
  allJobs(container: Container = this): Job[] {
    return [...container.items.values()].flatMap((item) => (item instanceof Folder ? this.allJobs(item) : [item]));
  }
}
