/** An expected failure with a message fit for the person who caused it. */
export class DomainError extends Error {
  constructor(
    message: string,
    /** The form field the message belongs next to, when there is one. */
    readonly field?: string,
    readonly code = "invalid",
  ) {
    super(message);
    this.name = "DomainError";
  }
}
