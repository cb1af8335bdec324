// Moved to lib/jenkins/normalize-xml.ts (lib must not import tools/); kept for existing imports.
export { canonicalXml, xmlFingerprint } from "../../lib/jenkins/normalize-xml";
