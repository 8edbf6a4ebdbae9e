/**
 * From one parsed state to the facts an auditor asks for, per tenant and app: which app, who is
 * assigned, scope and scoping filters, the matching attribute, who gets failure emails, the deletion
 * threshold, whether the job runs, when it last changed, and the resources behind each answer.
 *
 * Facts are read from redacted values only (values.ts), so a secret can never become a fact. Each fact
 * comes from the resource that holds it in Entra terms (the secrets document, the job, the schema
 * declaration, the assignments); when that resource is missing or its value is encrypted, the app's
 * recorded summary (the component's outputs, the stack outputs) answers instead, and the report says so.
 * A state from an interrupted or failing update is still described: what is missing and why is listed.
 */
import { createHash } from "crypto";
import { parseNotificationSettings } from "../../components/provisioning/settings";
import { ParsedState, StateResource, urnName } from "./state";
import { countSecrets, inventorySecrets, isSecretValue, redact, SECRET_MARK, SecretInventory, UNKNOWN_MARK } from "./values";

export const TYPES = {
  stack: "pulumi:pulumi:Stack",
  component: "entra-app-provisioning:index:EnterpriseAppProvisioning",
  application: "azuread:index/applicationFromTemplate:ApplicationFromTemplate",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  settings: "azuread:index/synchronizationSecret:SynchronizationSecret",
  job: "azuread:index/synchronizationJob:SynchronizationJob",
  dynamic: "pulumi-nodejs:dynamic:Resource",
  azureadProvider: "pulumi:providers:azuread",
} as const;
export const SCHEMA_KIND = "entra-app-provisioning:SynchronizationSchema";

/** Where a fact was read: the resource that holds it, or the recorded summary when it could not be. */
export type FactSource = "resource" | "summary" | "none";

export interface Fact<T> {
  readonly value?: T;
  readonly source: FactSource;
  /** Why the value is missing or came from the summary. */
  readonly note?: string;
}

export type Severity = "error" | "warning" | "info";
export interface Finding {
  readonly severity: Severity;
  readonly message: string;
  /** Logical name of the resource it is about, if any. */
  readonly resource?: string;
}

export interface ResourceRow {
  readonly name: string;
  readonly type: string;
  readonly urn: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly protect: boolean;
  readonly created?: string;
  readonly modified?: string;
  /** ok; failed (initErrors); pending (an operation was interrupted); deleting (delete: true, a replaced resource); external. */
  readonly status: "ok" | "failed" | "pending" | "deleting" | "external";
  readonly notes: readonly string[];
}

export interface ScopingFilterFact {
  readonly object: string;
  readonly name: string;
  readonly clauses: readonly { readonly attribute: string; readonly operator: string; readonly values: readonly string[] }[];
}
export interface MatchingFact {
  readonly object: string;
  readonly target: string;
  readonly source: string;
  readonly priority: number;
}
export interface MappingFact {
  readonly object: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly attributeCount: number;
}
export interface GroupFact {
  readonly objectId: string;
  /** Name as configured (stack outputs). */
  readonly configuredName?: string;
  /** Name Entra returned for the principal when assigning (assignment outputs). */
  readonly entraName?: string;
  readonly role?: string;
  readonly assignmentId?: string;
  readonly status: "assigned" | "failed" | "pending" | "missing";
}

export interface AppAudit {
  readonly component: string;
  readonly componentUrn: string;
  readonly preset?: string;
  readonly displayName: Fact<string>;
  readonly galleryTemplateId?: string;
  readonly applicationObjectId?: string;
  readonly servicePrincipalObjectId?: string;
  readonly owners: readonly string[];
  readonly protect: { readonly application?: boolean; readonly servicePrincipal?: boolean };
  readonly assignmentRequired: Fact<boolean>;
  readonly appRole: Fact<string>;
  readonly groups: readonly GroupFact[];
  readonly scope: Fact<"assignedOnly" | "allUsersAndGroups">;
  readonly scopingFilters: Fact<readonly ScopingFilterFact[]>;
  readonly matching: Fact<readonly MatchingFact[]>;
  readonly mappings: Fact<readonly MappingFact[]>;
  readonly failureEmails: Fact<{ readonly enabled: boolean; readonly recipients: string }>;
  readonly deletionThreshold: Fact<{ readonly enabled: boolean; readonly value?: number }>;
  readonly skipOutOfScopeDeletions: Fact<boolean>;
  readonly credentials: {
    readonly mode?: "oauth" | "token";
    readonly oauthAuthorized?: boolean;
    /** Keys the secrets document writes; credential values are never shown. */
    readonly keysWritten: Fact<readonly string[]>;
    readonly tenantUrl: Fact<string>;
  };
  readonly job: {
    readonly present: boolean;
    readonly id?: string;
    readonly templateId?: string;
    readonly enabled?: boolean;
    readonly scheduleState?: string;
    readonly interval?: string;
    /** true: started; false: paused or disabled; undefined: not known (missing job). */
    readonly runs?: boolean;
    /** One line for people: "runs (schedule Active, every PT40M)". */
    readonly description: string;
  };
  /** The newest `modified` of the app's resources. */
  readonly lastChanged?: string;
  readonly missing: readonly string[];
}

