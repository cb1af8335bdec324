/** What kind of refusal a DomainError is: HTTP answers follow it (lib/http/responses.ts). */
export type DomainErrorCode =
  | "invalid"
  | "duplicate"
  | "not-found"
  | "jenkins"
  | "paused"
  | "finished"
  | "last-manager"
  | "unknown-credential"
  | "in-use"
  | "forbidden"
  | "busy"
  | "path-not-allowed"
  | "image-not-allowed"
  | "run-limit";

export interface DomainErrorOptions {
  /** The form field the message belongs next to, when there is one. */
  field?: string;
  code?: DomainErrorCode;
  /** Set by domain code that already wrote the failure into the audit trail (runAction then doesn't). */
  audited?: boolean;
}

/** An expected failure with a message fit for the person who caused it. */
export class DomainError extends Error {
  readonly field: string | undefined;
  readonly code: DomainErrorCode;
  readonly audited: boolean;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = "DomainError";
    this.field = options.field;
    this.code = options.code ?? "invalid";
    this.audited = options.audited ?? false;
  }
}
