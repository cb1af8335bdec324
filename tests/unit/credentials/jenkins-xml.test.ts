import { randomBytes } from "node:crypto";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import {
  buildGpgCredentialXml,
  buildSecretTextCredentialXml,
  buildSshCredentialXml,
  JENKINS_CREDENTIAL_CLASSES,
  parseCredentialConfigXml,
  parseCredentialList,
} from "@/lib/credentials/jenkins-xml";

// Test-time stand-ins for secrets: random, so nothing real is in this file.
const fakePrivateKey = () =>
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString("base64")}\n${randomBytes(48).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`;
const fakeArmoredKey = () =>
  `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${randomBytes(48).toString("base64")}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n`;

const TRICKY_DESCRIPTION = `Backups <prod> & "staging" 'eu' ]]> </description><id>evil</id> é`;

// An independent reading of the XML, kept apart from the module's own parser.
const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, trimValues: false });

function readRoot(xml: string, className: string): Record<string, unknown> {
  expect(XMLValidator.validate(xml)).toBe(true);
  const document = reader.parse(xml) as Record<string, unknown>;
  const root = document[className];
  if (typeof root !== "object" || root === null) throw new Error(`no <${className}> root in XML`);
  return root as Record<string, unknown>;
}

describe("buildSshCredentialXml", () => {
  it("should build a BasicSSHUserPrivateKey that reads back field for field", () => {
    const privateKey = fakePrivateKey();
    const passphrase = `p&ss<word> "${randomBytes(6).toString("hex")}"`;
    const xml = buildSshCredentialXml({ id: "backup-ssh", description: TRICKY_DESCRIPTION, username: "backup", privateKey, passphrase });
    const root = readRoot(xml, JENKINS_CREDENTIAL_CLASSES.ssh);
    expect(root.scope).toBe("GLOBAL");
    expect(root.id).toBe("backup-ssh");
    expect(root.description).toBe(TRICKY_DESCRIPTION);
    expect(root.username).toBe("backup");
    expect(root.passphrase).toBe(passphrase);
    const source = root.privateKeySource as Record<string, unknown>;
    expect(source["@_class"]).toBe(JENKINS_CREDENTIAL_CLASSES.sshDirectEntry);
    expect(source.privateKey).toBe(privateKey);
  });

  it("should escape markup in the description instead of letting it through", () => {
    const xml = buildSshCredentialXml({
      id: "backup-ssh",
      description: TRICKY_DESCRIPTION,
      username: "backup",
      privateKey: fakePrivateKey(),
    });
    expect(xml).not.toContain("<prod>");
    expect(xml).not.toContain("<id>evil</id>");
    expect(xml).toContain("&lt;prod&gt; &amp; &quot;staging&quot;");
    expect(xml.match(/<id>/g)).toHaveLength(1);
  });

  it("should send an empty passphrase element for an unencrypted key", () => {
    const root = readRoot(
      buildSshCredentialXml({ id: "backup-ssh", description: "", username: "backup", privateKey: fakePrivateKey() }),
      JENKINS_CREDENTIAL_CLASSES.ssh,
    );
    expect(root.passphrase).toBe("");
    expect(root.description).toBe("");
  });

  it("should refuse an id Jenkins URLs cannot carry, without echoing the key", () => {
    const privateKey = fakePrivateKey();
    let message = "";
    try {
      buildSshCredentialXml({ id: "../etc", description: "", username: "backup", privateKey });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid SSH credential: id:/);
    expect(message).not.toContain(privateKey.split("\n")[1]);
  });

  it("should refuse a key holding characters XML 1.0 cannot carry", () => {
    expect(() => buildSshCredentialXml({ id: "backup-ssh", description: "", username: "backup", privateKey: "key\u0001" })).toThrow(
      /privateKey: The private key holds characters XML cannot carry/,
    );
  });
});

describe("buildGpgCredentialXml", () => {
  it("should store the armored key as a secret file <id>.asc in base64", () => {
    const armoredKey = fakeArmoredKey();
    const root = readRoot(
      buildGpgCredentialXml({ id: "backup-gpg", description: TRICKY_DESCRIPTION, armoredKey }),
      JENKINS_CREDENTIAL_CLASSES.file,
    );
    expect(root.scope).toBe("GLOBAL");
    expect(root.id).toBe("backup-gpg");
    expect(root.description).toBe(TRICKY_DESCRIPTION);
    expect(root.fileName).toBe("backup-gpg.asc");
    expect(root.secretBytes).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(root.secretBytes as string, "base64").toString("utf8")).toBe(armoredKey);
  });

  it("should use a given file name", () => {
    const root = readRoot(
      buildGpgCredentialXml({ id: "k1-gpg", description: "", armoredKey: fakeArmoredKey(), fileName: "keys.asc" }),
      JENKINS_CREDENTIAL_CLASSES.file,
    );
    expect(root.fileName).toBe("keys.asc");
  });

  it("should refuse a file name with a path in it", () => {
    expect(() => buildGpgCredentialXml({ id: "k1-gpg", description: "", armoredKey: fakeArmoredKey(), fileName: "../x.asc" })).toThrow(
      /fileName/,
    );
  });
});

describe("buildSecretTextCredentialXml", () => {
  it("should build a StringCredentialsImpl that reads back", () => {
    const secret = randomBytes(32).toString("hex");
    const root = readRoot(
      buildSecretTextCredentialXml({ id: "callback-secret", description: "Callback <secret>", secret }),
      JENKINS_CREDENTIAL_CLASSES.secretText,
    );
    expect(root).toMatchObject({ scope: "GLOBAL", id: "callback-secret", description: "Callback <secret>", secret });
  });

  it("should refuse an empty secret", () => {
    expect(() => buildSecretTextCredentialXml({ id: "callback-secret", description: "", secret: "" })).toThrow(
      /secret: The secret is empty/,
    );
  });
});

describe("parseCredentialList", () => {
  const listing = {
    _class: "com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper",
    credentials: [
      { id: "backup-ssh", description: "prod backups", displayName: "backup (prod backups)", typeName: "SSH Username with private key" },
      { id: "backup-gpg", description: "prod key", displayName: "backup-gpg.asc (prod key)", typeName: "Secret file" },
      { id: "bare-gpg", description: "", displayName: "bare-gpg.gpg", typeName: "Secret file" },
      { id: "env-file", description: "x.asc", displayName: "deploy.env (x.asc)", typeName: "Secret file" },
      { id: "callback-secret", description: "", displayName: "callback-secret", typeName: "Secret text" },
      { id: "svc", description: null, displayName: "svc/******", typeName: "Username with password" },
    ],
  };

  it("should map every entry to the app's kinds", () => {
    expect(parseCredentialList(listing)).toEqual([
      { id: "backup-ssh", description: "prod backups", kind: "ssh", typeName: "SSH Username with private key" },
      { id: "backup-gpg", description: "prod key", kind: "gpg", typeName: "Secret file" },
      { id: "bare-gpg", description: "", kind: "gpg", typeName: "Secret file" },
      { id: "env-file", description: "x.asc", kind: "other", typeName: "Secret file" },
      { id: "callback-secret", description: "", kind: "secret-text", typeName: "Secret text" },
      { id: "svc", description: "", kind: "other", typeName: "Username with password" },
    ]);
  });

  it("should accept the id-only listing the npm jenkins client asks for", () => {
    expect(parseCredentialList({ credentials: [{ id: "a-b-c" }] })).toEqual([
      { id: "a-b-c", description: "", kind: "other", typeName: "" },
    ]);
  });

  it.each([null, {}, { credentials: [{ description: "no id" }] }, { credentials: "nope" }])("should refuse %p", (body) => {
    expect(() => parseCredentialList(body)).toThrow("Jenkins returned a credentials list in an unexpected shape");
  });
});

describe("parseCredentialConfigXml", () => {
  it("should read a redacted SSH credential as Jenkins returns it", () => {
    const xml = `<com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey plugin="ssh-credentials@355.v">
  <scope>GLOBAL</scope>
  <id>backup-ssh</id>
  <description>a &amp; b &lt;c&gt;</description>
  <username>backup</username>
  <usernameSecret>false</usernameSecret>
  <privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource">
    <privateKey>
      <secret-redacted/>
    </privateKey>
  </privateKeySource>
  <passphrase>
    <secret-redacted/>
  </passphrase>
