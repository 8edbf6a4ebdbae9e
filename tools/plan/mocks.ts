/**
 * Pulumi mocks that answer like Microsoft Graph and the azuread provider would: Graph-shaped ids
 * (`/applications/{id}`, `/servicePrincipals/{id}`, bare GUIDs for object ids, job ids
 * `{templateId}.{spId without dashes}.{guid}`), gallery app roles without `value`, and invoke results
 * for the gallery template and the application. Deterministic: the same program gives the same ids.
 *
 * In "preview" mode resources return only their inputs, so provider-computed values are unknown, as in
 * `pulumi preview` of a first deployment. In "apply" mode they return computed outputs too, as after
 * `pulumi up`.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export type PlanMode = "preview" | "apply";

/** Deterministic GUID from a seed. */
export function fakeGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The client (app) id of an application object: derived, so the invoke and the instantiation agree. */
const clientIdOf = (applicationObjectId: string) => fakeGuid(`client/${applicationObjectId}`);

/** Gallery apps commonly expose these roles, with no `value` (entra-graph.md §2.4). */
export const GALLERY_APP_ROLES = [
  { allowedMemberTypes: ["User"], description: "User", displayName: "User", enabled: true, id: "18d14569-c3bd-439b-9a66-3a2aee01d14f", value: "" },
  { allowedMemberTypes: ["User"], description: "msiam_access", displayName: "msiam_access", enabled: true, id: "b9632174-c057-4f7e-951b-be3adc52bfe6", value: "" },
];

export interface RecordedRegistration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs as the mock monitor received them: secrets wrapped, unknowns marked. */
  readonly inputs: Record<string, unknown>;
}

export class GraphMocks implements pulumi.runtime.Mocks {
  readonly registrations: RecordedRegistration[] = [];
  /** The service principal each instantiated application's client id belongs to (useExisting adopts it). */
  private readonly clientToSp = new Map<string, string>();

  constructor(readonly mode: PlanMode, readonly stack: string) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    this.registrations.push({ type: args.type, name: args.name, custom: !!args.custom, inputs: args.inputs });
    if (!args.custom) return { id: undefined, state: args.inputs };
    const seed = `${this.stack}/${args.type}/${args.name}`;
    const computed = this.computed(args, seed);
    // A first deployment's preview knows no ids or computed outputs yet.
    if (this.mode === "preview") return { id: undefined, state: { ...args.inputs } };
    return { id: computed.id, state: { ...args.inputs, ...computed.state } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "azuread:index/getApplicationTemplate:getApplicationTemplate": {
        const displayName = String(args.inputs.displayName ?? "");
        const templateId = fakeGuid(`gallery/${displayName}`);
        return { displayName, templateId, id: templateId, categories: ["collaboration"], publisher: displayName, supportedProvisioningTypes: ["sync"], supportedSingleSignOnModes: ["notSupported"] };
      }
      case "azuread:index/getApplication:getApplication": {
        const objectId = String(args.inputs.objectId ?? "");
        const clientId = clientIdOf(objectId);
        return { objectId, clientId, id: `/applications/${objectId}` };
      }
      default:
        return {};
    }
  }

  private computed(args: pulumi.runtime.MockResourceArgs, seed: string): { id: string; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, any>;
    switch (args.type) {
      case "azuread:index/applicationFromTemplate:ApplicationFromTemplate": {
        const appObjectId = fakeGuid(`${seed}/application`);
        const spObjectId = fakeGuid(`${seed}/servicePrincipal`);
        this.clientToSp.set(clientIdOf(appObjectId), spObjectId);
        return {
          id: `/applicationTemplates/${inputs.templateId}/instantiate/${appObjectId}/${spObjectId}`,
          state: { applicationId: `/applications/${appObjectId}`, applicationObjectId: appObjectId, servicePrincipalId: `/servicePrincipals/${spObjectId}`, servicePrincipalObjectId: spObjectId },
        };
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const objectId = this.clientToSp.get(String(inputs.clientId)) ?? fakeGuid(`${seed}/objectId`);
        return { id: `/servicePrincipals/${objectId}`, state: { objectId, appRoles: GALLERY_APP_ROLES, appRoleIds: {}, type: "Application" } };
      }
      case "azuread:index/appRoleAssignment:AppRoleAssignment": {
        const assignmentId = fakeGuid(`${seed}/assignment`);
        return { id: `/servicePrincipals/${inputs.resourceObjectId}/appRoleAssignedTo/${assignmentId}`, state: { principalType: "Group", principalDisplayName: args.name } };
      }
      case "azuread:index/synchronizationSecret:SynchronizationSecret":
        return { id: String(inputs.servicePrincipalId), state: {} };
      case "azuread:index/synchronizationJob:SynchronizationJob": {
        const sp = String(inputs.servicePrincipalId).replace("/servicePrincipals/", "");
        const jobId = `${inputs.templateId}.${sp.replace(/-/g, "")}.${fakeGuid(`${seed}/job`)}`;
        const state = inputs.enabled === false ? "Paused" : "Active";
        return { id: `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`, state: { schedules: [{ expiration: "", interval: "PT40M", state }] } };
      }
      default:
        if (args.type.startsWith("pulumi:providers:")) return { id: fakeGuid(`${seed}/provider`), state: {} };
        return { id: fakeGuid(`${seed}/id`), state: {} };
    }
  }
}