export interface TenantAudit {
  readonly source: {
    readonly file: string;
    readonly envelope: "export" | "checkpoint";
    readonly schemaVersion: number;
    readonly features: readonly string[];
    readonly checkpointStack?: string;
  };
  readonly project: string;
  readonly stack: string;
  readonly tenant: { readonly id?: string; readonly name?: string; readonly environment?: string };
  /** `manifest.time`: when the last update that wrote this state started. */
  readonly lastUpdate: string;
  /** `manifest.version`: the Pulumi CLI that wrote it. */
  readonly pulumiVersion: string;
  /** Whether `manifest.magic` is sha256(version), as the CLI writes it; undefined when there is no version. */
  readonly manifestIntact?: boolean;
  readonly secrets: { readonly provider?: string; readonly encrypted: number; readonly decrypted: number };
  readonly guardrails: { readonly policyPackRecorded?: string; readonly protectedFromDeletion?: boolean; readonly monitoring?: boolean };
  readonly apps: readonly AppAudit[];
  readonly resources: readonly ResourceRow[];
  readonly pendingOperations: readonly { readonly type: string; readonly name: string; readonly resourceType: string; readonly urn: string }[];
  readonly findings: readonly Finding[];
}

/** A parsed state's resources with redacted values, indexed for lookups. */
export interface StateView {
  readonly state: ParsedState;
  readonly resources: readonly StateResource[];
  readonly inputsOf: (r: StateResource) => Record<string, unknown>;
  readonly outputsOf: (r: StateResource) => Record<string, unknown>;
  readonly inventory: SecretInventory;
}

export function viewState(state: ParsedState): StateView {
  const inputs = new Map<StateResource, Record<string, unknown>>();
  const outputs = new Map<StateResource, Record<string, unknown>>();
  for (const r of state.resources) {
    inputs.set(r, (redact(r.inputs ?? {}) as Record<string, unknown>) ?? {});
    outputs.set(r, (redact(r.outputs ?? {}) as Record<string, unknown>) ?? {});
  }
  const labelled = [
    ...state.resources.flatMap((r) => [
      { label: `${urnName(r.urn)}.inputs`, value: r.inputs },
      { label: `${urnName(r.urn)}.outputs`, value: r.outputs },
    ]),
    ...state.pendingOperations.flatMap((o) => [
      { label: `${urnName(o.resource.urn)}.inputs`, value: o.resource.inputs },
      { label: `${urnName(o.resource.urn)}.outputs`, value: o.resource.outputs },
    ]),
  ];
  return {
    state,
    resources: state.resources,
    inputsOf: (r) => inputs.get(r) ?? (redact(r.inputs ?? {}) as Record<string, unknown>),
    outputsOf: (r) => outputs.get(r) ?? (redact(r.outputs ?? {}) as Record<string, unknown>),
    inventory: inventorySecrets(labelled),
  };
}

