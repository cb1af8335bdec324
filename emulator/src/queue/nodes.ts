import path from "node:path";
import { labelMatches } from "./labels";

export interface NodeConfig {
  name: string;
  labels: string[];
  executors: number;
  remoteFS?: string;
}

/** An agent (or the built-in node) with a fixed number of executors. */
export class ComputerNode {
  private readonly busy = new Set<number>();
  readonly labelSet: ReadonlySet<string>;

  constructor(readonly config: NodeConfig) {
    this.labelSet = new Set([config.name, ...config.labels]);
  }

  get name(): string {
    return this.config.name;
  }
  get isBuiltIn(): boolean {
    return this.config.name === "built-in";
  }
  /** NODE_LABELS: the labels plus the node's own name, space-separated */
  get labelString(): string {
    return [...this.labelSet].join(" ");
  }

  /**
   * Node.getWorkspaceFor: the built-in node uses JENKINS_HOME/workspace/FULL_NAME
   * (Jenkins.getWorkspaceFor, default workspaceDir), an agent REMOTE_FS/workspace/FULL_NAME
   * (Slave.getWorkspaceRoot + child(item.getFullName())).
   */
  workspaceRoot(home: string): string {
    if (this.isBuiltIn) return path.join(home, "workspace");
    return path.join(this.config.remoteFS ?? path.join(home, "agents", this.name), "workspace");
  }

  busyExecutors(): number {
    return this.busy.size;
  }

  matches(expression: string | undefined): boolean {
    return expression === undefined || labelMatches(expression, this.labelSet);
  }

  acquire(): number | undefined {
    for (let i = 0; i < this.config.executors; i++) {
      if (!this.busy.has(i)) {
        this.busy.add(i);
        return i;
      }
    }
    return undefined;
  }

  release(executor: number): void {
    this.busy.delete(executor);
  }
}
