import { execFileSync } from "node:child_process";
import { allowListParameter, assertImageAllowed, imageListFormSchema, majorOfImage, type AllowList } from "@/lib/sandbox-images/allow-list";
import { imageReferenceSchema, runParametersSchema } from "@/lib/validation/run";

/** What the pipeline's own check (scripts/lib/common.sh) says of an image reference. */
function jobAccepts(image: string): boolean {
  try {
    execFileSync("bash", ["-c", 'source scripts/lib/common.sh && rd_valid_image "$0"', image], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const fakeDb = (lists: Record<string, string[]>) => ({
  sandboxImageList: {
    findMany: async () => Object.entries(lists).map(([dbType, images]) => ({ dbType, images: JSON.stringify(images) })),
  },
});

describe("image references", () => {
  it.each([
    ["postgres:16", true],
    ["mariadb:11.4", true],
    ["localhost/restore-drill-postgres:15", true],
    ["registry.example.com:5000/db/mysql:8.4", true],
    [`mongo:7@sha256:${"a".repeat(64)}`, true],
    ["Postgres:16", false],
    ["postgres:16 --privileged", false],
    ["-v/:/host", false],
    ["postgres;rm -rf /", false],
    ["postgres:$(id)", false],
    ["../postgres", false],
  ])("%s: portal %s, and the pipeline agrees", (image, ok) => {
    expect(imageReferenceSchema.safeParse(image).success).toBe(ok);
    expect(jobAccepts(image)).toBe(ok);
  });

  it("should read the major version from the tag only", () => {
    expect(majorOfImage("postgres:17.2")).toBe("17");
    expect(majorOfImage("registry.example.com:5000/db/mariadb:11.4")).toBe("11");
    expect(majorOfImage("registry.example.com:5000/db/mariadb")).toBeNull();
    expect(majorOfImage("postgres:latest")).toBeNull();
  });
});

describe("the image allow-list", () => {
  const list: AllowList = new Map([
    ["postgresql", ["postgres:16", "postgres:17", "postgres:17.2"]],
    ["mysql", ["mariadb:11.4"]],
  ]);

  it("should give deploy each type's images, default first, and deploy should read the majors as the portal does", () => {
    const parameter = allowListParameter(list);
    expect(parameter).toBe("mysql=mariadb:11.4 postgresql=postgres:16,postgres:17,postgres:17.2");
    expect(allowListParameter(new Map())).toBe("none");
    const json = execFileSync(
      "bash",
      ["-c", 'source scripts/lib/common.sh && source scripts/lib/container.sh && rd_image_allowlist_json "$0"', parameter],
      { encoding: "utf8" },
    );
    expect(JSON.parse(json)).toEqual({
      mysql: { default: "mariadb:11.4", images: ["mariadb:11.4"], majors: { "11": "mariadb:11.4" } },
      postgresql: {
        default: "postgres:16",
        images: ["postgres:16", "postgres:17", "postgres:17.2"],
        majors: { "16": "postgres:16", "17": "postgres:17" },
      },
    });
  });

  it("should parse the manager's form: one image per line, duplicates dropped, bad ones refused", () => {
    expect(imageListFormSchema.parse({ dbType: "mysql", images: "mariadb:11.4\r\n\n mysql:8.4 \nmariadb:11.4" }).images).toEqual([
      "mariadb:11.4",
      "mysql:8.4",
    ]);
    expect(imageListFormSchema.safeParse({ dbType: "mysql", images: "mariadb:11.4\nmariadb 11" }).success).toBe(false);
    expect(imageListFormSchema.safeParse({ dbType: "oracle", images: "" }).success).toBe(false);
  });

  const run = (over: object) =>
    runParametersSchema.parse({
      backupHost: "b.example.com",
      backupPath: "/srv/b.dump",
      sshCredentialId: "k",
      dbType: "postgresql",
      sandboxProvider: "docker",
      ...over,
    });

  it("should admit listed images and the default, and refuse the rest with a sentence", async () => {
    const db = fakeDb({ postgresql: ["postgres:16", "postgres:17"] });
    const parameter = await assertImageAllowed(db, run({ sandboxImage: "postgres:17" }));
    expect(parameter).toBe("postgresql=postgres:16,postgres:17");
    await expect(assertImageAllowed(db, run({}))).resolves.toBe("postgresql=postgres:16,postgres:17");
    await expect(assertImageAllowed(db, run({ sandboxImage: "postgres:15" }))).rejects.toThrow(
      /postgres:15 is not on the image allow-list for PostgreSQL.*: choose one of postgres:16, postgres:17/,
    );
    await expect(assertImageAllowed(db, run({ dbType: "mysql" }))).rejects.toThrow(/No container image is allowed for/);
    await expect(assertImageAllowed(db, run({ sandboxProvider: "local", sandboxImage: "postgres:16" }))).rejects.toThrow(
      /container sandbox only/,
    );
    await expect(assertImageAllowed(db, run({ sandboxProvider: "local" }))).resolves.toBeDefined();
  });
});
