/** An expected failure with a message fit for the person who caused it. */
export class DomainError extends Error {
  constructor(
    message: string,
    /** The form field the message belongs next to, when there is one. */
    readonly field?: string,
    readonly code = "invalid",
    /** Set by domain code that already wrote the failure into the audit trail (runAction then doesn't). */
    readonly audited = false,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
