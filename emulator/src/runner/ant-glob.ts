import fs from "node:fs";
import path from "node:path";

// Ant-style file sets as ArtifactArchiver uses them: comma-separated
// patterns relative to the workspace, `**` spans directories, a trailing
// `/` means everything below, and the default excludes (.git, .svn, …) apply.

const DEFAULT_EXCLUDES = [
  "**/*~",
  "**/#*#",
  "**/.#*",
  "**/%*%",
  "**/._*",
  "**/.git",
  "**/.git/**",
  "**/.gitignore",
  "**/.svn",
  "**/.svn/**",
  "**/.DS_Store",
];

export function antPatternToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, "/").replace(/^\.\//, "");
  if (p.endsWith("/")) p += "**";
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (p.startsWith("**", i)) {
      re += ".*";
      i += 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function splitPatterns(list: string): RegExp[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(antPatternToRegExp);
}

function walk(root: string, rel = ""): string[] {
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return walk(root, child);
    return entry.isFile() ? [child] : [];
  });
}

export function matchFiles(root: string, includes: string, excludes: string): string[] {
  const inc = splitPatterns(includes);
  const exc = [...splitPatterns(excludes), ...DEFAULT_EXCLUDES.map(antPatternToRegExp)];
  return walk(root)
    .filter((f) => inc.some((r) => r.test(f)) && !exc.some((r) => r.test(f)))
    .sort();
}
