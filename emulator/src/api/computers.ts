// /computer/api/json and /computer/NAME/api/json, after Jenkins core's
// hudson.model.ComputerSet (computer, busyExecutors, totalExecutors,
// displayName "Nodes"), hudson.model.Computer (@Exported assignedLabels,
// displayName, executors, idle, numExecutors, offline, …) with
// Hudson$MasterComputer for the built-in node ("(built-in)" in its URL) and
// hudson.slaves.SlaveComputer for agents, and hudson.model.Executor
// (currentExecutable, idle, number, progress).
import type { Job } from "../model/items";
import type { ComputerNode } from "../queue/nodes";
import { Bean } from "./bean";

export type ExecutablesOn = (node: ComputerNode) => Map<number, { job: Job; number: number }>;

/** The URL segment of a computer: Computer.getUrl is computer/(built-in)/ for the built-in node. */
export function computerUrlName(node: ComputerNode): string {
  return node.isBuiltIn ? "(built-in)" : node.name;
}

function executorBean(index: number, running: { job: Job; number: number } | undefined, rootUrl: string): Bean {
  return new Bean("hudson.model.Executor", {
    currentExecutable: running
      ? new Bean("hudson.model.FreeStyleBuild", { number: running.number, url: `${rootUrl}${running.job.urlPath}${running.number}/` })
      : null,
    idle: !running,
    likelyStuck: false,
    number: index,
    progress: -1,
  });
}

export function computerBean(node: ComputerNode, executablesOn: ExecutablesOn, rootUrl: string): Bean {
  const running = executablesOn(node);
  return new Bean(node.isBuiltIn ? "hudson.model.Hudson$MasterComputer" : "hudson.slaves.SlaveComputer", {
    actions: [],
    assignedLabels: [...node.labelSet].map((name) => new Bean(undefined, { name })),
    description: node.isBuiltIn ? "the Jenkins controller's built-in node" : "",
    displayName: node.isBuiltIn ? "Built-In Node" : node.name,
    executors: Array.from({ length: node.config.executors }, (_, i) => executorBean(i, running.get(i), rootUrl)),
    icon: "symbol-computer",
    iconClassName: "symbol-computer",
    idle: running.size === 0,
    jnlpAgent: false,
    launchSupported: true,
    manualLaunchAllowed: true,
    numExecutors: node.config.executors,
    offline: false,
    offlineCause: null,
    offlineCauseReason: "",
    oneOffExecutors: [],
    temporarilyOffline: false,
  });
}

export function computerSetBean(nodes: ComputerNode[], executablesOn: ExecutablesOn, rootUrl: string): Bean {
  return new Bean("hudson.model.ComputerSet", {
    busyExecutors: nodes.reduce((n, node) => n + executablesOn(node).size, 0),
    computer: nodes.map((node) => computerBean(node, executablesOn, rootUrl)),
    displayName: "Nodes",
    totalExecutors: nodes.reduce((n, node) => n + node.config.executors, 0),
  });
}
