import type { Metadata } from "next";
import { allAllowedPrefixes } from "@/lib/credentials/key-paths";
import { listKeys } from "@/lib/credentials/list";
import { db } from "@/lib/db/client";
import { getJenkins } from "@/lib/jenkins";
import { DB_TYPE_LABELS } from "@/lib/pipeline/database-types";
import { readAllowList, CONTAINER_DB_TYPES } from "@/lib/sandbox-images/allow-list";
import { ImageListForms } from "./image-list-form";
import { AddKeyForms } from "./add-key-forms";
import { KeyPathsForms } from "./key-paths-form";
import { KeyTable } from "./key-table";
import { toKeyView } from "./key-view";

export const metadata: Metadata = { title: "Credentials" };

export default async function CredentialsPage() {
  const [{ keys, jenkinsProblem }, prefixes, images] = await Promise.all([
    listKeys(db, getJenkins),
    allAllowedPrefixes(db),
    readAllowList(db),
  ]);
  const now = new Date();
  return (
    <>
      <h1>Credentials</h1>
      <p className="muted">
        SSH and GPG keys live only in Jenkins&apos; credentials store (system store, global domain). The portal keeps their id, fingerprint
        and who added them; users pick keys by id on the run and schedule forms and never see key material.
      </p>
      {jenkinsProblem && (
        <p className="notice error" role="alert">
          {jenkinsProblem} The list shows what the portal&apos;s database knows; keys cannot be added or deleted until Jenkins answers.
        </p>
      )}
      <KeyTable keys={keys.map((k) => toKeyView(k, now))} jenkinsAvailable={jenkinsProblem === null} />

      <h2>Directories each SSH key may read</h2>
      <p className="muted">
        A run or schedule may only name a backup inside its SSH key&apos;s directories; the pipeline checks again before it connects. A key
        without directories reads nothing.
      </p>
      <KeyPathsForms
        keys={keys
          .filter((k) => k.kind === "ssh")
          .map((k) => ({ id: k.id, description: k.description, prefixes: prefixes.get(k.id) ?? [] }))}
      />

      <h2>Container images</h2>
      <p className="muted">
        The images a container sandbox may run, per database type. A run or schedule may only name an image listed here; the pipeline checks
        again before it starts the container.
      </p>
      <ImageListForms lists={CONTAINER_DB_TYPES.map((t) => ({ dbType: t, label: DB_TYPE_LABELS[t], images: images.get(t) ?? [] }))} />

      <h2>Add a key</h2>
      <div className="panel">
        <AddKeyForms />
      </div>
    </>
  );
}
