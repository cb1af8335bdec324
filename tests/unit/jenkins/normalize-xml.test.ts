import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { reserialise } from "@/emulator/src/model/reserialise";
import { SecretCodec } from "@/emulator/src/model/secrets";
import { behaviourOf, CURRENT_LTS, LEGACY_LTS } from "@/emulator/src/jenkins-version";
import { canonicalXml } from "@/lib/jenkins/normalize-xml";

// What the portal renders against what a Jenkins serves back after re-serialising it.

const home = fs.mkdtempSync(path.join(os.tmpdir(), "normalize-xml-"));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const secrets = new SecretCodec(home);
const served = (xml: string, version = CURRENT_LTS) => reserialise(xml, { pluginVersions: behaviourOf(version).pluginVersions, secrets });

const RENDERED = `<?xml version="1.0" encoding="UTF-8"?>
<project>
  <description>Nightly restore of "orders" &amp; 'users'</description>
  <disabled>false</disabled>
  <properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
    <hudson.model.PasswordParameterDefinition><name>PW</name><defaultValue>hunter2</defaultValue></hudson.model.PasswordParameterDefinition>
  </parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties>
  <triggers class="vector"><hudson.triggers.TimerTrigger><spec>H 2 * * *</spec></hudson.triggers.TimerTrigger></triggers>
  <builders><hudson.plugins.parameterizedtrigger.TriggerBuilder><configs></configs></hudson.plugins.parameterizedtrigger.TriggerBuilder></builders>
  <publishers><hudson.tasks.Mailer plugin="mailer@1.0"><recipients>ops@example.com</recipients></hudson.tasks.Mailer></publishers>
</project>`;

describe("canonical config XML", () => {
  it("should see no change in a re-serialisation on either line, nor in a later rewrite", () => {
    const first = served(RENDERED);
    expect(first).not.toContain("hunter2");
    expect(first).toContain('plugin="parameterized-trigger@');
    expect(canonicalXml(first)).toBe(canonicalXml(RENDERED));
    expect(canonicalXml(served(RENDERED, LEGACY_LTS))).toBe(canonicalXml(RENDERED));
    // A fresh iv on a second post: different bytes, same canonical form.
    const second = served(RENDERED);
    expect(second).not.toBe(first);
    expect(canonicalXml(second)).toBe(canonicalXml(first));
    expect(canonicalXml(served(first))).toBe(canonicalXml(first));
  });

  it("should still see an edit made in Jenkins", () => {
    const edited = served(RENDERED).replace("<spec>H 2 * * *</spec>", "<spec>H 3 * * *</spec>");
    expect(canonicalXml(edited)).not.toBe(canonicalXml(RENDERED));
    const recipients = served(RENDERED).replace("ops@example.com", "someone@example.com");
    expect(canonicalXml(recipients)).not.toBe(canonicalXml(RENDERED));
    const disabled = served(RENDERED).replace("<disabled>false</disabled>", "<disabled>true</disabled>");
    expect(canonicalXml(disabled)).not.toBe(canonicalXml(RENDERED));
  });
});
