// Jenkins label expressions (`linux && !arm || built-in`), enough for
// `assignedNode`: atoms, quoted atoms, !, &&, ||, ->, <->, parentheses.

export class LabelSyntaxError extends Error {}

export function labelMatches(expression: string, labels: ReadonlySet<string>): boolean {
  const tokens = expression.match(/"[^"]*"|&&|\|\||<->|->|[!()]|[^\s!()&|"<>-][^\s!()&|"<>]*/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];

  function atom(): boolean {
    const t = tokens[pos++];
    if (t === undefined) throw new LabelSyntaxError(`Unexpected end of label expression '${expression}'`);
    if (t === "!") return !atom();
    if (t === "(") {
      const v = iff();
      if (tokens[pos++] !== ")") throw new LabelSyntaxError(`Missing ')' in '${expression}'`);
      return v;
    }
    return labels.has(t.startsWith('"') ? t.slice(1, -1) : t);
  }
  function and(): boolean {
    let v = atom();
    while (peek() === "&&") {
      pos++;
      v = atom() && v;
    }
    return v;
  }
  function or(): boolean {
    let v = and();
    while (peek() === "||") {
      pos++;
      v = and() || v;
    }
    return v;
  }
  function implies(): boolean {
    const v = or();
    if (peek() !== "->") return v;
    pos++;
    return !v || implies();
  }
  function iff(): boolean {
    let v = implies();
    while (peek() === "<->") {
      pos++;
      v = v === implies();
    }
    return v;
  }

  const result = iff();
  if (pos !== tokens.length) throw new LabelSyntaxError(`Unexpected '${peek()}' in label expression '${expression}'`);
  return result;
}
