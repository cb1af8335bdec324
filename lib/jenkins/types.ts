// The app's view of Jenkins. Nothing here mirrors a vendor field name for its
// own sake; see vendor-types.ts for what Jenkins sends and mappers.ts for the
// translation.

export type BuildResult = "SUCCESS" | "UNSTABLE" | "FAILURE" | "NOT_BUILT" | "ABORTED";

export interface QueueState {
  queueId: number;
  state: "waiting" | "buildable" | "blocked" | "left" | "cancelled";
  /** Set once the item has left the queue for a build. */
  buildNumber?: number;
  /** Jenkins' reason for waiting ("In the quiet period…", "Waiting for next available executor"). */
  why?: string;
  jobName?: string;
}

export type BuildCause =
  | { kind: "user"; description: string; userId: string | null }
  | { kind: "remote"; description: string; address: string | null; note: string | null }
  | { kind: "timer"; description: string }
  | { kind: "upstream"; description: string; upstreamJob: string; upstreamBuild: number }
  | { kind: "other"; description: string; className: string | null };

export interface BuildArtifact {
  fileName: string;
  /** Path below the build's artifact root, as used by readArtifact. */
  relativePath: string;
}

export interface BuildStatus {
  number: number;
  building: boolean;
  /** null while building. Unknown results from plugins are passed through as-is. */
  result: BuildResult | null;
  startedAt: Date;
  /** 0 while building. */
  durationMs: number;
  queueId: number | null;
  /** The node that ran it ("built-in" for the controller, as NODE_NAME says); null when Jenkins did not say. */
  agent: string | null;
  /** Password and file parameters come back without a value (null). */
  parameters: Record<string, string | null>;
  causes: BuildCause[];
  artifacts: BuildArtifact[];
}

export interface BuildSummary {
  number: number;
  building: boolean;
  result: BuildResult | null;
  startedAt: Date;
  durationMs: number;
  queueId: number | null;
}

export interface LogChunk {
  text: string;
  /** Byte offset to ask for next. */
  nextOffset: number;
  /** True while the build runs and more output may follow. */
  more: boolean;
}

export interface JobSummary {
  name: string;
  fullName: string;
  description: string;
  buildable: boolean;
  disabled: boolean;
  inQueue: boolean;
  nextBuildNumber: number | null;
  lastBuildNumber: number | null;
}

export interface TriggeredBuild {
  queueId: number;
  /**
   * True when Jenkins answered 303: an identical item was already queued and
   * this request joined it instead of queueing a second build.
   */
  joinedExisting: boolean;
}

export type { JenkinsCredentialSummary } from "../credentials/jenkins-xml";
