import { parseTree, type TreeNode } from "./tree";

// A miniature of Stapler's exporter. A Bean lists its properties in export
// order (values may be lazy) with their @Exported visibility (default 1) and
// whether they are `inline`. As in Stapler's ByDepth pruner, the top object
// starts at level 1 - depth, every nested object is one level deeper (unless
// reached through an inline property) and a property shows only when its
// visibility >= the level — so a job's `builds` at depth 0 show just the
// visibility-2 `number` and `url`.

export type ApiValue = null | undefined | string | number | boolean | Bean | ApiValue[] | (() => ApiValue);

export class Bean {
  constructor(
    readonly _class: string | undefined,
    readonly props: Record<string, ApiValue>,
    readonly visibility: Readonly<Record<string, number>> = {},
    readonly inline: readonly string[] = [],
  ) {}
}

export interface ExportOptions {
  depth?: number;
  tree?: string;
}

function resolve(value: ApiValue): ApiValue {
  return typeof value === "function" ? resolve(value()) : value;
}

function exportByTree(value: ApiValue, node: TreeNode): unknown {
  value = resolve(value);
  if (Array.isArray(value)) {
    const sliced = node.range ? value.slice(node.range.min, node.range.max) : value;
    return sliced.map((v) => exportByTree(v, node));
  }
  if (!(value instanceof Bean)) return value ?? null;
  const out: Record<string, unknown> = {};
  if (value._class) out._class = value._class;
  for (const [key, prop] of Object.entries(value.props)) {
    const childNode = node.children.get(key);
    if (!childNode) continue;
    const resolved = resolve(prop);
    if (resolved === undefined) continue;
    out[key] = exportByTree(resolved, childNode);
  }
  return out;
}

function exportByDepth(value: ApiValue, level: number): unknown {
  value = resolve(value);
  if (Array.isArray(value)) return value.map((v) => exportByDepth(v, level));
  if (!(value instanceof Bean)) return value ?? null;
  const out: Record<string, unknown> = {};
  if (value._class) out._class = value._class;
  for (const [key, prop] of Object.entries(value.props)) {
    if ((value.visibility[key] ?? 1) < level) continue;
    const resolved = resolve(prop);
    if (resolved === undefined) continue;
    out[key] = exportByDepth(resolved, value.inline.includes(key) ? level : level + 1);
  }
  return out;
}

/** Exports a bean honouring `tree=` (which wins, as in Stapler) or `depth=`. */
export function exportBean(bean: Bean, options: ExportOptions): unknown {
  if (options.tree !== undefined) return exportByTree(bean, parseTree(options.tree));
  return exportByDepth(bean, 1 - (options.depth ?? 0));
}
