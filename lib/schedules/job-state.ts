// Canonical XML comparison, shared with `npm run jobs:provision` so that "the same job" means
// the same thing to both (Jenkins re-serialises configs; see lib/jenkins/normalize-xml.ts).
import { canonicalXml, xmlFingerprint } from "@/lib/jenkins/normalize-xml";

/**
 * What the portal remembers of a job it wrote: the fingerprint of what it rendered and of what
 * Jenkins served back right after. A real Jenkins never serves back the posted bytes, so a job
 * is in line when it serves what we render, or still serves exactly what it served after our
 * last write of the same render.
 */
export function jobStamp(renderedXml: string, servedXml: string): string {
  return `${xmlFingerprint(renderedXml)}:${xmlFingerprint(servedXml)}`;
}

export function jobIsInLine(renderedXml: string, servedXml: string, stamp: string | null): boolean {
  if (canonicalXml(renderedXml) === canonicalXml(servedXml)) return true;
  return stamp !== null && stamp === jobStamp(renderedXml, servedXml);
}
