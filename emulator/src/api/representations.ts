import type { BuildRecord } from "../model/build-record";
import { RESULT_COLOR } from "../model/build-record";
import { Folder, Job, type Container, type Item } from "../model/items";
import { ITEM_CLASS } from "../model/job-config";
import type { QueueItem } from "../queue/queue";
import { shortDescription } from "../runner/parameters";
import { Bean, type ApiValue } from "./bean";

// The JSON shapes Jenkins exports for the root, folders, jobs, builds and the
// queue. Property order and `summary` (visibility=2) follow Jenkins' classes.

export interface ApiContext {
  rootUrl: string;
  /** false for a user without Job/Read: Jenkins lists no items to it */
  canReadItems: boolean;
  queueItemFor(job: Job): QueueItem | undefined;
  isBuilding(job: Job): boolean;
}

const BUILD_CLASS = {
  freestyle: "hudson.model.FreeStyleBuild",
  pipeline: "org.jenkinsci.plugins.workflow.job.WorkflowRun",
  folder: "",
} as const;

export function jobColor(job: Job, api: ApiContext): string {
  if (job.disabled) return "disabled";
  const last = job.sortedBuilds().find((b) => !b.building);
  const base = last?.result ? RESULT_COLOR[last.result] : "notbuilt";
  return api.isBuilding(job) ? `${base}_anime` : base;
}

export type Permalink =
  | "firstBuild"
  | "lastBuild"
  | "lastCompletedBuild"
  | "lastFailedBuild"
  | "lastStableBuild"
  | "lastSuccessfulBuild"
  | "lastUnstableBuild"
  | "lastUnsuccessfulBuild";

export const PERMALINKS: Permalink[] = [
  "firstBuild",
  "lastBuild",
  "lastCompletedBuild",
  "lastFailedBuild",
  "lastStableBuild",
  "lastSuccessfulBuild",
  "lastUnstableBuild",
  "lastUnsuccessfulBuild",
];

export function permalink(job: Job, name: Permalink): BuildRecord | undefined {
  const builds = job.sortedBuilds();
  const done = builds.filter((b) => !b.building);
  switch (name) {
    case "firstBuild":
      return builds[builds.length - 1];
    case "lastBuild":
      return builds[0];
    case "lastCompletedBuild":
      return done[0];
    case "lastFailedBuild":
      return done.find((b) => b.result === "FAILURE");
    case "lastStableBuild":
      return done.find((b) => b.result === "SUCCESS");
    case "lastSuccessfulBuild":
      return done.find((b) => b.result === "SUCCESS" || b.result === "UNSTABLE");
    case "lastUnstableBuild":
      return done.find((b) => b.result === "UNSTABLE");
    case "lastUnsuccessfulBuild":
      return done.find((b) => b.result !== "SUCCESS");
  }
}

const V3 = { name: 3, value: 3 };

function allVisible(props: Record<string, unknown>, visibility: number): Record<string, number> {
  return Object.fromEntries(Object.keys(props).map((k) => [k, visibility]));
}

function parameterValueBean(p: NonNullable<BuildRecord["parameters"]>[number]): Bean {
  if (p.sensitive || p.className.endsWith("FileParameterValue")) return new Bean(p.className, { name: p.name }, V3);
  return new Bean(p.className, { name: p.name, value: p.className.endsWith("BooleanParameterValue") ? p.value === "true" : p.value }, V3);
}

function actionsOf(parameters: BuildRecord["parameters"], causes: BuildRecord["causes"]): ApiValue[] {
  const actions: ApiValue[] = [];
  if (parameters)
    actions.push(new Bean("hudson.model.ParametersAction", { parameters: parameters.map(parameterValueBean) }, { parameters: 2 }));
  actions.push(
    new Bean(
      "hudson.model.CauseAction",
      {
        causes: causes.map(({ _class, upstreamCausesJson: _nested, ...fields }) => new Bean(_class, fields, allVisible(fields, 3))),
      },
      { causes: 2 },
    ),
  );
  return actions;
}

