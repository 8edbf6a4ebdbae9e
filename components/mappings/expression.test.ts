import fc from "fast-check";
import { CATALOG } from "../catalog";
import { rouseSales } from "../catalog/rouse-sales";
import {
  canonicalExpression,
  constantSource,
  EXPRESSION_FUNCTIONS,
  ExpressionNode,
  fromMappingSource,
  parseExpression,
  printExpression,
  toMappingSource,
  validateExpression,
} from "./expression";
import { mergeObjectMappings, normalizeSource } from "./merge";

import { attribute as attr, constant } from "../../test/graph-emulator/fixtures";

describe("toMappingSource reproduces Microsoft's documented trees", () => {
  test("parseExpression example: Replace with omitted arguments (keys source/Find/Replacement, omitted ones dropped)", () => {
    // api-reference/v1.0/api/synchronization-synchronizationschema-parseexpression.md, request and response.
    expect(toMappingSource('Replace([preferredLanguage], "-", , , "_", ,  )')).toEqual({
      expression: 'Replace([preferredLanguage], "-", , , "_", , )',
      name: "Replace",
      parameters: [
        { key: "source", value: attr("preferredLanguage") },
        { key: "Find", value: constant("-") },
        { key: "Replacement", value: constant("_") },
      ],
      type: "Function",
    });
  });

  test("attributeMappingSource example: Mid with numbers written as quoted constants", () => {
    expect(toMappingSource("Mid([userPrincipalName], 1, 8)")).toEqual({
      expression: "Mid([userPrincipalName], 1, 8)",
      name: "Mid",
      parameters: [
        { key: "source", value: attr("userPrincipalName") },
        { key: "start", value: constant("1") },
        { key: "length", value: constant("8") },
      ],
      type: "Function",
    });
  });

  test("objectMapping example: Not([IsSoftDeleted]) and a direct attribute", () => {
    expect(toMappingSource("Not([IsSoftDeleted])")).toEqual({
      expression: "Not([IsSoftDeleted])",
      name: "Not",
      parameters: [{ key: "source", value: attr("IsSoftDeleted") }],
      type: "Function",
    });
    expect(toMappingSource("[mail]")).toEqual(attr("mail"));
  });

  test("the portal's Constant mapping type is a Constant source", () => {
    expect(constantSource('say "hi"')).toEqual({ expression: '"say \\"hi\\""', name: 'say "hi"', parameters: [], type: "Constant" });
  });
});