// ---- small readers over redacted values -------------------------------------------------------------

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const readable = (v: unknown): boolean => v !== SECRET_MARK && v !== UNKNOWN_MARK && v !== undefined && v !== null;
const str = (v: unknown): string | undefined => (typeof v === "string" && readable(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : v === "true" || v === "True" ? true : v === "false" || v === "False" ? false : undefined);
const get = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((acc, k) => (acc && typeof acc === "object" ? (acc as Record<string | number, unknown>)[k] : undefined), o);

/** `2023-04-18T14:33:45.340415989-07:00` → epoch ms (JS keeps milliseconds only). */
export function timeOf(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? undefined : ms;
}
const newest = (times: readonly (string | undefined)[]): string | undefined => {
  let best: string | undefined;
  for (const t of times) if (timeOf(t) !== undefined && (best === undefined || timeOf(t)! > timeOf(best)!)) best = t;
  return best;
};

export const shortType = (type: string): string =>
  type
    .replace(/^azuread:index\/\w+:/, "azuread:")
    .replace(/^entra-app-provisioning:index:/, "")
    .replace(/^pulumi-nodejs:dynamic:Resource$/, "dynamic:Resource");

function resourceRow(view: StateView, r: StateResource, pendingUrns: ReadonlySet<string>): ResourceRow {
  const notes: string[] = [];
  let status: ResourceRow["status"] = "ok";
  if (r.initErrors?.length) {
    status = "failed";
    notes.push(`the last update failed to finish creating or updating it: ${r.initErrors.join("; ")}`);
  }
  if (pendingUrns.has(r.urn)) {
    status = "pending";
    notes.push("an operation on it was interrupted (see pending operations)");
  }
  if (r.delete) {
    status = "deleting";
    notes.push("a replaced copy waiting to be deleted by the next update");
  }
  if (r.pendingReplacement) notes.push("deleted before its replacement was created; the replacement is missing");
  if (r.external) {
    status = status === "ok" ? "external" : status;
    notes.push("read, not managed: Pulumi does not own its lifecycle");
  }
  if (r.taint) notes.push("tainted: the next update replaces it");
  const kind = view.inputsOf(r).resourceKind;
  return {
    name: urnName(r.urn),
    type: typeof kind === "string" && r.type === TYPES.dynamic ? `${r.type} (${kind.split(":").pop()})` : r.type,
    urn: r.urn,
    custom: r.custom,
    ...(r.id ? { id: r.id } : {}),
    protect: r.protect === true,
    ...(r.created ? { created: r.created } : {}),
    ...(r.modified ? { modified: r.modified } : {}),
    status,
    notes,
  };
}

interface Summary {
  app?: Record<string, unknown>;
  assignments?: Record<string, unknown>;
  provisioning?: Record<string, unknown>;
  mappings?: unknown[];
}

function scopingOf(objectMappings: unknown): ScopingFilterFact[] | undefined {
  if (!Array.isArray(objectMappings)) return undefined;
  return objectMappings.flatMap((m) =>
    Array.isArray(get(m, "scopingFilter"))
      ? (get(m, "scopingFilter") as unknown[]).map((g) => ({
          object: String(get(m, "key") ?? get(m, "object") ?? "?"),
          name: String(get(g, "name") ?? ""),
          clauses: (Array.isArray(get(g, "clauses")) ? (get(g, "clauses") as unknown[]) : []).map((c) => ({
            attribute: String(get(c, "attribute") ?? ""),
            operator: String(get(c, "operator") ?? ""),
            values: Array.isArray(get(c, "values")) ? (get(c, "values") as unknown[]).map(String) : get(c, "value") !== undefined ? [String(get(c, "value"))] : [],
          })),
        }))
      : [],
  );
}

function matchingOfDeclared(objectMappings: unknown): MatchingFact[] | undefined {
  if (!Array.isArray(objectMappings)) return undefined;
  return objectMappings.flatMap((m) =>
    (Array.isArray(get(m, "attributeMappings")) ? (get(m, "attributeMappings") as unknown[]) : [])
      .filter((a) => typeof get(a, "matchingPriority") === "number" && (get(a, "matchingPriority") as number) > 0)
      .map((a) => ({
        object: String(get(m, "key") ?? "?"),
        target: String(get(a, "target") ?? ""),
        source: get(a, "source") !== undefined ? String(get(a, "source")) : JSON.stringify(get(a, "constant") ?? ""),
        priority: get(a, "matchingPriority") as number,
      }))
      .sort((a, b) => a.priority - b.priority),
  );
}

function matchingOfSummary(mappings: unknown): MatchingFact[] | undefined {
  if (!Array.isArray(mappings)) return undefined;
  return mappings.flatMap((m) =>
    (Array.isArray(get(m, "matching")) ? (get(m, "matching") as unknown[]) : []).map((x) => ({
      object: String(get(m, "object") ?? "?"),
      target: String(get(x, "target") ?? ""),
      source: String(get(x, "source") ?? ""),
      priority: Number(get(x, "priority") ?? 0),
    })),
  );
}

function mappingsOf(objectMappings: unknown, fromSummary: boolean): MappingFact[] | undefined {
  if (!Array.isArray(objectMappings)) return undefined;
  return objectMappings.map((m) => ({
    object: String(get(m, fromSummary ? "object" : "key") ?? "?"),
    name: String(get(m, "name") ?? ""),
    enabled: get(m, "enabled") !== false,
    attributeCount: fromSummary ? Number(get(m, "attributeCount") ?? 0) : Array.isArray(get(m, "attributeMappings")) ? (get(m, "attributeMappings") as unknown[]).length : 0,
  }));
}

const fromResource = <T>(value: T | undefined, note?: string): Fact<T> | undefined => (value === undefined ? undefined : { value, source: "resource", ...(note ? { note } : {}) });
const fromSummary = <T>(value: T | undefined, why: string): Fact<T> | undefined => (value === undefined ? undefined : { value, source: "summary", note: why });
const none = <T>(why: string): Fact<T> => ({ source: "none", note: why });
const firstFact = <T>(why: string, ...facts: (Fact<T> | undefined)[]): Fact<T> => facts.find((f) => f !== undefined) ?? none<T>(why);

function auditApp(view: StateView, component: StateResource, summary: Summary | undefined, pendingByUrn: ReadonlyMap<string, string>, findings: Finding[]): AppAudit {
  const name = urnName(component.urn);
  const children = view.resources.filter((r) => r.parent === component.urn);
  const ofType = (type: string) => children.filter((r) => r.type === type);
  const pendingChildren = [...pendingByUrn.entries()].filter(([urn]) => view.state.pendingOperations.some((o) => o.resource.urn === urn && o.resource.parent === component.urn));
  const missing: string[] = [];
  const expect = (label: string, role: string, found: StateResource | undefined): StateResource | undefined => {
    if (found) return found;
    const logical = `${name}-${role}`;
    const pending = pendingChildren.find(([urn]) => urnName(urn) === logical);
    const why = pending
      ? `; the operation ${pending[1]} it was interrupted`
      : view.state.pendingOperations.length > 0
        ? "; the last update was interrupted before creating it"
        : "";
    missing.push(`${label} (${logical}): not in state${why}`);
    return undefined;
  };
  const app = expect("enterprise application", "app", ofType(TYPES.application)[0]);
  const sp = expect("service principal", "sp", ofType(TYPES.servicePrincipal)[0]);
  const settings = expect("provisioning settings (secrets document)", "settings", ofType(TYPES.settings)[0]);
  const job = expect("provisioning job", "job", ofType(TYPES.job)[0]);
  const schema = expect("schema declaration (mappings, matching, scoping)", "schema", ofType(TYPES.dynamic).find((r) => view.inputsOf(r).resourceKind === SCHEMA_KIND));
  const sumWhy = (what: string) => what;
  const s = summary ?? {};
  const sumApp = s.app ?? {};
  const sumAssign = s.assignments ?? {};
  const sumProv = s.provisioning ?? {};

  const appIn = app ? view.inputsOf(app) : {};
  const appOut = app ? view.outputsOf(app) : {};
  const spIn = sp ? view.inputsOf(sp) : {};
  const spOut = sp ? view.outputsOf(sp) : {};

  // Who is assigned: one assignment per group; names as configured and as Entra returned them.
  const roles = Array.isArray(spOut.appRoles) ? (spOut.appRoles as unknown[]) : [];
  const roleName = (id: unknown) => str(get(roles.find((r) => get(r, "id") === id), "displayName"));
  const configured = Array.isArray(sumAssign.groups) ? (sumAssign.groups as unknown[]) : [];
  const assignments = ofType(TYPES.assignment);
  const groups: GroupFact[] = [];
  const seen = new Set<string>();
  for (const a of assignments) {
    const ain = view.inputsOf(a);
    const aout = view.outputsOf(a);
    const objectId = str(ain.principalObjectId) ?? "?";
    seen.add(objectId.toLowerCase());
    const conf = configured.find((g) => String(get(g, "objectId")).toLowerCase() === objectId.toLowerCase());
    const entraName = str(aout.principalDisplayName);
    const configuredName = str(get(conf, "displayName"));
    groups.push({
      objectId,
      ...(configuredName ? { configuredName } : {}),
      ...(entraName ? { entraName } : {}),
      role: roleName(ain.appRoleId) ?? (ain.appRoleId === get(sumAssign, "appRoleId") ? str(sumAssign.appRole) : undefined) ?? str(ain.appRoleId),
      ...(a.id ? { assignmentId: a.id } : {}),
      status: a.initErrors?.length ? "failed" : "assigned",
    });
    if (configuredName && entraName && configuredName !== entraName) {
      findings.push({ severity: "warning", resource: urnName(a.urn), message: `group ${objectId} is configured as "${configuredName}" but Entra named it "${entraName}" when it was assigned` });
    }
  }
  for (const g of configured) {
    const objectId = String(get(g, "objectId") ?? "?");
    if (seen.has(objectId.toLowerCase())) continue;
    const logical = `${name}-group-${objectId.toLowerCase()}`;
    const pending = pendingChildren.find(([urn]) => urnName(urn) === logical);
    groups.push({ objectId, configuredName: str(get(g, "displayName")), status: pending ? "pending" : "missing" });
    missing.push(`assignment of group ${str(get(g, "displayName")) ?? objectId} (${logical}): not in state${pending ? `; the operation ${pending[1]} it was interrupted` : ""}`);
  }
  for (const o of view.state.pendingOperations) {
    if (o.resource.parent !== component.urn || o.resource.type !== TYPES.assignment) continue;
    const objectId = str(get(redact(o.resource.inputs ?? {}), "principalObjectId"));
    if (!objectId || groups.some((g) => g.objectId.toLowerCase() === objectId.toLowerCase())) continue;
    groups.push({ objectId, status: "pending" });
    missing.push(`assignment of group ${objectId} (${urnName(o.resource.urn)}): not in state; the operation ${o.type} it was interrupted`);
  }

  // The secrets document: scope, notifications, deletion threshold, out-of-scope deletions, credential keys.
  const settingsIn = settings ? view.inputsOf(settings) : {};
  const credentials = settingsIn.credentials;
  const settingsReadable = Array.isArray(credentials);
  const whyNotSettings = !settings
    ? "the settings resource is not in state"
    : credentials === SECRET_MARK
      ? "the settings document is encrypted in state (it holds a credential)"
      : "the settings document has no readable credentials list";
  const pairs = settingsReadable ? (credentials as unknown[]).map((c) => ({ key: String(get(c, "key")), value: get(c, "value") })) : [];
  const pair = (key: string) => pairs.find((p) => p.key === key);
  const syncAll = pair("SyncAll");
  const scopeFromDoc = syncAll && readable(syncAll.value) ? (bool(syncAll.value) ? "allUsersAndGroups" : "assignedOnly") : undefined;
  const notif = pair("SyncNotificationSettings");
  const parsedNotif = notif && readable(notif.value) ? parseNotificationSettings(notif.value) : undefined;
  const skip = pair("SkipOutOfScopeDeletions");
  const whyKey = (key: string) => (settingsReadable ? `the settings document writes no ${key}` : whyNotSettings);
  const sumThreshold = get(sumProv, "accidentalDeletions");

  const scope = firstFact<"assignedOnly" | "allUsersAndGroups">(
    whyKey("SyncAll"),
    fromResource(scopeFromDoc as "assignedOnly" | "allUsersAndGroups" | undefined),
    fromSummary(str(sumProv.scope) as "assignedOnly" | "allUsersAndGroups" | undefined, sumWhy(whyKey("SyncAll"))),
  );
  const failureEmails = firstFact<{ enabled: boolean; recipients: string }>(
    whyKey("SyncNotificationSettings"),
    parsedNotif ? fromResource({ enabled: parsedNotif.Enabled === true, recipients: String(parsedNotif.Recipients ?? "") }) : undefined,
    str(sumProv.notificationEmail) !== undefined
      ? fromSummary({ enabled: get(sumProv, "sendFailureEmails") === true, recipients: str(sumProv.notificationEmail)! }, sumWhy(whyKey("SyncNotificationSettings")))
      : undefined,
  );
  const deletionThreshold = firstFact<{ enabled: boolean; value?: number }>(
    whyKey("SyncNotificationSettings"),
    parsedNotif
      ? fromResource({ enabled: parsedNotif.DeleteThresholdEnabled !== false, ...(typeof parsedNotif.DeleteThresholdValue === "number" ? { value: parsedNotif.DeleteThresholdValue } : {}) })
      : undefined,
    isObj(sumThreshold) ? fromSummary({ enabled: sumThreshold.enabled === true, value: Number(sumThreshold.threshold) }, sumWhy(whyKey("SyncNotificationSettings"))) : undefined,
  );
  const skipOutOfScopeDeletions = firstFact<boolean>(
    whyKey("SkipOutOfScopeDeletions"),
    fromResource(skip && readable(skip.value) ? bool(skip.value) : undefined),
    fromSummary(typeof sumProv.skipOutOfScopeDeletions === "boolean" ? sumProv.skipOutOfScopeDeletions : undefined, sumWhy(whyKey("SkipOutOfScopeDeletions"))),
  );
  const keysWritten = firstFact<readonly string[]>(
    whyNotSettings,
    settingsReadable ? fromResource(pairs.map((p) => p.key)) : undefined,
    Array.isArray(sumProv.secretKeysWritten) ? fromSummary((sumProv.secretKeysWritten as unknown[]).map(String), sumWhy(whyNotSettings)) : undefined,
  );
  const base = pair("BaseAddress");
  const mode = (str(sumProv.credentialMode) as "oauth" | "token" | undefined) ?? (keysWritten.value?.includes("SecretToken") ? "token" : keysWritten.value ? "oauth" : undefined);
  const tenantUrl: Fact<string> =
    base && readable(base.value)
      ? { value: String(base.value), source: "resource" }
      : mode === "oauth"
        ? none("OAuth mode: the app is authorized in the portal, no tenant URL is written")
        : none(settingsReadable ? "not written" : whyNotSettings);

  // The job: does it run?
  const jobIn = job ? view.inputsOf(job) : {};
  const jobOut = job ? view.outputsOf(job) : {};
  const schedule = Array.isArray(jobOut.schedules) ? (jobOut.schedules as unknown[])[0] : undefined;
  const scheduleState = str(get(schedule, "state"));
  const interval = str(get(schedule, "interval"));
  const enabled = typeof jobIn.enabled === "boolean" ? jobIn.enabled : undefined;
  const recordedJobState = str(sumProv.jobState);
  let runs: boolean | undefined;
  let jobDescription: string;
  if (!job) {
    runs = undefined;
    jobDescription = "unknown: the job is not in state";
  } else if (job.initErrors?.length) {
    runs = scheduleState === "Active" ? true : undefined;
    jobDescription = `unknown: the last update failed on the job (${job.initErrors.join("; ")})`;
  } else {
    runs = scheduleState !== undefined ? scheduleState === "Active" : enabled;
    const sched = scheduleState ? `schedule ${scheduleState}${interval ? `, every ${interval}` : ""}` : "no schedule recorded";
    const why = runs === false && recordedJobState && recordedJobState !== "started" ? `${recordedJobState}; ` : "";
    jobDescription = runs ? `runs (${sched})` : runs === false ? `does not run (${why}${sched})` : `unknown (${sched})`;
    if (enabled !== undefined && scheduleState !== undefined && enabled !== (scheduleState === "Active")) {
      findings.push({ severity: "warning", resource: urnName(job.urn), message: `the job is declared ${enabled ? "enabled" : "disabled"} but its recorded schedule is ${scheduleState}` });
    }
  }

  // Mappings, matching and scoping: the schema declaration (outputs = as last written or refreshed).
  const schemaIn = schema ? view.inputsOf(schema) : {};
  const schemaOut = schema ? view.outputsOf(schema) : {};
  const declared = Array.isArray(schemaOut.objectMappings) ? schemaOut.objectMappings : Array.isArray(schemaIn.objectMappings) ? schemaIn.objectMappings : undefined;
  const whySchema = schema ? "the schema declaration's objectMappings are not readable" : "the schema declaration is not in state";
  if (schema && Array.isArray(schemaOut.objectMappings) && Array.isArray(schemaIn.objectMappings)) {
    const a = JSON.stringify({ m: matchingOfDeclared(schemaIn.objectMappings), s: scopingOf(schemaIn.objectMappings) });
    const b = JSON.stringify({ m: matchingOfDeclared(schemaOut.objectMappings), s: scopingOf(schemaOut.objectMappings) });
    if (a !== b) findings.push({ severity: "warning", resource: urnName(schema.urn), message: "matching or scoping in the tenant (as last read) differs from the declaration: the next pulumi up rewrites it" });
  }
  const matching = firstFact<readonly MatchingFact[]>(whySchema, fromResource(matchingOfDeclared(declared)), fromSummary(matchingOfSummary(s.mappings), sumWhy(whySchema)));
  const scopingFilters = firstFact<readonly ScopingFilterFact[]>(whySchema, fromResource(scopingOf(declared)), fromSummary(scopingOf(s.mappings?.map((m) => ({ ...(m as object), key: get(m, "object") }))), sumWhy(whySchema)));
  const mappings = firstFact<readonly MappingFact[]>(whySchema, fromResource(mappingsOf(declared, false)), fromSummary(mappingsOf(s.mappings, true), sumWhy(whySchema)));

  // Consistency of the recorded summary with the resources (a hand-edited state, or a partial update).
  const compare = (label: string, fact: Fact<unknown>, recorded: unknown) => {
    if (fact.source !== "resource" || recorded === undefined) return;
    if (JSON.stringify(fact.value) !== JSON.stringify(recorded)) {
      findings.push({ severity: "warning", message: `${name}: ${label} is ${JSON.stringify(fact.value)} in the resources but ${JSON.stringify(recorded)} in the recorded summary (stack outputs)` });
    }
  };
  compare("the scope", scope, sumProv.scope);
  compare("the notification email", { ...failureEmails, value: failureEmails.value?.recipients }, sumProv.notificationEmail);
  compare("the deletion threshold", { ...deletionThreshold, value: deletionThreshold.value?.value }, get(sumThreshold, "threshold"));

  const displayName = firstFact<string>("neither the application nor the summary records it", fromResource(str(appIn.displayName)), fromSummary(str(sumApp.displayName), sumWhy("the application is not in state")));
  const assignmentRequired = firstFact<boolean>(
    "neither the service principal nor the summary records it",
    fromResource(typeof spIn.appRoleAssignmentRequired === "boolean" ? spIn.appRoleAssignmentRequired : undefined),
    fromSummary(typeof sumAssign.assignmentRequired === "boolean" ? sumAssign.assignmentRequired : undefined, sumWhy("the service principal is not in state")),
  );
  const appRole = firstFact<string>("not recorded", fromResource(groups.find((g) => g.role)?.role), fromSummary(str(sumAssign.appRole), "no assignment is in state"));

  const family = [component, ...children];
  return {
    component: name,
    componentUrn: component.urn,
    ...(str(sumApp.preset) ? { preset: str(sumApp.preset) } : {}),
    displayName,
    ...(str(appIn.templateId) ?? str(sumApp.galleryTemplateId) ? { galleryTemplateId: str(appIn.templateId) ?? str(sumApp.galleryTemplateId) } : {}),
    ...(str(appOut.applicationObjectId) ?? str(sumApp.applicationObjectId) ? { applicationObjectId: str(appOut.applicationObjectId) ?? str(sumApp.applicationObjectId) } : {}),
    ...(str(spOut.objectId) ?? str(sumApp.servicePrincipalObjectId) ? { servicePrincipalObjectId: str(spOut.objectId) ?? str(sumApp.servicePrincipalObjectId) } : {}),
    owners: Array.isArray(spIn.owners) ? (spIn.owners as unknown[]).map(String) : Array.isArray(sumApp.owners) ? (sumApp.owners as unknown[]).map(String) : [],
    protect: { ...(app ? { application: app.protect === true } : {}), ...(sp ? { servicePrincipal: sp.protect === true } : {}) },
    assignmentRequired,
    appRole,
    groups,
    scope,
    scopingFilters,
    matching,
    mappings,
    failureEmails,
    deletionThreshold,
    skipOutOfScopeDeletions,
    credentials: {
      ...(mode ? { mode } : {}),
      ...(typeof sumProv.oauthAuthorized === "boolean" ? { oauthAuthorized: sumProv.oauthAuthorized } : {}),
      keysWritten,
      tenantUrl,
    },
    job: {
      present: !!job,
      ...(job?.id ? { id: job.id } : {}),
      ...(str(jobIn.templateId) ? { templateId: str(jobIn.templateId) } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(scheduleState ? { scheduleState } : {}),
      ...(interval ? { interval } : {}),
      ...(runs !== undefined ? { runs } : {}),
      description: jobDescription,
    },
    ...(newest(family.map((r) => r.modified)) ? { lastChanged: newest(family.map((r) => r.modified)) } : {}),
    missing,
  };
}

/** Builds the audit of one tenant stack from its parsed state. */
export function auditState(state: ParsedState): { audit: TenantAudit; view: StateView } {
  const view = viewState(state);
  const findings: Finding[] = [];
  const stackResource = state.resources.find((r) => r.type === TYPES.stack);
  const stackOutputs = stackResource ? view.outputsOf(stackResource) : {};
  const pendingByUrn = new Map(state.pendingOperations.map((o) => [o.resource.urn, o.type] as const));
  const pendingUrns = new Set(pendingByUrn.keys());

  if (!stackResource) findings.push({ severity: "warning", message: "the state has no root stack resource (pulumi:pulumi:Stack), so there are no stack outputs" });
  else if (Object.keys(stackOutputs).length === 0) {
    findings.push({ severity: "warning", message: "the stack has no outputs: the last update did not finish (outputs are recorded at the end), so facts come from the resources alone" });
  }
  for (const o of state.pendingOperations) {
    findings.push({
      severity: "error",
      resource: urnName(o.resource.urn),
      message: `pending operation: ${o.type} ${urnName(o.resource.urn)} (${shortType(o.resource.type)}) was interrupted; the resource may or may not exist in Entra. Resolve it with pulumi refresh before the next pulumi up`,
    });
  }
  for (const r of state.resources) {
    if (r.initErrors?.length) findings.push({ severity: "error", resource: urnName(r.urn), message: `${urnName(r.urn)} failed in the last update: ${r.initErrors.join("; ")}` });
  }

  const tenantOut = isObj(stackOutputs.tenant) ? stackOutputs.tenant : {};
  const providers = state.resources.filter((r) => r.type === TYPES.azureadProvider);
  const providerTenants = [...new Set(providers.map((p) => str(view.inputsOf(p).tenantId)).filter((t): t is string => !!t))];
  const tenantId = str(tenantOut.id) ?? providerTenants[0];
  if (str(tenantOut.id) && providerTenants.some((t) => t.toLowerCase() !== str(tenantOut.id)!.toLowerCase())) {
    findings.push({ severity: "error", message: `the stack outputs name tenant ${str(tenantOut.id)} but the azuread provider is configured for ${providerTenants.join(", ")}` });
  }

  const components = state.resources.filter((r) => r.type === TYPES.component);
  if (components.length === 0) findings.push({ severity: "error", message: "no EnterpriseAppProvisioning component in state: no app of this project was deployed to this tenant" });
  const apps = components.map((c) => {
    const out = view.outputsOf(c);
    // The component's own outputs summarize it; a single-app stack's outputs hold the same summary.
    const summary = (isObj(out.summary) ? out.summary : components.length === 1 && isObj(stackOutputs.app) ? stackOutputs : undefined) as Summary | undefined;
    const a = auditApp(view, c, summary, pendingByUrn, findings);
    for (const m of a.missing) findings.push({ severity: "error", resource: a.component, message: `missing: ${m}` });
    return a;
  });

  for (const p of view.inventory.unencryptedCredentials) findings.push({ severity: "error", message: `a credential is stored unencrypted in state at ${p}; make it a Pulumi secret and rotate it` });
  for (const p of view.inventory.credentialEchoes) findings.push({ severity: "error", message: `a credential value also appears unencrypted at ${p}; rotate the credential` });

  const secrets = countSecrets(state.resources.flatMap((r) => [r.inputs, r.outputs]));
  if (secrets.plaintext > 0) {
    findings.push({ severity: "warning", message: `this state was exported with --show-secrets: it holds ${secrets.plaintext} decrypted secret value(s) (none is shown here); delete the file after the audit` });
    if (plaintextsOf(state.resources.flatMap((r) => [r.inputs, r.outputs])).every((p) => p === "null")) findings.push({ severity: "warning", message: 'every decrypted secret is null: the export may have been taken with a wrong passphrase (older CLIs then write "null" without an error)' });
  }

  if (state.manifest.version && !manifestMagicOk(state.manifest)) {
    findings.push({ severity: "warning", message: "the manifest's magic does not match its version: the state file was edited after the CLI wrote it" });
  }
  const guardrailsOut = isObj(stackOutputs.guardrails) ? stackOutputs.guardrails : {};
  const monitoringOut = isObj(stackOutputs.monitoring) ? stackOutputs.monitoring : {};
  return {
    view,
    audit: {
      source: { file: state.source, envelope: state.envelope, schemaVersion: state.schemaVersion, features: state.features, ...(state.checkpointStack ? { checkpointStack: state.checkpointStack } : {}) },
      project: state.project,
      stack: state.stack,
      tenant: { ...(tenantId ? { id: tenantId } : {}), ...(str(tenantOut.name) ? { name: str(tenantOut.name) } : {}), ...(str(tenantOut.environment) ? { environment: str(tenantOut.environment) } : {}) },
      lastUpdate: state.manifest.time,
      pulumiVersion: state.manifest.version,
      ...(state.manifest.version ? { manifestIntact: manifestMagicOk(state.manifest) } : {}),
      secrets: { ...(state.secretsProvider ? { provider: state.secretsProvider } : {}), encrypted: secrets.ciphertext, decrypted: secrets.plaintext },
      guardrails: {
        ...(str(guardrailsOut.policyPack) ? { policyPackRecorded: str(guardrailsOut.policyPack) } : {}),
        ...(typeof guardrailsOut.protectedFromDeletion === "boolean" ? { protectedFromDeletion: guardrailsOut.protectedFromDeletion } : {}),
        ...(typeof monitoringOut.enabled === "boolean" ? { monitoring: monitoringOut.enabled } : {}),
      },
      apps,
      resources: state.resources.map((r) => resourceRow(view, r, pendingUrns)),
      pendingOperations: state.pendingOperations.map((o) => ({ type: o.type, name: urnName(o.resource.urn), resourceType: o.resource.type, urn: o.resource.urn })),
      findings,
    },
  };
}

/** The CLI writes `magic` = hex sha256 of `version` (pkg/resource/deploy Manifest.NewMagic); anything else means an edit. */
export function manifestMagicOk(manifest: { magic: string; version: string }): boolean {
  return manifest.magic === createHash("sha256").update(manifest.version).digest("hex");
}

/** The plaintexts of decrypted secrets (only to tell whether they are all "null"; never shown). */
function plaintextsOf(values: readonly unknown[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (isSecretValue(v)) {
      if (typeof (v as { plaintext?: unknown }).plaintext === "string") out.push((v as { plaintext: string }).plaintext);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return out;
}
