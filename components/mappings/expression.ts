/**
 * A local parser for Entra's attribute-mapping expression language (entra-expressions.md §1-§2) and the
 * conversion of a parsed expression into Graph's `attributeMappingSource` tree (§1.2). Pure: no I/O, no
 * Pulumi, so config validation and the dynamic provider share it and tests need no mocks.
 *
 * What is supported is exactly what has a documented Graph representation:
 * - attributes `[name]` → `{type: "Attribute", name, expression: "[name]"}`;
 * - string constants `"text"` (with `\"` and `\\` escapes) and numbers → `{type: "Constant"}` (a number's
 *   own node is written quoted, `"\"1\""`, as Microsoft's `Mid([userPrincipalName], 1, 8)` example shows);
 * - function calls, with omitted arguments (`Switch([a], , "k", "v")`) dropped from the tree as
 *   Microsoft's `parseExpression` example does, each parameter keyed by its name.
 *
 * Comparison operators (`=`, `<>`, …), `&` concatenation, hex literals and bare identifiers such as
 * `vbTextCompare` are valid in some Microsoft examples, but no Microsoft source shows how they appear in
 * an `attributeMappingSource` tree; they are rejected with a message saying so rather than guessed.
 *
 * Parameter keys: Microsoft documents the keys only for some functions (`Mid`: source/start/length,
 * `Not`: source, `Append`: source/suffix, `FormatDateTime`: source/inputFormat/outputFormat, `Replace`:
 * source/Find/…/Replacement). For the others the key is the parameter name of the function reference.
 */

/** Graph `attributeMappingSource`. */
export interface AttributeMappingSource {
  readonly expression: string;
  readonly name: string;
  readonly parameters: readonly { readonly key: string; readonly value: AttributeMappingSource }[];
  readonly type: "Attribute" | "Constant" | "Function";
}

/** A parsed expression. `null` arguments are omitted ones (`Switch([a], , "k", "v")`). */
export type ExpressionNode =
  | { readonly kind: "attribute"; readonly name: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly (ExpressionNode | null)[] };

/** Thrown by {@link parseExpression}; `position` is the 0-based offset in the text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    // Pulumi's function serialization turns this class into a function that calls `Error` without
    // `new`, which sets nothing on `this`: set the message and stack here so they survive.
    this.message = message;
    this.stack ??= new Error(message).stack;
    this.name = "ExpressionError";
  }
}

/** Microsoft's limit (known-issues.md, "Maximum characters for attribute-mapping expressions"). */
export const MAX_EXPRESSION_LENGTH = 10000;

interface Param {
  /** Graph parameter key. */
  readonly key: string;
  /** The argument may be omitted (left empty between commas). */
  readonly optional?: boolean;
}

interface FunctionSignature {
  /** Positional parameters. */
  readonly params: readonly Param[];
  /** Repeating tail (Join's sources, Switch's key/value pairs): keys cycle; `min` arguments at least. */
  readonly rest?: { readonly keys: readonly string[]; readonly min: number };
  /** Alternative parameter lists chosen by argument count (FormatDateTime has 3- and 4-argument forms). */
  readonly variants?: readonly (readonly Param[])[];
}

/** `p("source", "culture?")`: a `?` suffix marks an argument that may be omitted. */
const p = (...keys: string[]): Param[] => keys.map((k) => (k.endsWith("?") ? { key: k.slice(0, -1), optional: true } : { key: k }));

