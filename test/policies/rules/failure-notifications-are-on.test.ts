import failureNotificationsAreOn from "../../../policies/rules/failure-notifications-are-on";
import { TYPES } from "../../../policies/lib/types";
import { app, FakeResource, find, runResourcePolicy, UNKNOWN, withProps } from "../support";

const secretOf = (resources: FakeResource[]) => find(resources, TYPES.synchronizationSecret);
const withNotification = (value: string | undefined): FakeResource =>
  secretOf(
    withProps(app(), "rouse-sales-settings", (p) => ({
      ...p,
      credentials: p.credentials.flatMap((c: { key: string }) => (c.key !== "SyncNotificationSettings" ? [c] : value === undefined ? [] : [{ ...c, value }])),
    })),
  );

describe("failure-notifications-are-on: quarantine and failure emails reach someone", () => {
  test("Compliance: failure emails on, one notification address", () => {
    expect(runResourcePolicy(failureNotificationsAreOn, secretOf(app()))).toEqual({ violations: [], urns: [] });
  });

  test("Noncompliance 1: failure emails off", () => {
    const out = runResourcePolicy(failureNotificationsAreOn, secretOf(app({ settings: { sendFailureEmails: false } })));
    expect(out.violations).toEqual([expect.stringMatching(/Failure emails are off \(SyncNotificationSettings.Enabled is false\)/)]);
  });

  test("Noncompliance 2: no notification email, or not an email address", () => {
    for (const recipients of ["", "ops", "ops@contoso.example; sec@contoso.example"]) {
      const out = runResourcePolicy(failureNotificationsAreOn, withNotification(JSON.stringify({ Enabled: true, Recipients: recipients, DeleteThresholdEnabled: true, DeleteThresholdValue: 50 })));
      expect(out.violations).toEqual([`The notification email (SyncNotificationSettings.Recipients) must be one email address, received ${JSON.stringify(recipients)}.`]);
    }
  });

  test("Noncompliance 3: SyncNotificationSettings not written, or not JSON", () => {
    expect(runResourcePolicy(failureNotificationsAreOn, withNotification(undefined)).violations).toEqual([expect.stringMatching(/does not write SyncNotificationSettings/)]);
    expect(runResourcePolicy(failureNotificationsAreOn, withNotification("Enabled=true")).violations).toEqual([expect.stringMatching(/not a JSON object, Graph rejects it: "Enabled=true"/)]);
  });

  test("config: allowedRecipientDomains keeps the address inside the organisation (domain or subdomain)", () => {
    const at = (email: string) => secretOf(app({ settings: { notificationEmail: email } }));
    const cfg = { allowedRecipientDomains: ["contoso.example"] };
    expect(runResourcePolicy(failureNotificationsAreOn, at("ops@contoso.example"), cfg).violations).toEqual([]);
    expect(runResourcePolicy(failureNotificationsAreOn, at("ops@it.Contoso.example"), cfg).violations).toEqual([]);
    expect(runResourcePolicy(failureNotificationsAreOn, at("ops@gmail.example"), cfg).violations).toEqual([
      "The notification email ops@gmail.example is not at an allowed domain (contoso.example).",
    ]);
    expect(runResourcePolicy(failureNotificationsAreOn, at("ops@notcontoso.example"), cfg).violations).toHaveLength(1);
  });

  test("config: a domain that is not a domain name is refused", () => {
    expect(() => runResourcePolicy(failureNotificationsAreOn, secretOf(app()), { allowedRecipientDomains: ["@contoso"] })).toThrow(/allowedRecipientDomains\[0\]: must match/);
  });

  test("an unknown service principal id does not stop it; unknown credentials do (advisory in preview)", () => {
    expect(runResourcePolicy(failureNotificationsAreOn, secretOf(app())).unknown).toBeUndefined();
    const unknown = secretOf(withProps(app(), "rouse-sales-settings", (p) => ({ ...p, credentials: UNKNOWN })));
    expect(runResourcePolicy(failureNotificationsAreOn, unknown).unknown).toMatch(/credentials can't be known during preview/);
  });

  test("not applicable to other resources", () => {
    expect(runResourcePolicy(failureNotificationsAreOn, find(app(), TYPES.synchronizationJob)).notApplicable).toBeDefined();
  });
});
