// Stapler's `tree=` syntax: `a,b[c,d]{0,5},e[f[g]]`. A range `{M,N}` (M
// inclusive, N exclusive), `{M,}`, `{,N}` or `{N}` limits the list it follows.

export interface TreeNode {
  children: Map<string, TreeNode>;
  range?: { min: number; max: number };
}

export class TreeSyntaxError extends Error {}

export function parseTree(spec: string): TreeNode {
  let pos = 0;
  const peek = () => spec[pos];

  function parseRange(): TreeNode["range"] {
    const close = spec.indexOf("}", pos);
    if (close < 0) throw new TreeSyntaxError(`Unterminated range in tree spec at ${pos}`);
    const body = spec.slice(pos + 1, close);
    pos = close + 1;
    const num = (s: string, fallback: number) => {
      if (s.trim() === "") return fallback;
      const n = Number(s);
      if (!Number.isInteger(n)) throw new TreeSyntaxError(`Bad range '{${body}}'`);
      return n;
    };
    if (!body.includes(",")) {
      const n = num(body, 0);
      return { min: n, max: n + 1 };
    }
    const [a = "", b = ""] = body.split(",");
    return { min: num(a, 0), max: num(b, Number.MAX_SAFE_INTEGER) };
  }

  function parseList(): TreeNode {
    const node: TreeNode = { children: new Map() };
    for (;;) {
      const start = pos;
      while (pos < spec.length && !"[],{}".includes(spec[pos]!)) pos++;
      const name = spec.slice(start, pos).trim();
      const childNode: TreeNode = { children: new Map() };
      if (peek() === "[") {
        pos++;
        const inner = parseList();
        if (peek() !== "]") throw new TreeSyntaxError(`Expected ']' in tree spec at ${pos}`);
        pos++;
        childNode.children = inner.children;
      }
      if (peek() === "{") childNode.range = parseRange();
      if (name) node.children.set(name, childNode);
      if (peek() !== ",") return node;
      pos++;
    }
  }

  const root = parseList();
  if (pos !== spec.length) throw new TreeSyntaxError(`Unexpected '${peek()}' in tree spec at ${pos}`);
  return root;
}
