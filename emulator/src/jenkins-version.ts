// Which Jenkins the emulator pretends to be. The default is the newest LTS whose sources were
// read for this emulator (see emulator/README.md, "Jenkins versions"); the older line is kept
// selectable because teams still run it and the portal must work against both.

export const CURRENT_LTS = "2.568.2";
export const LEGACY_LTS = "2.492.3";

/** Version strings the emulator accepts: "2.NNN" (weekly) or "2.NNN.N" (LTS). */
export const VERSION_PATTERN = /^2\.\d{3}(\.\d+)?$/;

function parts(version: string): number[] {
  return version.split(".").map(Number);
}

/** true when `version` ≥ `minimum`, comparing numerically part by part ("2.516.1" ≥ "2.509"). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Behaviour that differs between the emulated lines (everything else is common to both). */
export interface JenkinsBehaviour {
  version: string;
  /**
   * 2.509 (JENKINS-75081): logText/progressiveText streams the raw log — console notes
   * included — and X-Text-Size is the file's length, so while a build runs an unfinished last
   * line is skipped. Before: notes stripped, X-Text-Size the raw offset after the last whole line.
   */
  rawProgressiveLog: boolean;
  /** plugin="name@version" written into re-serialised configs */
  pluginVersions: Readonly<Record<string, string>>;
}

// Plugin versions of the two lines as pinned in deploy/jenkins/plugins.txt (current) and as
// the newest releases before 2.492.3 became the LTS (legacy). Only written into configs, never interpreted.
const CURRENT_PLUGINS = {
  credentials: "1502.v5c95e620ddfe",
  "credentials-binding": "728.v902a_273b_8947",
  "parameterized-trigger": "890.vc240a_a_e1217f",
  postbuildscript: "3.4.1-695.vf6b_0b_8053979",
  mailer: "534.v1b_36f5864073",
  "plain-credentials": "199.v9f8e1f741799",
  "ssh-credentials": "361.vb_f6760818e8c",
};
const LEGACY_PLUGINS = {
  credentials: "1413.va_51c53703df1",
  "credentials-binding": "687.v619cb_15e923f",
  "parameterized-trigger": "840.v3c7d4a_a_5e6c7",
  postbuildscript: "3.4.1-695.vf6b_0b_8053979",
  mailer: "489.vd4b_25144138f",
  "plain-credentials": "195.vb_906e9073dee",
  "ssh-credentials": "355.v9b_e5b_cde5003",
};

export function behaviourOf(version: string): JenkinsBehaviour {
  const current = versionAtLeast(version, "2.509");
  return { version, rawProgressiveLog: current, pluginVersions: current ? CURRENT_PLUGINS : LEGACY_PLUGINS };
}