/** App-provisioning functions (functions-for-customizing-application-data.md plus Graph's functions list). */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, FunctionSignature>> = Object.freeze({
  Append: { params: p("source", "suffix") },
  AppRoleAssignments: { params: p("source") },
  AppRoleAssignmentsComplex: { params: p("source") },
  AssertiveAppRoleAssignmentsComplex: { params: p("source") },
  BitAnd: { params: p("value1", "value2") },
  CBool: { params: p("expression") },
  CDate: { params: p("expression") },
  Coalesce: { params: [], rest: { keys: ["source"], min: 1 } },
  ConvertToBase64: { params: p("source") },
  ConvertToUTF8Hex: { params: p("source") },
  Count: { params: p("attribute") },
  CStr: { params: p("value") },
  DateAdd: { params: p("interval", "value", "dateTime") },
  DateDiff: { params: p("interval", "date1", "date2") },
  DateFromNum: { params: p("value") },
  DefaultDomain: { params: [] },
  FormatDateTime: {
    params: p("source", "dateTimeStyles?", "inputFormat", "outputFormat"),
    variants: [p("source", "inputFormat", "outputFormat"), p("source", "dateTimeStyles?", "inputFormat", "outputFormat")],
  },
  Guid: { params: [] },
  IgnoreFlowIfNullOrEmpty: { params: p("expression") },
  IIF: { params: p("condition", "valueIfTrue", "valueIfFalse") },
  InStr: { params: p("value1", "value2", "start?", "compareType?") },
  IsNull: { params: p("expression") },
  IsNullOrEmpty: { params: p("expression") },
  IsPresent: { params: p("expression") },
  IsString: { params: p("expression") },
  Item: { params: p("attribute", "index") },
  Join: { params: p("separator"), rest: { keys: ["source"], min: 1 } },
  Left: { params: p("String", "NumChars") },
  Mid: { params: p("source", "start", "length") },
  NormalizeDiacritics: { params: p("source") },
  Not: { params: p("source") },
  Now: { params: [] },
  NumFromDate: { params: p("value") },
  PCase: { params: p("source", "wordSeparators?") },
  RandomString: {
    params: p("Length", "MinimumNumbers", "MinimumSpecialCharacters", "MinimumCapital", "MinimumLowerCase", "CharactersToAvoid?"),
  },
  Redact: { params: p("source") },
  RemoveDuplicates: { params: p("attribute") },
  Replace: { params: p("source", "Find?", "regexPattern?", "regexGroupName?", "Replacement?", "replacementAttributeName?", "template?") },
  SelectUniqueValue: { params: [], rest: { keys: ["rule"], min: 2 } },
  SingleAppRoleAssignment: { params: p("source") },
  Split: { params: p("source", "delimiter") },
  StripSpaces: { params: p("source") },
  Switch: { params: p("source", "defaultValue?"), rest: { keys: ["key", "value"], min: 2 } },
  ToLower: { params: p("source", "culture?") },
  ToUpper: { params: p("source", "culture?") },
  Word: { params: p("String", "WordNumber", "Delimiters") },
});

const UNSUPPORTED_REPRESENTATION =
  "its attributeMappingSource form is not documented by Microsoft, so entra-app-provisioning cannot write it; rewrite it with Switch(…) or a function";

/**
 * A recursive-descent parser over `text`. Closures rather than a class with fields: Pulumi's function
 * serialization (this runs inside the dynamic provider) does not carry class field initializers.
 */
