import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// hudson.util.Secret as written into config.xml: "{" + Base64(PAYLOAD_V1, iv length, data
// length, iv, AES/CBC data) + "}" (Secret.getEncryptedValue). The key lives in the home, like
// JENKINS_HOME/secrets/; it never leaves the emulator. A value that already looks encrypted is
// kept as it is — Jenkins decrypts it on load and re-encrypts with the same iv, so the text does
// not change on a re-save.

const PAYLOAD_V1 = 1;
const ENCRYPTED = /^\{[A-Za-z0-9+/]+={0,2}\}$/;

export class SecretCodec {
  private readonly key: Buffer;

  constructor(home: string) {
    const file = path.join(home, "secrets", "hudson.util.Secret");
    if (fs.existsSync(file)) this.key = fs.readFileSync(file);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      this.key = randomBytes(32);
      fs.writeFileSync(file, this.key, { mode: 0o600 });
    }
  }

  static isEncrypted(text: string): boolean {
    return ENCRYPTED.test(text);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv("aes-256-cbc", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const header = Buffer.alloc(9);
    header.writeUInt8(PAYLOAD_V1, 0);
    header.writeUInt32BE(iv.length, 1);
    header.writeUInt32BE(data.length, 5);
    return `{${Buffer.concat([header, iv, data]).toString("base64")}}`;
  }

  /** The plain text of an encrypted value; a value that is not ours decrypts as itself (Secret.fromString). */
  decrypt(text: string): string {
    if (!SecretCodec.isEncrypted(text)) return text;
    try {
      const payload = Buffer.from(text.slice(1, -1), "base64");
      if (payload.readUInt8(0) !== PAYLOAD_V1) return text;
      const ivLength = payload.readUInt32BE(1);
      const dataLength = payload.readUInt32BE(5);
      const iv = payload.subarray(9, 9 + ivLength);
      const data = payload.subarray(9 + ivLength, 9 + ivLength + dataLength);
      const decipher = createDecipheriv("aes-256-cbc", this.key, iv);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    } catch {
      return text;
    }
  }
}
