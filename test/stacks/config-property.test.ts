/**
 * Property test over generated tenant configs: valid ones plan, invalid ones fail cleanly with
 * path-naming issues and register nothing, and no config crashes the program.
 */
import fc from "fast-check";
import { ConfigValidationError } from "../../stacks/config/errors";
import { resolveTenantConfig } from "../../stacks/config/load";
import { PROJECT } from "../../stacks/config/schema";
import { SCOPING_OPERATORS } from "../../components/mappings/scoping-operators";
import { runOffline } from "../../tools/plan/harness";
import { toRuntimeConfig } from "../support/tenant-config";

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join("-"));
/** Mostly-valid values with a chance of something wrong. */
const maybe = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: bad });

const clause = fc
  .record({
    attribute: maybe(fc.constantFrom("department", "jobTitle", "userPrincipalName", "accountEnabled", "employeeId"), fc.constantFrom("manager", "", "members")),
    operator: maybe(fc.constantFrom(...SCOPING_OPERATORS.map((o) => o.label)), fc.constantFrom("CONTAINS", "equals", 3)),
    value: maybe(fc.constantFrom("Sales", "10", ".*@contoso\\.com"), fc.constantFrom("(unclosed", 7, "ten")),
  })
  // Unary operators mostly come without a value, as a person would write them.
  .map((c) => (SCOPING_OPERATORS.find((o) => o.label === c.operator)?.arity === "Unary" && c.value !== "(unclosed" ? { attribute: c.attribute, operator: c.operator } : c));

const attributeOverride = fc.record({
  target: maybe(fc.constantFrom("userName", "externalId", "active", "name.givenName", "name.formatted"), fc.constantFrom("title", "", "nickName")),
  source: fc.option(maybe(fc.constantFrom("mail", "[employeeId]", 'Join(".", [givenName], [surname])', "ToLower([userPrincipalName])"), fc.constant(42)), { nil: undefined }),
  matchingPriority: fc.option(maybe(fc.constant(0), fc.constantFrom(-1, 1.5, "1", 1, 2)), { nil: undefined }),
  remove: fc.option(maybe(fc.constant(false), fc.constant(true)), { nil: undefined }),
}, { requiredKeys: ["target"] });

const tenantConfig = fc.record({
  tenant: maybe(
    fc.record({ id: maybe(guid, fc.constantFrom("contoso.onmicrosoft.com", "")), name: maybe(fc.constantFrom("contoso", "fabrikam-dev"), fc.constantFrom("Has Space", "")), environment: maybe(fc.constantFrom("dev", "test"), fc.constantFrom("staging", null)) }),
    fc.constantFrom(undefined, "tenant", []),
  ),
  app: fc.record({
    preset: maybe(fc.constant("rouse-sales"), fc.constantFrom("salesforce", "")),
    owners: fc.array(guid, { maxLength: 2 }),
    assignments: fc.record({ groups: fc.uniqueArray(fc.record({ objectId: maybe(guid, fc.constant("not-a-guid")), displayName: fc.constantFrom("SG-A", "SG-B") }), { maxLength: 4, selector: (g) => g.objectId }) }),
    provisioning: fc.record({
      synchronizationTemplateId: maybe(fc.constant("rouseSales"), fc.constantFrom("has space", undefined)),
      notificationEmail: maybe(fc.constantFrom("ops@contoso.example", "idm+alerts@fabrikam.example"), fc.constantFrom("nobody", "")),
      oauthAuthorized: fc.boolean(),
      scope: maybe(fc.constantFrom("assignedOnly", "allUsersAndGroups"), fc.constant("all")),
      accidentalDeletions: fc.record({ enabled: fc.boolean(), threshold: maybe(fc.integer({ min: 1, max: 100000 }), fc.constantFrom(0, -5, 2.5, 10 ** 7)) }),
    }),
    mappings: fc.record({ users: fc.record({ attributes: fc.uniqueArray(attributeOverride, { maxLength: 2, selector: (a) => a.target }), scopingFilter: fc.array(fc.record({ name: fc.constantFrom("f1", "f2"), clauses: fc.array(clause, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }) }) }),
  }),
});

function classify(values: Record<string, unknown>) {
  try {
    return { ok: true as const, resolved: resolveTenantConfig({ values, hasScimToken: false, unknownKeys: [] }) };
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e; // anything else is a crash
    return { ok: false as const, error: e };
  }
}

describe("generated tenant configs", () => {
  it("are either valid or rejected with path-naming issues, never a crash (1,000 configs)", () => {
    let valid = 0;
    fc.assert(
      fc.property(tenantConfig, (values) => {
        const r = classify(values as Record<string, unknown>);
        if (r.ok) valid++;
        else {
          expect(r.error.issues.length).toBeGreaterThan(0);
          for (const issue of r.error.issues) expect(issue.path.startsWith(`${PROJECT}:`)).toBe(true);
        }
      }),
      { numRuns: 1000, seed: 20261203 },
    );
    // The generator must exercise both sides, or the property proves little.
    expect(valid).toBeGreaterThan(50);
    expect(valid).toBeLessThan(950);
  });

  it("plan when valid and register nothing when invalid (60 full program runs)", async () => {
    const samples = fc.sample(tenantConfig, { numRuns: 60, seed: 42 });
    let planned = 0;
    for (const values of samples) {
      const verdict = classify(values as Record<string, unknown>);
      const run = await runOffline({ project: PROJECT, stack: "prop", ...toRuntimeConfig(values as Record<string, unknown>) });
      if (verdict.ok) {
        expect(run.error).toBeUndefined();
        planned++;
        const groups = verdict.resolved.config.app.assignments.groups.length;
        // provider, component, app, sp, settings, job, schema + one assignment per group
        expect(run.resources).toHaveLength(7 + groups);
      } else {
        expect(run.error).toBeInstanceOf(ConfigValidationError);
        expect(run.resources).toEqual([]);
      }
    }
    expect(planned).toBeGreaterThan(3);
  });
});