function parseText(text: string): ExpressionNode {
  let pos = 0;

  function skipSpace(): void {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  }

  function unexpected(): never {
    const c = text[pos];
    throw new ExpressionError(c === undefined ? "unexpected end of expression" : `unexpected ${JSON.stringify(c)} at position ${pos + 1}`, pos);
  }

  function expression(): ExpressionNode {
    const node = primary();
    skipSpace();
    const op = /^(<>|>=|<=|=|<|>|&)/.exec(text.slice(pos));
    if (op) {
      const what = op[1] === "&" ? "string concatenation with &" : `the comparison operator ${op[1]}`;
      throw new ExpressionError(`${what} at position ${pos + 1}: ${UNSUPPORTED_REPRESENTATION}`, pos);
    }
    return node;
  }

  function primary(): ExpressionNode {
    const c = text[pos];
    if (c === "[") return attribute();
    if (c === '"') return string();
    if (c === "'") throw new ExpressionError(`single-quoted strings are not part of the language (position ${pos + 1}); use double quotes`, pos);
    if (c === "&" && /^&H[0-9A-Fa-f]/.test(text.slice(pos))) {
      throw new ExpressionError(`the hex literal at position ${pos + 1}: ${UNSUPPORTED_REPRESENTATION}`, pos);
    }
    if (c !== undefined && /[-0-9]/.test(c)) return number();
    if (c !== undefined && /[A-Za-z_]/.test(c)) return call();
    return unexpected();
  }

  function attribute(): ExpressionNode {
    const start = pos;
    const end = text.indexOf("]", start + 1);
    if (end < 0) throw new ExpressionError(`the attribute opened at position ${start + 1} has no closing ]`, start);
    const name = text.slice(start + 1, end).trim();
    if (name === "") throw new ExpressionError(`empty attribute name at position ${start + 1}`, start);
    if (name.includes("[")) throw new ExpressionError(`attribute names cannot contain [ (position ${start + 1})`, start);
    pos = end + 1;
    return { kind: "attribute", name };
  }

  function string(): ExpressionNode {
    const start = pos;
    let value = "";
    pos++;
    while (pos < text.length) {
      const c = text[pos];
      if (c === "\\" && pos + 1 < text.length) {
        const next = text[pos + 1];
        // Only \" and \\ are escapes; any other backslash stays literal (a regex such as "\d").
        value += next === '"' || next === "\\" ? next : c + next;
        pos += 2;
        continue;
      }
      if (c === '"') {
        pos++;
        return { kind: "string", value };
      }
      value += c;
      pos++;
    }
    throw new ExpressionError(`the string opened at position ${start + 1} is not closed with "`, start);
  }

  function number(): ExpressionNode {
    const m = /^-?\d+(\.\d+)?/.exec(text.slice(pos));
    if (!m) return unexpected();
    pos += m[0].length;
    return { kind: "number", text: m[0] };
  }

  function call(): ExpressionNode {
    const start = pos;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos))![0];
    pos += name.length;
    skipSpace();
    if (text[pos] !== "(") {
      throw new ExpressionError(
        `"${name}" at position ${start + 1} is not a function call (attributes are written [${name}], text "${name}"); bare identifiers: ${UNSUPPORTED_REPRESENTATION}`,
        start,
      );
    }
    pos++;
    const args: (ExpressionNode | null)[] = [];
    skipSpace();
    if (text[pos] === ")") {
      pos++;
      return checkCall({ kind: "call", name, args }, start);
    }
    for (;;) {
      skipSpace();
      const c = text[pos];
      if (c === "," || c === ")") args.push(null);
      else if (c === undefined) throw new ExpressionError(`${name}( opened at position ${start + 1} is not closed with )`, start);
      else args.push(expression());
      skipSpace();
      const sep = text[pos];
      if (sep === ",") {
        pos++;
        continue;
      }
      if (sep === ")") {
        pos++;
        return checkCall({ kind: "call", name, args }, start);
      }
      if (sep === undefined) throw new ExpressionError(`${name}( opened at position ${start + 1} is not closed with )`, start);
      unexpected();
    }
  }

  skipSpace();
  if (pos >= text.length) throw new ExpressionError("the expression is empty", 0);
  const node = expression();
  skipSpace();
  if (pos < text.length) unexpected();
  return node;
}

/** The parameter of each argument of a call, or an error message when the arguments do not fit. */
function callParams(name: string, args: readonly (ExpressionNode | null)[]): Param[] | string {
  const sig = EXPRESSION_FUNCTIONS[name];
  if (sig.variants) {
    const variant = sig.variants.find((v) => v.length === args.length);
    return variant ? [...variant] : `${name} takes ${sig.variants.map((v) => v.length).join(" or ")} arguments, got ${args.length}`;
  }
  const fixed = sig.params.length;
  const needed = sig.params.reduce((acc, q, i) => (q.optional ? acc : i + 1), 0);
  const restCount = Math.max(0, args.length - fixed);
  if (!sig.rest && args.length > fixed) return `${name} takes at most ${fixed} argument${fixed === 1 ? "" : "s"}, got ${args.length}`;
  if (args.length < needed || (sig.rest && restCount < sig.rest.min)) {
    const min = sig.rest ? fixed + sig.rest.min : needed;
    return `${name} needs at least ${min} argument${min === 1 ? "" : "s"}, got ${args.length}`;
  }
  const params: Param[] = sig.params.slice(0, Math.min(fixed, args.length));
  if (sig.rest) {
    const group = sig.rest.keys.length;
    if (restCount % group !== 0) return `${name} takes ${sig.rest.keys.join("/")} arguments in groups of ${group}, got ${restCount} after the first ${fixed}`;
    for (let i = 0; i < restCount; i++) params.push({ key: sig.rest.keys[i % group] });
  }
  return params;
}

