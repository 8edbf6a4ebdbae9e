import fc from "fast-check";
import { ALERT_WINDOW_MINUTES, INACTIVITY_WINDOW_MINUTES } from "../../stacks/config/monitoring";
import {
  alertRuleSpecs,
  AUDIT_TABLE,
  failedProvisioningQuery,
  isoDuration,
  kqlString,
  nameSlug,
  parseSynchronizationJobId,
  PROVISIONING_TABLE,
  provisioningActivityQuery,
  provisioningTarget,
  quarantineEventsQuery,
} from "./queries";

/**
 * A minimal scanner for the KQL the builders produce. It finds the double-quoted string
 * literals and decodes their escapes, and flags anything that would mean an input escaped its literal:
 * an unterminated literal, a raw line break inside one, an unknown escape, a single-quoted literal or a
 * `//` comment outside one (the builders emit neither).
 */
interface KqlScan {
  /** Decoded values of the double-quoted literals, in order. */
  readonly literals: string[];
  /** The query with every literal replaced by `"…"`: what KQL sees as operators and names. */
  readonly skeleton: string;
  readonly problems: string[];
}

const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', "'": "'", n: "\n", t: "\t", r: "\r" };

function scanKql(query: string): KqlScan {
  const literals: string[] = [];
  const problems: string[] = [];
  let skeleton = "";
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '"') {
      let value = "";
      let closed = false;
      i++;
      while (i < query.length) {
        const d = query[i];
        if (d === "\\") {
          const e = query[i + 1];
          if (e === undefined || !(e in ESCAPES)) problems.push(`unknown escape \\${e ?? ""} at ${i}`);
          else value += ESCAPES[e];
          i += 2;
        } else if (d === '"') {
          closed = true;
          i++;
          break;
        } else {
          if (d === "\n" || d === "\r") problems.push(`raw line break inside a literal at ${i}`);
          value += d;
          i++;
        }
      }
      if (!closed) problems.push("unterminated string literal");
      literals.push(value);
      skeleton += '"…"';
    } else if (c === "'") {
      problems.push(`single quote outside a literal at ${i}`);
      skeleton += c;
      i++;
    } else if (c === "/" && query[i + 1] === "/") {
      problems.push(`comment outside a literal at ${i}`);
      skeleton += "//";
      i += 2;
    } else {
      skeleton += c;
      i++;
    }
  }
  return { literals, skeleton, problems };
}

const SP = "3f2b9c1e-7a4d-4e8b-9c0f-1a2b3c4d5e6f";
const JOB = "scim.3f2b9c1e7a4d4e8b9c0f1a2b3c4d5e6f.5ef3be57-f45f-4512-88c4-68a7fda680bb";
const bySp = provisioningTarget(SP, undefined, "Rouse Sales");
const byJob = provisioningTarget(SP, JOB, "Rouse Sales");
/** Text biased towards the characters that could end a literal, plus any other allowed code point. */
const trickyText = (minLength = 0) =>
  fc
    .string({ minLength, unit: fc.oneof(fc.constantFrom('"', "\\", "\n", "\r", "\t", "'", "/", "|", "@"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })) })
    .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s));
const ALERTS = { failureThreshold: 25, failureWindowMinutes: 30, inactivityWindowMinutes: 180, severity: 1 };

/** Lines of a query that are not blank. */
const lines = (q: string) => q.split("\n").filter((l) => l.trim() !== "");

describe("kqlString", () => {
  it("quotes and escapes backslash, double quote, tab and line breaks", () => {
    expect(kqlString(`a"b\\c\td\ne\rf`)).toBe(`"a\\"b\\\\c\\td\\ne\\rf"`);
    expect(kqlString("")).toBe(`""`);
  });

  it("rejects control characters that have no KQL escape, naming the code point", () => {
    expect(() => kqlString("Rouse\u0000Sales")).toThrow(/control character U\+0000/);
    expect(() => kqlString("x\u001b")).toThrow(/U\+001B/);
  });

  it("round-trips any text without such control characters (property)", () => {
    fc.assert(
      fc.property(trickyText(), (s) => {
        const scan = scanKql(`print x = ${kqlString(s)}`);
        expect(scan.problems).toEqual([]);
        expect(scan.literals).toEqual([s]);
        expect(scan.skeleton).toBe(`print x = "…"`);
      }),
    );
  });
});

