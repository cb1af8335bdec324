import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { DB_TYPES, DB_TYPE_LABELS, type DbType } from "@/lib/pipeline/database-types";
import { IMAGE_REFERENCE } from "@/lib/pipeline/schemas";

// The container images each database type may run in (issue 15), a manager's list: the first image
// is the type's default. A run or schedule naming another image is refused by the portal, and again
// by deploy, which gets the whole list as the IMAGE_ALLOWLIST build parameter
// (scripts/lib/container.sh, rd_container_pick_image). With MATCH_ENGINE_VERSION deploy picks the
// first image whose tag names the dump's major version.

export const MAX_IMAGES = 20;
/** The types a container can run (scripts/lib/engines.sh); SQLite needs no server. */
export const CONTAINER_DB_TYPES = DB_TYPES.filter((t): t is Exclude<DbType, "sqlite"> => t !== "sqlite");

export const imageListFormSchema = z.object({
  dbType: z.enum(CONTAINER_DB_TYPES as [DbType, ...DbType[]], { message: "Choose a database type a container can run" }),
  images: z
    .string()
    .max(MAX_IMAGES * 300, "That list is too long")
    .transform((text) =>
      text
        .split(/[\r\n]+/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .max(255, "Image references are at most 255 characters")
            .regex(IMAGE_REFERENCE, "Enter image references like postgres:16"),
        )
        .max(MAX_IMAGES, `At most ${MAX_IMAGES} images per database type`),
    )
    .transform((list) => [...new Set(list)]),
});
export type ImageListForm = z.output<typeof imageListFormSchema>;

/** The engine major version an image's tag names ("postgres:17.2" → "17"), or null ("latest", a digest only). */
export function majorOfImage(image: string): string | null {
  const withoutDigest = image.split("@")[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  if (colon < 0) return null;
  return /^(\d+)/.exec(withoutDigest.slice(colon + 1))?.[1] ?? null;
}

export type AllowList = Map<DbType, string[]>;
/** The reads need only this much of the client (a test passes a plain object). */
type ListsDb = { sandboxImageList: { findMany(): Promise<{ dbType: string; images: string }[]> } };

export async function readAllowList(db: ListsDb): Promise<AllowList> {
  const rows = await db.sandboxImageList.findMany();
  const out: AllowList = new Map();
  for (const row of rows) {
    const type = z.enum(DB_TYPES).safeParse(row.dbType);
    const images = z.array(z.string()).catch([]).parse(JSON.parse(row.images));
    if (type.success) out.set(type.data, images);
  }
  return out;
}

/**
 * The IMAGE_ALLOWLIST build parameter: "TYPE=IMAGE,IMAGE… TYPE=…", each type's default first; deploy
 * reads each image's major version from its tag. No braces or quotes (JJB would read braces as
 * template variables in a schedule job), and "none" for an empty list, which admits no image.
 */
export function allowListParameter(list: AllowList): string {
  const entries = [...list.entries()]
    .filter(([, images]) => images.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, images]) => `${type}=${images.join(",")}`);
  return entries.length ? entries.join(" ") : NO_IMAGES;
}

export const NO_IMAGES = "none";

/**
 * Refuses an image the allow-list does not hold for the database type, and a container option on
 * the local sandbox; returns IMAGE_ALLOWLIST for the build.
 */
export async function assertImageAllowed(
  db: ListsDb,
  p: { dbType: DbType; sandboxProvider: string; sandboxImage: string; matchEngineVersion: string },
): Promise<string> {
  const list = await readAllowList(db);
  if (p.sandboxProvider !== "docker") {
    if (p.sandboxImage !== "")
      throw new DomainError(
        "A container image applies to the container sandbox only. Choose the container sandbox or leave the image empty.",
        {
          field: "sandboxImage",
          code: "image-not-allowed",
        },
      );
    return allowListParameter(list);
  }
  const images = list.get(p.dbType) ?? [];
  if (images.length === 0 || (p.sandboxImage !== "" && !images.includes(p.sandboxImage)))
    throw new DomainError(
      images.length
        ? `${p.sandboxImage} is not on the image allow-list for ${DB_TYPE_LABELS[p.dbType]}: choose one of ${images.join(", ")}.`
        : `No container image is allowed for ${DB_TYPE_LABELS[p.dbType]} yet. A manager adds them on the Credentials page.`,
      { field: "sandboxImage", code: "image-not-allowed" },
    );
  return allowListParameter(list);
}

/** Sets a database type's images (empty: none, the node's built-in default applies), with its audit event. */
export async function setImageList(db: Db, actor: { id: string; email: string }, form: ImageListForm): Promise<void> {
  const images = JSON.stringify(form.images);
  await db.$transaction(async (tx) => {
    await tx.sandboxImageList.upsert({
      where: { dbType: form.dbType },
      create: { dbType: form.dbType, images, updatedByEmail: actor.email },
      update: { images, updatedByEmail: actor.email },
    });
    await recordAudit(tx, { actor, action: "sandbox.images", target: form.dbType, outcome: "success", details: { images: form.images } });
  });
}
