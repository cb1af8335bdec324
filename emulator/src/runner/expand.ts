// hudson.Util.replaceMacro: `$VAR` and `${VAR}` are substituted, unknown
// references stay as they are, and nothing is ever evaluated by a shell.
export function expandVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$([A-Za-z0-9_]+)|\$\{([A-Za-z0-9_.]+)\}/g, (whole, bare: string | undefined, braced: string | undefined) => {
    const value = env[bare ?? braced ?? ""];
    return value === undefined ? whole : value;
  });
}

/** java.util.Properties.load for the `KEY=VALUE` text of PredefinedBuildParameters. */
export function parseJavaProperties(text: string): Array<[string, string]> {
  const logical: string[] = [];
  let current: string | undefined;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = current === undefined ? raw.replace(/^[ \t\f]+/, "") : raw.replace(/^[ \t\f]+/, "");
    if (current === undefined && (line === "" || line.startsWith("#") || line.startsWith("!"))) continue;
    const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
    const joined = (current ?? "") + (trailing % 2 === 1 ? line.slice(0, -1) : line);
    if (trailing % 2 === 1) current = joined;
    else {
      logical.push(joined);
      current = undefined;
    }
  }
  if (current !== undefined) logical.push(current);

  const unescape = (s: string) =>
    s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
      if (e.startsWith("u") && e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      return ({ t: "\t", n: "\n", r: "\r", f: "\f" } as Record<string, string>)[e] ?? e;
    });

  return logical.map((line) => {
    let i = 0;
    while (i < line.length && !"=: \t\f".includes(line[i]!)) i += line[i] === "\\" ? 2 : 1;
    const key = line.slice(0, i);
    let rest = line.slice(i).replace(/^[ \t\f]*/, "");
    if (rest.startsWith("=") || rest.startsWith(":")) rest = rest.slice(1).replace(/^[ \t\f]*/, "");
    return [unescape(key), unescape(rest)];
  });
}
