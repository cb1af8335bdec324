import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

// Basic auth (password or API token), sessions and DefaultCrumbIssuer.
// Password-authenticated POSTs need a crumb bound to the session cookie
// (SECURITY-626); API-token requests are exempt (ApiCrumbExclusion).

export interface UserConfig {
  id: string;
  password?: string;
  apiTokens?: string[];
  admin?: boolean;
  readOnly?: boolean;
  /** exactly these permissions (a matrix entry), instead of a role */
  permissions?: readonly Permission[];
}

export const PERMISSIONS = [
  "Overall/Read",
  "Overall/Administer",
  "Job/Read",
  "Job/Build",
  "Job/Cancel",
  "Job/Create",
  "Job/Configure",
  "Job/Delete",
  "Credentials/View",
  "Credentials/UseItem",
  "Credentials/Create",
  "Credentials/Update",
  "Credentials/Delete",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const USER_PERMISSIONS: ReadonlySet<Permission> = new Set(["Overall/Read", "Job/Read", "Job/Build", "Job/Cancel", "Credentials/View"]);
const ANONYMOUS_READ: ReadonlySet<Permission> = new Set(["Overall/Read", "Job/Read"]);

export interface Principal {
  user: UserConfig | undefined;
  via: "anonymous" | "password" | "token";
  sessionId: string | undefined;
}

export class AuthFailure extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  /** Jetty names the session cookie JSESSIONID.<instance hash> */
  readonly cookieName = `JSESSIONID.${randomBytes(4).toString("hex")}`;
  private readonly salt = randomBytes(16).toString("hex");
  private readonly sessions = new Set<string>();

  constructor(
    private readonly users: UserConfig[],
    private readonly anonymousRead: boolean,
  ) {}

  authenticate(req: IncomingMessage): Principal {
    const sessionId = this.sessionFrom(req);
    const header = req.headers.authorization;
    if (!header || !/^basic /i.test(header)) return { user: undefined, via: "anonymous", sessionId };
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const id = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? "" : decoded.slice(colon + 1);
    const user = this.users.find((u) => u.id === id);
    if (user?.apiTokens?.some((t) => safeEqual(t, secret))) return { user, via: "token", sessionId };
    if (user?.password !== undefined && user.password !== "" && safeEqual(user.password, secret))
      return { user, via: "password", sessionId };
    throw new AuthFailure(401, `Invalid password/token for user: ${id}`, { "WWW-Authenticate": 'Basic realm="Jenkins"' });
  }

  private sessionFrom(req: IncomingMessage): string | undefined {
    for (const part of (req.headers.cookie ?? "").split(";")) {
      const [name, value] = part.trim().split("=");
      if (name === this.cookieName && value && this.sessions.has(value)) return value;
    }
    return undefined;
  }

  newSession(): string {
    const id = `node0${randomBytes(12).toString("hex")}`;
    this.sessions.add(id);
    return id;
  }

  sessionCookie(sessionId: string): string {
    return `${this.cookieName}=${sessionId}; Path=/; HttpOnly`;
  }

  crumbFor(principal: Principal, sessionId: string | undefined): string {
    return createHash("sha256")
      .update(`${principal.user?.id ?? "anonymous"}${sessionId ?? ""}${this.salt}`)
      .digest("hex");
  }

  /** CrumbFilter: only POSTs, and not API-token requests. */
  checkCrumb(principal: Principal, method: string, crumb: string | undefined): void {
    if (method !== "POST" || principal.via === "token") return;
    if (!crumb || !safeEqual(crumb, this.crumbFor(principal, principal.sessionId))) {
      throw new AuthFailure(403, "No valid crumb was included in the request");
    }
  }

  has(principal: Principal, permission: Permission): boolean {
    if (!principal.user) return this.anonymousRead && ANONYMOUS_READ.has(permission);
    if (principal.user.permissions) return principal.user.permissions.includes(permission);
    if (principal.user.readOnly) return permission === "Overall/Read";
    return principal.user.admin === true || USER_PERMISSIONS.has(permission);
  }

  /**
   * Whether a user (by id, as a build's UserIdCause names it) holds a
   * permission. Credentials/UseItem is implied by Job/Configure
   * (CredentialsProvider.USE_ITEM), so plain users do not have it.
   */
  userHas(userId: string | undefined, permission: Permission): boolean {
    const user = userId === undefined ? undefined : this.users.find((u) => u.id === userId);
    return this.has({ user, via: user ? "token" : "anonymous", sessionId: undefined }, permission);
  }

  require(principal: Principal, permission: Permission): void {
    if (this.has(principal, permission)) return;
    const name = principal.user?.id ?? "anonymous";
    throw new AuthFailure(403, `${name} is missing the ${permission} permission`, {
      "X-You-Are-Authenticated-As": name,
      "X-Required-Permission": permissionClass(permission),
    });
  }
}

function permissionClass(p: Permission): string {
  const [group, name] = p.split("/") as [string, string];
  const groupClass =
    group === "Overall"
      ? "hudson.model.Hudson"
      : group === "Job"
        ? "hudson.model.Item"
        : "com.cloudbees.plugins.credentials.CredentialsProvider";
  return `${groupClass}.${name}`;
}
