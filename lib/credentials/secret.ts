const REDACTED = "[redacted]";

/**
 * Holds a value that must reach Jenkins and nowhere else (a credential XML body
 * with a private key in it). JSON.stringify, String() and console.log all see
 * "[redacted]", and React refuses to send a class instance to the browser, so a
 * result object can be logged or returned by mistake without leaking the key.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value; call it only where it is handed to Jenkins. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}
