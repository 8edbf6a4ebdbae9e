import { genericScim } from "../../../components/catalog/generic-scim";
import oauthAppsWriteNoCredentials from "../../../policies/rules/oauth-apps-write-no-credentials";
import { TYPES } from "../../../policies/lib/types";
import { app, FakeResource, find, runStackPolicy, urnOf, withProps } from "../support";

const writing = (resources: FakeResource[], pairs: { key: string; value: string }[]) =>
  withProps(resources, find(resources, TYPES.synchronizationSecret).name, (p) => ({ ...p, credentials: [...pairs, ...p.credentials] }));

describe("oauth-apps-write-no-credentials: the admin's Authorize is never overwritten", () => {
  test("Compliance: Rouse Sales (OAuth) writes settings only", () => {
    expect(runStackPolicy(oauthAppsWriteNoCredentials, app())).toEqual({ violations: [], urns: [] });
  });

  test("Compliance: a token app (generic SCIM) may write its token", () => {
    const resources = writing(app({ preset: genericScim }), [{ key: "BaseAddress", value: "https://scim.acme.example" }, { key: "SecretToken", value: "t" }]);
    expect(runStackPolicy(oauthAppsWriteNoCredentials, resources).violations).toEqual([]);
  });

  test("Noncompliance 1: a secret token written for Rouse Sales", () => {
    const resources = writing(app(), [{ key: "BaseAddress", value: "https://rouse.example" }, { key: "SecretToken", value: "t" }]);
    const out = runStackPolicy(oauthAppsWriteNoCredentials, resources);
    expect(out.violations).toEqual(['component "rouse-sales": Rouse Sales is authorized with OAuth in the portal, but the secrets document writes SecretToken; that overwrites the admin\'s authorization.']);
    expect(out.urns).toEqual([urnOf(find(resources, TYPES.synchronizationSecret))]);
  });

  test("Noncompliance 2: OAuth tokens written by the stack", () => {
    const resources = writing(app(), [{ key: "Oauth2AccessToken", value: "a" }, { key: "Oauth2RefreshToken", value: "r" }]);
    expect(runStackPolicy(oauthAppsWriteNoCredentials, resources).violations).toEqual([expect.stringMatching(/writes Oauth2AccessToken, Oauth2RefreshToken;/)]);
  });

  test("config: tokenModeAllowedFor lets a preset whose vendor issued a token use token mode", () => {
    const resources = writing(app(), [{ key: "SecretToken", value: "t" }]);
    expect(runStackPolicy(oauthAppsWriteNoCredentials, resources, { tokenModeAllowedFor: ["rouse-sales"] })).toEqual({ violations: [], urns: [], notApplicable: expect.any(String) });
    expect(() => runStackPolicy(oauthAppsWriteNoCredentials, resources, { tokenModeAllowedFor: ["rouse"] })).toThrow(/tokenModeAllowedFor\[0\]: expected one of "rouse-sales", "generic-scim"/);
  });

  test("not applicable without an OAuth app", () => {
    expect(runStackPolicy(oauthAppsWriteNoCredentials, app({ preset: genericScim })).notApplicable).toMatch(/no app from an OAuth preset/);
  });
});
