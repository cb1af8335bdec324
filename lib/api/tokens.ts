import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { DomainError } from "@/lib/errors";
import { API_SCOPES, parseScopes, type ApiScope, type CreateTokenInput } from "./token-schema";

// Personal API tokens: "rdt_" + 43 base64url characters (256 random bits). The database keeps a
// SHA-256 of the whole token (a slow hash buys nothing against 256 random bits) and its first
// characters as a label; the token itself exists only in the one answer that creates it.

export const TOKEN_PREFIX = "rdt_";
const LABEL_LENGTH = TOKEN_PREFIX.length + 8;
const TOKEN_SHAPE = /^rdt_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

type Actor = Pick<SessionUser, "id" | "email" | "role">;

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  ownerEmail: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  revokedAt: string | null;
  state: "active" | "expired" | "revoked";
}

type TokenRow = Awaited<ReturnType<Db["apiToken"]["findFirstOrThrow"]>>;

export function toTokenView(row: TokenRow, now = new Date()): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    ownerEmail: row.ownerEmail,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedFrom: row.lastUsedFrom,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    state: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  };
}

/** Makes a token for the actor; the returned `token` is the only copy there will ever be. */
export async function createToken(
  db: Db,
  actor: Actor,
  input: CreateTokenInput,
  now = new Date(),
): Promise<{ token: string; view: TokenView }> {
  if (input.scopes.includes("admin") && actor.role !== "manager")
    throw new DomainError("Only managers can give a token the admin scope.", { field: "scopes", code: "forbidden" });
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    if (await tx.apiToken.findFirst({ where: { userId: actor.id, name: input.name, revokedAt: null } }))
      throw new DomainError(`You already have a token named "${input.name}".`, { field: "name", code: "duplicate" });
    const created = await tx.apiToken.create({
      data: {
        userId: actor.id,
        ownerEmail: actor.email,
        name: input.name,
        prefix: token.slice(0, LABEL_LENGTH),
        hash: hashToken(token),
        scopes: input.scopes.join(","),
        expiresAt,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "token.create",
      target: created.id,
      outcome: "success",
      details: { name: created.name, scopes: input.scopes, expiresAt: expiresAt?.toISOString() ?? null },
      apiTokenId: created.id,
    });
    return created;
  });
  return { token, view: toTokenView(row, now) };
}

/** The actor's own tokens, or everyone's for a manager who asks for all. */
export async function listTokens(db: Db, actor: Actor, scope: "own" | "all" = "own", now = new Date()): Promise<TokenView[]> {
  const all = scope === "all" && actor.role === "manager";
  const rows = await db.apiToken.findMany({
    where: all ? {} : { userId: actor.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  return rows.map((r) => toTokenView(r, now));
}

/** Revokes one token: its owner may, and so may any manager. Revoking twice is not an error. */
export async function revokeToken(db: Db, actor: Actor, tokenId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: tokenId } });
    if (!row || (row.userId !== actor.id && actor.role !== "manager"))
      throw new DomainError("This token does not exist.", { code: "not-found" });
    if (row.revokedAt) return;
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date(), revokedByEmail: actor.email } });
    await recordAudit(tx, {
      actor,
      action: "token.revoke",
      target: tokenId,
      outcome: "success",
      details: { name: row.name, owner: row.ownerEmail },
      apiTokenId: tokenId,
    });
  });
}

export interface TokenIdentity {
  user: SessionUser;
  token: { id: string; name: string; scopes: ApiScope[] };
}

export type TokenCheck =
  { ok: true; identity: TokenIdentity } | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" | "expired" | "owner" };

/** The bearer token of an Authorization header, checked against the database and its owner as they are now. */
export async function resolveBearer(db: Db, authorization: string | null, address: string | null, now = new Date()): Promise<TokenCheck> {
  if (!authorization) return { ok: false, reason: "missing" };
  const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
  if (!match || !TOKEN_SHAPE.test(match[1]!)) return { ok: false, reason: "malformed" };
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(match[1]!) } });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  const owner = await db.user.findUnique({ where: { id: row.userId } });
  if (!owner || owner.disabled) return { ok: false, reason: "owner" };
  // Last use is a label, not a lock: one write per minute at most keeps busy scrapers cheap.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000 || row.lastUsedFrom !== address)
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, lastUsedFrom: address } });
  return {
    ok: true,
    identity: {
      user: {
        id: owner.id,
        email: owner.email,
        name: owner.name,
        role: owner.role,
        sessionVersion: owner.sessionVersion,
        mustChangePassword: owner.mustChangePassword,
      },
      token: { id: row.id, name: row.name, scopes: parseScopes(row.scopes) },
    },
  };
}

export { API_SCOPES };