</com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>`;
    expect(parseCredentialConfigXml(xml)).toEqual({
      id: "backup-ssh",
      description: "a & b <c>",
      kind: "ssh",
      typeName: "SSH Username with private key",
    });
  });

  it("should tell a GPG key file from another secret file by its file name", () => {
    const file = (fileName: string) =>
      `<org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl><scope>GLOBAL</scope><id>f-1</id><description/><fileName>${fileName}</fileName><secretBytes><secret-redacted/></secretBytes></org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>`;
    expect(parseCredentialConfigXml(file("f-1.asc"))).toMatchObject({ kind: "gpg", typeName: "Secret file", description: "" });
    expect(parseCredentialConfigXml(file("deploy.env"))).toMatchObject({ kind: "other", typeName: "Secret file" });
  });

  it("should round-trip the bodies this module builds", () => {
    const ssh = buildSshCredentialXml({ id: "007", description: TRICKY_DESCRIPTION, username: "u", privateKey: fakePrivateKey() });
    const gpg = buildGpgCredentialXml({ id: "gpg-1", description: "k", armoredKey: fakeArmoredKey() });
    const text = buildSecretTextCredentialXml({ id: "cb-1", description: "", secret: "s3cr3t" });
    expect(parseCredentialConfigXml(ssh)).toEqual({
      id: "007",
      description: TRICKY_DESCRIPTION.trim(),
      kind: "ssh",
      typeName: "SSH Username with private key",
    });
    expect(parseCredentialConfigXml(gpg)).toEqual({ id: "gpg-1", description: "k", kind: "gpg", typeName: "Secret file" });
    expect(parseCredentialConfigXml(text)).toEqual({ id: "cb-1", description: "", kind: "secret-text", typeName: "Secret text" });
  });

  it("should keep an unknown class name as the type name", () => {
    const xml =
      "<com.example.TokenCredentials><scope>GLOBAL</scope><id>tok</id><description>t</description></com.example.TokenCredentials>";
    expect(parseCredentialConfigXml(xml)).toEqual({ id: "tok", description: "t", kind: "other", typeName: "com.example.TokenCredentials" });
  });

  it.each([
    ["broken XML", "<a><id>x</a>"],
    [
      "no id",
      "<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl><scope>GLOBAL</scope></org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>",
    ],
    ["no element", ""],
  ])("should refuse %s", (_label, xml) => {
    expect(() => parseCredentialConfigXml(xml)).toThrow(/^Jenkins returned credential XML/);
  });
});
