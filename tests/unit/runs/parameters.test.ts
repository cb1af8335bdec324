import { execFileSync } from "node:child_process";
import { runParametersSchema, toBuildParameters, pipelineJobFor } from "@/lib/validation/run";

const valid = {
  backupHost: "backup-01.example.com",
  backupPort: "2222",
  backupPath: "/srv/backups/shop-2026-11-21.sql.gz.gpg",
  dbType: "mysql",
  sshCredentialId: "backup-ssh",
  gpgCredentialId: "backup-gpg",
  notifyEmail: "ops@example.com, dba@example.com",
};

const errorsFor = (input: object) => {
  const r = runParametersSchema.safeParse({ ...valid, ...input });
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
};

/** What the pipeline's own validate step (scripts/lib/common.sh) says of a value. */
function jobAccepts(fn: string, value: string): boolean {
  try {
    execFileSync("bash", ["-c", 'source scripts/lib/common.sh && "$0" "$1"', fn, value], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("run parameters", () => {
  it("should accept a complete form and map it to the pipeline's build parameters", () => {
    const p = runParametersSchema.parse(valid);
    expect(pipelineJobFor(p)).toBe("restore-drill-pipeline-gpg");
    expect(toBuildParameters(p, { runId: "r1", callbackUrl: "http://portal/api/callback" })).toEqual({
      BACKUP_HOST: "backup-01.example.com",
      BACKUP_PORT: "2222",
      BACKUP_PATH: "/srv/backups/shop-2026-11-21.sql.gz.gpg",
      BACKUP_PATTERN: "",
      BACKUP_TIME_ZONE: "",
      MAX_BACKUP_AGE_HOURS: "",
      BACKUP_HOST_KEY: "",
      SSH_CREDENTIAL_ID: "backup-ssh",
      GPG_CREDENTIAL_ID: "backup-gpg",
      DB_TYPE: "mysql",
      SANDBOX_PROVIDER: "local",
      NOTIFY_EMAIL: "ops@example.com,dba@example.com",
      ASSERTIONS: "",
      FRESHNESS_QUERY: "",
      FRESHNESS_MAX_AGE_HOURS: "26",
      RUN_ID: "r1",
      CALLBACK_URL: "http://portal/api/callback",
    });
    expect(pipelineJobFor(runParametersSchema.parse({ ...valid, gpgCredentialId: "" }))).toBe("restore-drill-pipeline");
  });

  it.each([
    [{ backupHost: "" }, "backupHost", /host name or IP/],
    [{ backupHost: "a b" }, "backupHost", /host name/],
    [{ backupPort: "0" }, "backupPort", /1 to 65535/],
    [{ backupPort: "70000" }, "backupPort", /1 to 65535/],
    [{ backupPort: "ssh" }, "backupPort", /port number/],
    [{ backupPath: "backups/x.sql" }, "backupPath", /absolute path/],
    [{ backupPath: "/srv/../etc/shadow" }, "backupPath", /\.\./],
    [{ dbType: "oracle" }, "dbType", /database type/],
    [{ sshCredentialId: "" }, "sshCredentialId", /Choose the SSH key/],
    [{ notifyEmail: "ops@, x" }, "notifyEmail", /email addresses/],
    [{ backupPath: "/" + "a".repeat(1100) }, "backupPath", /at most 1024/],
  ])("should refuse %j with a message on %s", (input, field, message) => {
    expect(errorsFor(input)[field]).toMatch(message);
  });

  it.each(["$(touch /tmp/pwned)", "`id`", "; rm -rf ~", "a\nb", "'quoted'", '"dq"', "x|y", "x&y"])(
    "should refuse the hostile value %j in every text field",
    (hostile) => {
      for (const field of ["backupHost", "backupPath", "sshCredentialId", "gpgCredentialId", "notifyEmail", "backupHostKey"]) {
        const value = field === "backupPath" ? `/srv/${hostile}` : hostile;
        expect({ field, refused: field in errorsFor({ [field]: value }) }).toEqual({ field, refused: true });
      }
    },
  );

  it("should accept exactly what the pipeline's own validation accepts, for hosts, ports and paths", () => {
    const samples: [string, string, string][] = [
      ["backupHost", "rd_valid_host", "db.example.com"],
      ["backupHost", "rd_valid_host", "10.0.0.7"],
      ["backupHost", "rd_valid_host", "::1"],
      ["backupHost", "rd_valid_host", "-bad.example.com"],
      ["backupHost", "rd_valid_host", "under_score.example.com"],
      ["backupPort", "rd_valid_port", "22"],
      ["backupPort", "rd_valid_port", "65536"],
      ["backupPath", "rd_valid_remote_path", "/srv/b/x.sql.gz"],
      ["backupPath", "rd_valid_remote_path", "/srv/b/x y.sql"],
      ["backupPath", "rd_valid_remote_path", "/srv/../x"],
      ["sshCredentialId", "rd_valid_credential_id", "Backup.Key-1"],
      ["sshCredentialId", "rd_valid_credential_id", ".hidden"],
    ];
    for (const [field, fn, value] of samples) {
      const portal = !(field in errorsFor({ [field]: value }));
      expect({ field, value, portal }).toEqual({ field, value, portal: jobAccepts(fn, value) });
    }
  });
});
