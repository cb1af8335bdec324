import { Bean, exportBean } from "../api/bean";
import { describe, redactedXml, typeName, type StoredCredential } from "../credentials/credential";
import { HttpError, notFound, requirePost } from "../http/exchange";
import { exportOptions, type RouteContext } from "./context";

// credentials plugin REST: {ctx}/credentials/store/{system|folder}/domain/_/…

function entryBean(storeName: string, cred: StoredCredential): Bean {
  const d = describe(cred);
  return new Bean(
    undefined,
    {
      description: d.description,
      displayName: d.displayName,
      fingerprint: null,
      fullName: `${storeName}/_/${cred.id}`,
      id: cred.id,
      typeName: typeName(cred),
    },
    { description: 2, displayName: 2, fingerprint: 2, fullName: 2, id: 2, typeName: 2 },
  );
}

function requireXml(ctx: RouteContext): string {
  const type = ctx.ex.contentType();
  if (!type) throw new HttpError(400, "No Content-Type header set");
  if (!type.startsWith("application/xml") && !type.startsWith("text/xml")) throw new HttpError(415, `Unsupported Content-Type ${type}`);
  return ctx.ex.body.toString("utf8");
}

/** `rest` starts after `credentials`; `storeKey` is "system" or "folder:<full name>". */
export function handleCredentials(ctx: RouteContext, rest: string[], expectedStore: string, storeKey: string, contextUrl: string): void {
  const { ex, core, principal } = ctx;
  const store = core.credentials;
  if (rest[0] !== "store" || rest[1] !== expectedStore) throw notFound();
  core.auth.require(principal, "Credentials/View");
  const storeUrl = `${contextUrl}credentials/store/${expectedStore}/`;
  if (rest.length === 4 && rest[2] === "api" && rest[3] === "json") {
    ex.json(
      exportBean(
        new Bean("com.cloudbees.plugins.credentials.CredentialsStoreAction", {
          domains: new Bean(undefined, {
            _: new Bean("com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper", { urlName: "_" }),
          }),
        }),
        exportOptions(ex),
      ),
    );
    return;
  }
  if (rest[2] !== "domain" || rest[3] !== "_") throw notFound();
  const tail = rest.slice(4);
  if (tail.length === 2 && tail[0] === "api" && tail[1] === "json") {
    const bean = new Bean("com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper", {
      credentials: () => store.list(storeKey).map((c) => entryBean(expectedStore, c)),
      description: "Credentials that should be available irrespective of domain specification to requirements matching.",
      displayName: "Global credentials (unrestricted)",
      fullDisplayName: "System » Global credentials (unrestricted)",
      fullName: `${expectedStore}/_`,
      global: true,
      urlName: "_",
    });
    ex.json(exportBean(bean, exportOptions(ex)));
    return;
  }
  if (tail.length === 1 && tail[0] === "createCredentials") {
    requirePost(ex);
    core.auth.require(principal, "Credentials/Create");
    store.create(storeKey, requireXml(ctx));
    ex.empty(200);
    return;
  }
  if (tail[0] !== "credential" || tail.length < 2) throw notFound();
  const id = tail[1]!;
  const cred = store.get(storeKey, id);
  if (!cred) throw notFound();
  const action = tail.slice(2).join("/");
  if (action === "api/json" || action === "") {
    const d = describe(cred);
    ex.json(
      exportBean(
        new Bean("com.cloudbees.plugins.credentials.CredentialsStoreAction$CredentialsWrapper", {
          description: d.description,
          displayName: d.displayName,
          fingerprint: null,
          fullName: `${expectedStore}/_/${id}`,
          id,
          typeName: typeName(cred),
        }),
        exportOptions(ex),
      ),
    );
  } else if (action === "config.xml" && ex.method === "GET") {
    ex.xml(redactedXml(cred), "application/xml;charset=UTF-8");
  } else if (action === "config.xml" && ex.method === "POST") {
    core.auth.require(principal, "Credentials/Update");
    store.update(storeKey, id, requireXml(ctx));
    ex.empty(200);
  } else if (action === "config.xml" && ex.method === "DELETE") {
    core.auth.require(principal, "Credentials/Delete");
    store.delete(storeKey, id);
    ex.empty(200);
  } else if (action === "doDelete") {
    requirePost(ex);
    core.auth.require(principal, "Credentials/Delete");
    store.delete(storeKey, id);
    if ((ex.req.headers.accept ?? "").includes("application/json")) ex.json({ status: "ok" });
    else ex.redirect(302, `${storeUrl}domain/_/`);
  } else throw notFound();
}