describe("parseSynchronizationJobId", () => {
  it("accepts a bare job id", () => {
    expect(parseSynchronizationJobId(JOB)).toEqual({ jobId: JOB });
  });

  it("takes the last segment of the azuread SynchronizationJob id and remembers the service principal", () => {
    expect(parseSynchronizationJobId(`/servicePrincipals/${SP}/synchronization/jobs/${JOB}`)).toEqual({ jobId: JOB, servicePrincipalObjectId: SP });
  });

  it.each([[""], [`scim."x`], ["a/b"], [`/servicePrincipals/${SP}/synchronization/jobs/`], [`/servicePrincipals/${SP}/jobs/${JOB}`], ["job id"]])(
    "rejects %j with the forms it accepts",
    (bad) => {
      expect(() => parseSynchronizationJobId(bad)).toThrow(/is not a synchronization job id: expected .*\/servicePrincipals\/\{id\}\/synchronization\/jobs\/\{jobId\}/);
    },
  );
});

describe("provisioningTarget", () => {
  it("requires the service principal object id to be a GUID", () => {
    expect(() => provisioningTarget(`/servicePrincipals/${SP}`, undefined, "x")).toThrow(/servicePrincipalObjectId must be .*\(a bare GUID\); received "\/servicePrincipals\//);
  });

  it("rejects a job of another service principal", () => {
    const other = "00000000-0000-0000-0000-000000000001";
    expect(() => provisioningTarget(SP, `/servicePrincipals/${other}/synchronization/jobs/${JOB}`, "x")).toThrow(
      new RegExp(`belongs to service principal ${other}, not to servicePrincipalObjectId ${SP}`),
    );
  });

  it("treats an empty job id as unknown", () => {
    expect(provisioningTarget(SP, "", "x")).toEqual({ servicePrincipalObjectId: SP, appDisplayName: "x" });
  });
});

describe("queries", () => {
  it("failures: this app's failed events in AADProvisioningLogs, by service principal when the job is unknown", () => {
    const q = failedProvisioningQuery(bySp);
    expect(lines(q)).toEqual([
      "AADProvisioningLogs",
      `| where tostring(parse_json(ServicePrincipal).Id) == "${SP}"`,
      `| where ResultType =~ "Failure"`,
      `| extend App = "Rouse Sales", ErrorCode = ResultSignature`,
      "| project TimeGenerated, App, JobId, CycleId, ErrorCode, ResultDescription, SourceIdentity, TargetIdentity",
    ]);
  });

  it("failures: filter on the job id when it is known, and not on the service principal", () => {
    const q = failedProvisioningQuery(byJob);
    expect(lines(q)[1]).toBe(`| where JobId == "${JOB}"`);
    expect(q).not.toContain("ServicePrincipal");
  });

  it("inactivity: every event of the app, whatever its result", () => {
    const q = provisioningActivityQuery(byJob);
    expect(lines(q)[0]).toBe(PROVISIONING_TABLE);
    expect(lines(q)[1]).toBe(`| where JobId == "${JOB}"`);
    expect(q).not.toMatch(/ResultType\s*(==|=~)/);
  });

  it("quarantine: Quarantine activities in AuditLogs that mention the service principal or the job", () => {
    const q = quarantineEventsQuery(byJob);
    expect(lines(q)[0]).toBe(AUDIT_TABLE);
    expect(q).toContain(`| where OperationName =~ "Quarantine"`);
    expect(scanKql(q).literals).toEqual(expect.arrayContaining([SP, JOB]));
    expect(quarantineEventsQuery(bySp)).not.toContain("scim.");
  });

  it.each([
    ["failures", failedProvisioningQuery],
    ["inactivity", provisioningActivityQuery],
    ["quarantine", quarantineEventsQuery],
  ])("%s: a quote, backslash, line break or comment in the app name stays inside its literal", (_, build) => {
    const name = `Rouse "Sales" \\ x' | take 0\n// dropped`;
    const scan = scanKql(build(provisioningTarget(SP, JOB, name)));
    expect(scan.problems).toEqual([]);
    expect(scan.literals).toContain(name);
    expect(scan.skeleton).not.toContain("take 0");
    expect(scan.skeleton).toContain(`| extend App = "…"`);
  });

  it("keep every generated query well-formed for arbitrary app names (property)", () => {
    fc.assert(
      fc.property(trickyText(1), fc.boolean(), (n, withJob) => {
        const target = provisioningTarget(SP, withJob ? JOB : undefined, n);
        for (const q of [failedProvisioningQuery(target), provisioningActivityQuery(target), quarantineEventsQuery(target)]) {
          const scan = scanKql(q);
          expect(scan.problems).toEqual([]);
          expect(scan.literals).toContain(n);
        }
      }),
    );
  });
});

describe("isoDuration", () => {
  it.each([
    [5, "PT5M"],
    [45, "PT45M"],
    [60, "PT1H"],
    [360, "PT6H"],
    [1440, "P1D"],
    [2880, "P2D"],
  ])("%d minutes is %s", (m, iso) => expect(isoDuration(m)).toBe(iso));

  it("maps every window the config allows onto a duration Azure accepts", () => {
    const azure = ["PT5M", "PT10M", "PT15M", "PT30M", "PT45M", "PT1H", "PT2H", "PT3H", "PT4H", "PT5H", "PT6H", "P1D", "P2D"];
    expect(ALERT_WINDOW_MINUTES.map(isoDuration)).toEqual(azure);
  });

  it("rejects non-positive or fractional minutes", () => {
    expect(() => isoDuration(0)).toThrow(/positive whole number of minutes; received 0/);
    expect(() => isoDuration(1.5)).toThrow(/received 1.5/);
  });
});

describe("nameSlug", () => {
  it("keeps lowercase letters and digits, with single dashes between", () => {
    expect(nameSlug("Rouse Sales (EU) — prod!")).toBe("rouse-sales-eu-prod");
    expect(nameSlug("--Ä--")).toBe("app");
    expect(nameSlug("a".repeat(80), 10)).toBe("aaaaaaaaaa");
    expect(nameSlug("abcdefghi jklm", 10)).toBe("abcdefghi");
  });
});

describe("alertRuleSpecs", () => {
  const specs = alertRuleSpecs({ tenantName: "contoso", appDisplayName: "Rouse Sales", alerts: ALERTS });
  const byRole = Object.fromEntries(specs.map((s) => [s.role, s]));

  it("defines failures, inactivity and quarantine rules with distinct, name-safe Azure names", () => {
    expect(specs.map((s) => s.role)).toEqual(["failures", "inactive", "quarantine"]);
    expect(specs.map((s) => s.ruleName)).toEqual([
      "contoso-rouse-sales-provisioning-failures",
      "contoso-rouse-sales-provisioning-inactive",
      "contoso-rouse-sales-provisioning-quarantine",
    ]);
  });

  it("failures: more than the configured threshold in the configured window", () => {
    expect(byRole.failures).toMatchObject({ operator: "GreaterThan", threshold: 25, windowMinutes: 30, evaluationFrequencyMinutes: 15, severity: 1, table: PROVISIONING_TABLE });
    expect(byRole.failures.description).toContain("More than 25 failed provisioning events for Rouse Sales in 30 minutes");
  });

  it("inactivity: fewer than one event in the inactivity window", () => {
    expect(byRole.inactive).toMatchObject({ operator: "LessThan", threshold: 1, windowMinutes: 180, evaluationFrequencyMinutes: 60, severity: 1, table: PROVISIONING_TABLE });
  });

  it("quarantine: any quarantine event in the last hour", () => {
    expect(byRole.quarantine).toMatchObject({ operator: "GreaterThan", threshold: 0, windowMinutes: 60, evaluationFrequencyMinutes: 15, table: AUDIT_TABLE });
  });

  it("each rule's query reads the table the rule names", () => {
    for (const s of specs) expect(lines(s.query(byJob))[0]).toBe(s.table);
  });

  it("never evaluates less often than the window, for every allowed window", () => {
    for (const f of ALERT_WINDOW_MINUTES) {
      for (const i of INACTIVITY_WINDOW_MINUTES) {
        for (const s of alertRuleSpecs({ tenantName: "t", appDisplayName: "a", alerts: { ...ALERTS, failureWindowMinutes: f, inactivityWindowMinutes: i } })) {
          expect(s.evaluationFrequencyMinutes).toBeLessThanOrEqual(s.windowMinutes);
          expect(ALERT_WINDOW_MINUTES).toContain(s.windowMinutes);
        }
      }
    }
  });

  it("point each rule at its runbook section", () => {
    expect(specs.map((s) => s.runbook)).toEqual([
      "docs/monitoring.md#provisioning-failures",
      "docs/monitoring.md#no-provisioning-activity",
      "docs/monitoring.md#provisioning-quarantined",
    ]);
  });
});