export function buildBean(job: Job, b: BuildRecord, api: ApiContext): Bean {
  const url = `${api.rootUrl}${job.urlPath}${b.number}/`;
  return new Bean(
    BUILD_CLASS[job.def.kind] || BUILD_CLASS.freestyle,
    {
      actions: () => actionsOf(b.parameters, b.causes),
      artifacts: () =>
        b.artifacts.map(
          (rel) =>
            new Bean(
              undefined,
              { displayPath: rel.split("/").pop()!, fileName: rel.split("/").pop()!, relativePath: rel },
              { displayPath: 3, fileName: 3, relativePath: 3 },
            ),
        ),
      building: b.building,
      description: b.description,
      displayName: `#${b.number}`,
      duration: b.duration,
      estimatedDuration: b.estimatedDuration,
      executor: null,
      fullDisplayName: `${job.fullDisplayName} #${b.number}`,
      id: String(b.number),
      keepLog: b.keepLog,
      number: b.number,
      queueId: b.queueId,
      result: b.result,
      timestamp: b.timestamp,
      url,
      builtOn: b.builtOn,
      changeSet: new Bean("hudson.scm.EmptyChangeLogSet", { items: [], kind: null }, { items: 3, kind: 3 }),
      culprits: [],
      inProgress: b.building,
    },
    { number: 2, url: 2 },
  );
}

function parameterDefinitionBean(d: Job["def"]["parameters"][number]): Bean {
  const defaultValue = new Bean(
    d.className.replace("Definition", "Value").replace("ChoiceParameterValue", "StringParameterValue"),
    d.sensitive ? { name: d.name } : { name: d.name, value: d.defaultValue },
    V3,
  );
  const props: Record<string, ApiValue> = { defaultParameterValue: defaultValue, description: d.description, name: d.name, type: d.type };
  if (d.choices) props.choices = d.choices;
  return new Bean(d.className, props, allVisible(props, 3));
}

export function jobBean(job: Job, api: ApiContext): Bean {
  const url = `${api.rootUrl}${job.urlPath}`;
  const ref = (b: BuildRecord | undefined) => (b ? buildBean(job, b, api) : null);
  const queued = () => api.queueItemFor(job);
  const props: Record<string, ApiValue> = {
    actions: () =>
      job.def.parameters.length
        ? [
            new Bean(
              "hudson.model.ParametersDefinitionProperty",
              { parameterDefinitions: job.def.parameters.map(parameterDefinitionBean) },
              { parameterDefinitions: 2 },
            ),
          ]
        : [],
    description: job.def.description,
    displayName: job.name,
    displayNameOrNull: null,
    fullDisplayName: job.fullDisplayName,
    fullName: job.fullName,
    name: job.name,
    url,
    buildable: !job.disabled,
    builds: () =>
      job
        .sortedBuilds()
        .slice(0, 100)
        .map((b) => buildBean(job, b, api)),
    color: () => jobColor(job, api),
    firstBuild: () => ref(permalink(job, "firstBuild")),
    healthReport: [],
    inQueue: () => queued() !== undefined,
    keepDependencies: false,
    lastBuild: () => ref(permalink(job, "lastBuild")),
    lastCompletedBuild: () => ref(permalink(job, "lastCompletedBuild")),
    lastFailedBuild: () => ref(permalink(job, "lastFailedBuild")),
    lastStableBuild: () => ref(permalink(job, "lastStableBuild")),
    lastSuccessfulBuild: () => ref(permalink(job, "lastSuccessfulBuild")),
    lastUnstableBuild: () => ref(permalink(job, "lastUnstableBuild")),
    lastUnsuccessfulBuild: () => ref(permalink(job, "lastUnsuccessfulBuild")),
    nextBuildNumber: job.nextBuildNumber,
    property: () =>
      job.def.parameters.length
        ? [
            new Bean(
              "hudson.model.ParametersDefinitionProperty",
              { parameterDefinitions: job.def.parameters.map(parameterDefinitionBean) },
              { parameterDefinitions: 2 },
            ),
          ]
        : [],
    queueItem: () => {
      const item = queued();
      return item ? queueItemBean(item, api) : null;
    },
    concurrentBuild: job.def.concurrentBuild,
    disabled: job.disabled,
    downstreamProjects: [],
    labelExpression: job.def.assignedNode ?? null,
    scm: new Bean("hudson.scm.NullSCM", {}),
    upstreamProjects: [],
    allBuilds: () => job.sortedBuilds().map((b) => buildBean(job, b, api)),
  };
  return new Bean(
    job.def.kind === "pipeline" ? "org.jenkinsci.plugins.workflow.job.WorkflowJob" : "hudson.model.FreeStyleProject",
    props,
    { name: 2, url: 2, color: 2 },
    ["property"],
  );
}

