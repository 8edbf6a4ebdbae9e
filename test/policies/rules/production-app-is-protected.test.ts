import productionAppIsProtected from "../../../policies/rules/production-app-is-protected";
import { TYPES } from "../../../policies/lib/types";
import { app, find, runResourcePolicy } from "../support";

describe("production-app-is-protected: production apps survive a destroy", () => {
  test("Compliance: application and service principal protected in production", () => {
    const resources = app({ stack: "prod", protect: true });
    for (const type of [TYPES.applicationFromTemplate, TYPES.servicePrincipal]) {
      expect(runResourcePolicy(productionAppIsProtected, find(resources, type))).toEqual({ violations: [], urns: [] });
    }
  });

  test("Noncompliance 1: the application is not protected in production", () => {
    const out = runResourcePolicy(productionAppIsProtected, find(app({ stack: "prod", protect: false }), TYPES.applicationFromTemplate));
    expect(out.violations).toEqual(['rouse-sales-app is not protected in production stack "prod": deleting it would delete the provisioning job and every assignment with it.']);
  });

  test("Noncompliance 2: the service principal is not protected in a production stack named by pattern", () => {
    const out = runResourcePolicy(productionAppIsProtected, find(app({ stack: "contoso-prod" }), TYPES.servicePrincipal));
    expect(out.violations).toEqual([expect.stringMatching(/rouse-sales-sp is not protected in production stack "contoso-prod"/)]);
  });

  test("Noncompliance 3: a plain azuread Application is held to the same rule", () => {
    const out = runResourcePolicy(productionAppIsProtected, { type: TYPES.application, name: "crm-app", props: {}, stack: "prod" });
    expect(out.violations).toHaveLength(1);
  });

  test("not applicable outside production or to other resources", () => {
    expect(runResourcePolicy(productionAppIsProtected, find(app({ stack: "dev" }), TYPES.applicationFromTemplate)).notApplicable).toMatch(/"dev" is not a production stack/);
    expect(runResourcePolicy(productionAppIsProtected, find(app({ stack: "prod" }), TYPES.synchronizationJob)).notApplicable).toMatch(/only applies to resources of type/);
  });

  test("config: productionStacks", () => {
    const sp = find(app({ stack: "live-eu" }), TYPES.servicePrincipal);
    expect(runResourcePolicy(productionAppIsProtected, sp).notApplicable).toBeDefined();
    expect(runResourcePolicy(productionAppIsProtected, sp, { productionStacks: ["live-*"] }).violations).toHaveLength(1);
  });
});
