import deletionThresholdIsOn from "../../../policies/rules/deletion-threshold-is-on";
import { TYPES } from "../../../policies/lib/types";
import { app, find, runResourcePolicy, withProps } from "../support";

const secret = (stack: string, accidentalDeletions: { enabled: boolean; threshold: number }) =>
  find(app({ stack, settings: { accidentalDeletions } }), TYPES.synchronizationSecret);

describe("deletion-threshold-is-on: accidental-deletion prevention with a bounded threshold", () => {
  test("Compliance: on, at most the maximum (500 outside production, 100 in production)", () => {
    expect(runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: true, threshold: 500 }))).toEqual({ violations: [], urns: [] });
    expect(runResourcePolicy(deletionThresholdIsOn, secret("prod", { enabled: true, threshold: 100 })).violations).toEqual([]);
  });

  test("Noncompliance 1: prevention disabled", () => {
    expect(runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: false, threshold: 50 })).violations).toEqual([
      expect.stringMatching(/Accidental-deletion prevention is off \(DeleteThresholdEnabled is false\)/),
    ]);
  });

  test("Noncompliance 2: higher than the production maximum in a production stack", () => {
    for (const stack of ["prod", "prod-contoso", "contoso-prod", "PRODUCTION"]) {
      expect(runResourcePolicy(deletionThresholdIsOn, secret(stack, { enabled: true, threshold: 500 })).violations).toEqual([
        `The deletion threshold 500 is higher than the maximum 100 allowed in the production stack ${JSON.stringify(stack)}; lower app.provisioning.accidentalDeletions.threshold.`,
      ]);
    }
    // The same threshold is fine in a stack that is not production.
    expect(runResourcePolicy(deletionThresholdIsOn, secret("preprod", { enabled: true, threshold: 500 })).violations).toEqual([]);
  });

  test("Noncompliance 3: higher than the maximum outside production", () => {
    expect(runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: true, threshold: 501 })).violations).toEqual([expect.stringMatching(/threshold 501 is higher than the maximum 500 allowed in the stack "dev"/)]);
  });

  test("Noncompliance 4: a threshold that is not a whole number >= 1, or no settings at all", () => {
    const bad = withProps(app(), "rouse-sales-settings", (p) => ({
      ...p,
      credentials: p.credentials.map((c: { key: string }) => (c.key === "SyncNotificationSettings" ? { ...c, value: JSON.stringify({ Enabled: true, Recipients: "ops@contoso.example", DeleteThresholdEnabled: true, DeleteThresholdValue: "50" }) } : c)),
    }));
    expect(runResourcePolicy(deletionThresholdIsOn, find(bad, TYPES.synchronizationSecret)).violations).toEqual([expect.stringMatching(/must be a whole number of at least 1, received "50"/)]);
    const none = withProps(app(), "rouse-sales-settings", (p) => ({ ...p, credentials: p.credentials.filter((c: { key: string }) => c.key !== "SyncNotificationSettings") }));
    expect(runResourcePolicy(deletionThresholdIsOn, find(none, TYPES.synchronizationSecret)).violations).toEqual([expect.stringMatching(/SyncNotificationSettings is not written/)]);
  });

  test("config: maxThreshold and productionMaxThreshold tighten the limits; productionStacks decides what is production", () => {
    expect(runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: true, threshold: 50 }), { maxThreshold: 20 }).violations).toEqual([expect.stringMatching(/maximum 20/)]);
    expect(runResourcePolicy(deletionThresholdIsOn, secret("prod", { enabled: true, threshold: 30 }), { productionMaxThreshold: 25 }).violations).toEqual([expect.stringMatching(/maximum 25 allowed in the production stack "prod"/)]);
    // The production maximum never loosens the general one.
    expect(runResourcePolicy(deletionThresholdIsOn, secret("prod", { enabled: true, threshold: 300 }), { maxThreshold: 200, productionMaxThreshold: 1000 }).violations).toEqual([expect.stringMatching(/maximum 200/)]);
    // A tenant stack named without "prod" is production when the patterns say so (config.prod.json uses "*").
    expect(runResourcePolicy(deletionThresholdIsOn, secret("contoso", { enabled: true, threshold: 300 }), { productionStacks: ["*"] }).violations).toEqual([expect.stringMatching(/production stack "contoso"/)]);
    expect(runResourcePolicy(deletionThresholdIsOn, secret("prod", { enabled: true, threshold: 300 }), { productionStacks: ["live-*"] }).violations).toEqual([]);
  });

  test("config: out-of-range values are refused", () => {
    expect(() => runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: true, threshold: 5 }), { maxThreshold: 0 })).toThrow(/maxThreshold: must be >= 1/);
    expect(() => runResourcePolicy(deletionThresholdIsOn, secret("dev", { enabled: true, threshold: 5 }), { productionMaxThreshold: 1.5 })).toThrow(/expected integer/);
  });
});