describe("every catalog expression parses", () => {
  const sources = Object.values(CATALOG).flatMap((preset) =>
    preset.objectMappings.flatMap((om) => om.attributeMappings.filter((m) => m.source !== undefined).map((m) => [`${preset.id} ${om.key} ${m.target}`, m.source!] as const)),
  );
  test.each(sources)("%s", (_label, source) => {
    expect(validateExpression(source)).toBeUndefined();
    expect(fromMappingSource(toMappingSource(source))).toBe(canonicalExpression(source));
  });

  test("Switch with an omitted default keeps the empty argument in the text and drops it from the tree", () => {
    const tree = toMappingSource('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
    expect(tree.expression).toBe('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
    expect(tree.parameters.map((q) => q.key)).toEqual(["source", "key", "value", "key", "value"]);
  });

  test("Join takes a separator and repeating sources", () => {
    expect(toMappingSource('Join(" ", [givenName], [surname])').parameters.map((q) => q.key)).toEqual(["separator", "source", "source"]);
  });
});

describe("validateExpression rejects what cannot be written, with the reason", () => {
  test.each([
    ["", /empty/],
    ["[mail", /no closing \]/],
    ["[]", /empty attribute name/],
    ['Join(" ", [givenName]', /not closed with \)/],
    ['Join(" , [givenName])', /not closed with "/],
    ["join(\" \", [a])", /case-sensitive: did you mean Join/],
    ["Frobnicate([a])", /unknown function Frobnicate/],
    ["Mid([a], 1)", /Mid needs at least 3 arguments, got 2/],
    ["Mid([a], , 2)", /argument 2 \(start\) cannot be left empty/],
    ["Not([a], [b])", /Not takes at most 1 argument, got 2/],
    ['Switch([a], "d", "k")', /needs at least 4 arguments, got 3/],
    ['Switch([a], "d", "k", "v", "k2")', /groups of 2/],
    ['IIF([country]="US", "a", "b")', /comparison operator =.*not documented by Microsoft/],
    ['IIF([n] <> "1", "a", "b")', /comparison operator <>/],
    ['Join("", [a] & [b])', /concatenation with &/],
    ["BitAnd(&HF, 3)", /hex literal/],
    ['InStr([a], "b", 1, vbTextCompare)', /bare identifiers/],
    ["'text'", /single-quoted/],
    ["[a] [b]", /unexpected "\[" at position 5/],
    ["mail", /not a function call.*\[mail\]/],
  ])("%j", (text, reason) => {
    expect(validateExpression(text)).toMatch(reason);
  });

  test("the 10,000-character limit", () => {
    const long = `Join("", ${Array.from({ length: 1000 }, () => "[givenName]").join(", ")})`;
    expect(long.length).toBeGreaterThan(10000);
    expect(validateExpression(long)).toMatch(/limited to 10000 characters/);
  });

  test("documented shapes are accepted: nested calls, empty arguments, whitespace before (, backslashes in regex text", () => {
    for (const ok of [
      'Replace([a],,"<regex>",,"x",,)',
      "SelectUniqueValue (Join(\"@\", [a], \"x.org\"), Join(\"@\", [b], \"x.org\"))",
      'Replace([mobile], , "\\\\d+", , "", , )',
      "FormatDateTime([hireDate], , \"yyyyMMdd\", \"dd.MM.yyyy\")",
      'FormatDateTime([hireDate], "yyyyMMdd", "dd.MM.yyyy")',
      "Now()",
      "DateAdd(\"d\", -10, Now())",
      "\n\tNot(\n[IsSoftDeleted]\n)\n",
    ]) {
      expect(validateExpression(ok)).toBeUndefined();
    }
  });
});

describe("print and parse agree (property)", () => {
  const names = ["givenName", "surname", "mail", "IsSoftDeleted", "extension_1a2b_costCenter"];
  const leaf: fc.Arbitrary<ExpressionNode> = fc.oneof(
    fc.constantFrom(...names).map((name) => ({ kind: "attribute" as const, name })),
    fc.string({ maxLength: 8 }).map((value) => ({ kind: "string" as const, value })),
    fc.integer({ min: -50, max: 500 }).map((n) => ({ kind: "number" as const, text: String(n) })),
  );
  const node: fc.Arbitrary<ExpressionNode> = fc.letrec<{ node: ExpressionNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("node"), tie("node")).map(([a, b]) => ({ kind: "call" as const, name: "Join", args: [{ kind: "string" as const, value: " " }, a, b] })),
      tie("node").map((a) => ({ kind: "call" as const, name: "Not", args: [a] })),
      fc.tuple(tie("node"), tie("node")).map(([a, b]) => ({ kind: "call" as const, name: "Switch", args: [a, null, { kind: "string" as const, value: "k" }, b] })),
    ),
  })).node;

  test("parse(print(ast)) = ast, canonical form is a fixpoint and ignores spacing", () => {
    fc.assert(
      fc.property(node, (ast) => {
        const text = printExpression(ast);
        expect(parseExpression(text)).toEqual(ast);
        expect(canonicalExpression(text)).toBe(text);
        // Re-space the separators only: a ", " inside a string literal is part of the value.
        const respaced = text
          .split(/("(?:[^"\\]|\\.)*")/)
          .map((part, i) => (i % 2 === 1 ? part : part.replace(/, /g, " ,\n  ")))
          .join("");
        expect(canonicalExpression(respaced)).toBe(text);
        // A number on its own is a Constant, whose text Graph writes quoted.
        expect(fromMappingSource(toMappingSource(text))).toBe(ast.kind === "number" ? `"${ast.text}"` : text);
      }),
      { numRuns: 300 },
    );
  });
});

test("in the function table, an optional parameter is followed only by optional ones (except documented variants)", () => {
  for (const sig of Object.values(EXPRESSION_FUNCTIONS)) {
    if (sig.variants) continue;
    const firstOptional = sig.params.findIndex((q) => q.optional);
    if (firstOptional >= 0) expect(sig.params.slice(firstOptional).every((q) => q.optional)).toBe(true);
  }
});

describe("merge.ts validates override sources", () => {
  const users = (attributes: { target: string; source?: string }[]) => ({ users: { attributes, scopingFilter: [] } });

  test("an invalid expression is an issue at app.mappings.users.attributes[i].source", () => {
    const { issues } = mergeObjectMappings(rouseSales, users([{ target: "name.formatted", source: 'Join(" ", [givenName]' }]));
    expect(issues).toEqual([{ path: ["users", "attributes", 0, "source"], received: 'Join(" ", [givenName]', message: expect.stringMatching(/invalid expression: Join\( opened at position 1 is not closed/) }]);
  });

  test("valid expressions and the bare-name shorthand pass", () => {
    const { issues, mappings } = mergeObjectMappings(rouseSales, users([{ target: "externalId", source: "objectId" }, { target: "name.formatted", source: 'Join(", ", [surname], [givenName])' }]));
    expect(issues).toEqual([]);
    expect(mappings[0].attributeMappings.find((m) => m.target === "externalId")?.source).toBe(normalizeSource("objectId"));
  });
});