function checkCall(node: Extract<ExpressionNode, { kind: "call" }>, position: number): ExpressionNode {
  if (!Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, node.name)) {
    const near = Object.keys(EXPRESSION_FUNCTIONS).find((f) => f.toLowerCase() === node.name.toLowerCase());
    throw new ExpressionError(
      near ? `unknown function ${node.name} (names are case-sensitive: did you mean ${near}?)` : `unknown function ${node.name}; known functions: ${Object.keys(EXPRESSION_FUNCTIONS).join(", ")}`,
      position,
    );
  }
  const params = callParams(node.name, node.args);
  if (typeof params === "string") throw new ExpressionError(params, position);
  node.args.forEach((a, i) => {
    if (a === null && !params[i].optional) throw new ExpressionError(`${node.name}: argument ${i + 1} (${params[i].key}) cannot be left empty`, position);
  });
  return node;
}

/**
 * Parses an expression. A bare attribute name is not an expression: callers expand the catalog's
 * shorthand first (`normalizeSource` in merge.ts). Throws {@link ExpressionError}.
 */
export function parseExpression(text: string): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`expressions are limited to ${MAX_EXPRESSION_LENGTH} characters, got ${text.length}`, MAX_EXPRESSION_LENGTH);
  return parseText(text);
}

/** An error message for an invalid expression, or undefined when it can be written to Graph. */
export function validateExpression(text: string): string | undefined {
  try {
    parseExpression(text);
    return undefined;
  } catch (e) {
    if (e instanceof ExpressionError) return `invalid expression: ${e.message}`;
    throw e;
  }
}

/** A string constant as written in an expression. */
export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The canonical text of a node, in the form Microsoft's parseExpression returns (`f(a, , b)`). */
export function printExpression(node: ExpressionNode): string {
  switch (node.kind) {
    case "attribute":
      return `[${node.name}]`;
    case "string":
      return quoteString(node.value);
    case "number":
      return node.text;
    case "call":
      return `${node.name}(${node.args.map((a) => (a ? printExpression(a) : "")).join(", ")})`;
  }
}

/** The canonical form of an expression for comparisons; unparsable text is only trimmed. */
export function canonicalExpression(text: string): string {
  try {
    return printExpression(parseExpression(text));
  } catch {
    return text.trim();
  }
}

function nodeToSource(node: ExpressionNode): AttributeMappingSource {
  switch (node.kind) {
    case "attribute":
      return { expression: `[${node.name}]`, name: node.name, parameters: [], type: "Attribute" };
    case "string":
      return { expression: quoteString(node.value), name: node.value, parameters: [], type: "Constant" };
    case "number":
      return { expression: quoteString(node.text), name: node.text, parameters: [], type: "Constant" };
    case "call": {
      const params = callParams(node.name, node.args) as Param[];
      const parameters = node.args.flatMap((a, i) => (a ? [{ key: params[i].key, value: nodeToSource(a) }] : []));
      return { expression: printExpression(node), name: node.name, parameters, type: "Function" };
    }
  }
}

/** Graph's `attributeMappingSource` tree for an expression. Throws {@link ExpressionError}. */
export function toMappingSource(text: string): AttributeMappingSource {
  return nodeToSource(parseExpression(text));
}

/** Graph's `attributeMappingSource` for the portal's "Constant" mapping type. */
export function constantSource(value: string): AttributeMappingSource {
  return nodeToSource({ kind: "string", value });
}

/**
 * The expression text of a Graph `attributeMappingSource` (its own `expression` when present, else
 * rebuilt from the tree), in canonical form when it parses.
 */
export function fromMappingSource(source: { expression?: string | null; name?: string | null; type?: string | null; parameters?: readonly { value: unknown }[] | null }): string {
  if (typeof source.expression === "string" && source.expression.trim() !== "") return canonicalExpression(source.expression);
  const name = source.name ?? "";
  if (source.type === "Constant") return quoteString(name);
  if (source.type === "Function") {
    const args = (source.parameters ?? []).map((pv) => fromMappingSource((pv.value ?? {}) as Parameters<typeof fromMappingSource>[0]));
    return `${name}(${args.join(", ")})`;
  }
  return `[${name}]`;
}
