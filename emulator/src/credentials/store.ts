import fs from "node:fs";
import { blankRedacted, parseCredential, type StoredCredential } from "./credential";

// Credential stores keyed "system" or "folder:<full name>", persisted as one
// JSON file with mode 0600. Secrets live only there and in memory.

export class CredentialsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type StoreFile = { stores: Record<string, StoredCredential[]> };

export class CredentialsStore {
  private stores: Record<string, StoredCredential[]> = {};

  constructor(private readonly file: string) {}

  load(): void {
    if (!fs.existsSync(this.file)) return;
    this.stores = (JSON.parse(fs.readFileSync(this.file, "utf8")) as StoreFile).stores;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ stores: this.stores } satisfies StoreFile, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  list(store: string): StoredCredential[] {
    return this.stores[store] ?? [];
  }

  get(store: string, id: string): StoredCredential | undefined {
    return this.list(store).find((c) => c.id === id);
  }

  create(store: string, xml: string): StoredCredential {
    const cred = blankRedacted(parseCredential(xml));
    if (this.get(store, cred.id)) throw new CredentialsError(409, `A credential with id '${cred.id}' already exists`);
    this.stores[store] = [...this.list(store), cred];
    this.save();
    return cred;
  }

  update(store: string, id: string, xml: string): StoredCredential {
    const previous = this.get(store, id);
    if (!previous) throw new CredentialsError(404, `No credential with id '${id}'`);
    const next = blankRedacted(parseCredential(xml));
    // SystemCredentialsProvider.updateCredentials: the replacement must carry the same id (a
    // missing <id> gets a random one, so it never matches).
    if (next.id !== id)
      throw new CredentialsError(500, "java.lang.IllegalArgumentException: Credentials' IDs do not match, will not update.");
    this.stores[store] = this.list(store).map((c) => (c.id === id ? next : c));
    this.save();
    return next;
  }

  delete(store: string, id: string): void {
    if (!this.get(store, id)) throw new CredentialsError(404, `No credential with id '${id}'`);
    this.stores[store] = this.list(store).filter((c) => c.id !== id);
    this.save();
  }

  dropStore(store: string): void {
    if (!(store in this.stores)) return;
    delete this.stores[store];
    this.save();
  }

  /** CredentialsProvider lookup from a job: innermost folder store first, then the system store. */
  lookup(id: string, folderFullNames: string[]): StoredCredential | undefined {
    for (const folder of folderFullNames) {
      const found = this.get(`folder:${folder}`, id);
      if (found) return found;
    }
    return this.get("system", id);
  }
}