export function itemBean(item: Item, api: ApiContext): Bean {
  return item instanceof Job ? jobBean(item, api) : folderBean(item, api);
}

function childBeans(container: Container, api: ApiContext): ApiValue {
  if (!api.canReadItems) return () => [];
  return () => [...container.items.values()].sort((a, b) => a.name.localeCompare(b.name)).map((i) => itemBean(i, api));
}

export function folderBean(folder: Folder, api: ApiContext): Bean {
  return new Bean(
    ITEM_CLASS.folder,
    {
      actions: [],
      description: folder.def.description,
      displayName: folder.name,
      displayNameOrNull: null,
      fullDisplayName: folder.fullDisplayName,
      fullName: folder.fullName,
      name: folder.name,
      url: `${api.rootUrl}${folder.urlPath}`,
      healthReport: [],
      jobs: childBeans(folder, api),
      primaryView: new Bean("hudson.model.AllView", { name: "All", url: `${api.rootUrl}${folder.urlPath}` }, { name: 2, url: 2 }),
      views: [new Bean("hudson.model.AllView", { name: "All", url: `${api.rootUrl}${folder.urlPath}` }, { name: 2, url: 2 })],
    },
    { name: 2, url: 2 },
  );
}

export function rootBean(root: Container, api: ApiContext, executors: number): Bean {
  return new Bean("hudson.model.Hudson", {
    assignedLabels: [new Bean("hudson.model.labels.LabelAtom", { name: "built-in" })],
    mode: "NORMAL",
    nodeDescription: "the Jenkins controller's built-in node",
    nodeName: "",
    numExecutors: executors,
    description: null,
    jobs: childBeans(root, api),
    overallLoad: new Bean(undefined, {}),
    primaryView: new Bean("hudson.model.AllView", { name: "all", url: api.rootUrl }, { name: 2, url: 2 }),
    quietDownReason: null,
    quietingDown: false,
    slaveAgentPort: -1,
    unlabeledLoad: new Bean("jenkins.model.UnlabeledLoadStatistics", {}),
    url: api.rootUrl,
    useCrumbs: true,
    useSecurity: true,
    views: [new Bean("hudson.model.AllView", { name: "all", url: api.rootUrl }, { name: 2, url: 2 })],
  });
}

const QUEUE_CLASS = {
  waiting: "hudson.model.Queue$WaitingItem",
  blocked: "hudson.model.Queue$BlockedItem",
  buildable: "hudson.model.Queue$BuildableItem",
  left: "hudson.model.Queue$LeftItem",
} as const;

export function queueItemBean(item: QueueItem, api: ApiContext): Bean {
  const props: Record<string, ApiValue> = {
    actions: () => actionsOf(item.parameters, item.causes),
    blocked: item.state === "blocked",
    buildable: item.state === "buildable",
    id: item.id,
    inQueueSince: item.inQueueSince,
    params: (item.parameters ?? []).map((p) => `\n${shortDescription(p)}`).join(""),
    stuck: false,
    task: () => jobBean(item.job, api),
    url: `queue/item/${item.id}/`,
    why: item.why,
  };
  if (item.state === "waiting") props.timestamp = item.dueAt;
  if (item.state === "buildable") {
    props.buildableStartMilliseconds = item.buildableSince ?? item.dueAt;
    props.pending = false;
  }
  if (item.state === "left") {
    props.cancelled = item.cancelled;
    props.executable = () => {
      const exec = item.executable;
      const record = exec ? exec.job.builds.get(exec.number) : undefined;
      return exec && record ? buildBean(exec.job, record, api) : null;
    };
  }
  return new Bean(QUEUE_CLASS[item.state], props, { id: 2, url: 2 });
}

export function queueBean(items: QueueItem[], api: ApiContext): Bean {
  return new Bean("hudson.model.Queue", { discoverableItems: [], items: () => items.map((i) => queueItemBean(i, api)) }, {}, ["items"]);
}
