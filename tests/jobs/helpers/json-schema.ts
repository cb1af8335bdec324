/**
 * A deliberately small JSON Schema validator covering the keywords used by
 * jenkins-jobs/restore-report.schema.json: type (incl. arrays of types),
 * enum, const, required, properties, additionalProperties: false, items,
 * minItems/maxItems, minimum/maximum, minLength, pattern. Unknown keywords
 * throw, so the schema cannot silently outgrow the validator.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

const KNOWN = new Set([
  "$schema",
  "$id",
  "title",
  "description",
  "type",
  "enum",
  "const",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "minLength",
  "pattern",
]);

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(actual: string, wanted: string): boolean {
  return actual === wanted || (wanted === "number" && actual === "integer");
}

export function validateAgainstSchema(schema: Schema, value: unknown, at = "$"): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`validator does not support keyword ${key} at ${at}`);
  const v = value as Json;
  const errors: string[] = [];
  const actual = typeOf(v);
  if (schema.type !== undefined) {
    const wanted = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!wanted.some((w) => typeMatches(actual, w))) return [`${at}: expected ${wanted.join("|")}, got ${actual}`];
  }
  if (schema.enum !== undefined && !(schema.enum as Json[]).some((e) => e === v)) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (schema.const !== undefined && schema.const !== v) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (typeof v === "string") {
    if (typeof schema.minLength === "number" && v.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(v))
      errors.push(`${at}: ${JSON.stringify(v)} does not match ${schema.pattern}`);
  }
  if (typeof v === "number") {
    if (typeof schema.minimum === "number" && v < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && v > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === "number" && v.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && v.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) v.forEach((item, i) => errors.push(...validateAgainstSchema(schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (actual === "object" && v !== null && typeof v === "object" && !Array.isArray(v)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in v)) errors.push(`${at}: missing ${key}`);
    for (const [key, item] of Object.entries(v)) {
      const sub = properties[key];
      if (sub) errors.push(...validateAgainstSchema(sub, item, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
    }
  }
  return errors;
}
