/**
 * The app catalog: what is specific to one gallery app (its name in the gallery, how the provisioning
 * service authenticates to it, which target attributes it has and which of them it can filter on, and
 * the attribute mappings Microsoft ships for it) is data in a preset, not code.
 */

/** Where a mapped value goes in the target app: one attribute of the target object. */
export interface TargetAttribute {
  /** SCIM attribute path as the portal shows it, e.g. `emails[type eq "work"].value`. */
  readonly name: string;
  readonly type: "String" | "Boolean" | "Integer" | "DateTime" | "Reference";
  /** True when the target app's API can filter on the attribute, i.e. it can be a matching attribute. */
  readonly filterable: boolean;
}

/** Graph `attributeMapping.flowType` — the portal's "Apply this mapping". */
export const FLOW_TYPES = ["Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly"] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

/** Graph `attributeMapping.flowBehavior`. */
export const FLOW_BEHAVIORS = ["FlowWhenChanged", "FlowAlways"] as const;
export type FlowBehavior = (typeof FLOW_BEHAVIORS)[number];

/** One attribute mapping, as declared (before it is turned into Graph's `attributeMappingSource` tree). */
export interface AttributeMappingSpec {
  /** Target attribute name (see {@link TargetAttribute.name}). */
  readonly target: string;
  /**
   * Source as an expression in Entra's mapping language (`[userPrincipalName]`, `Not([IsSoftDeleted])`,
   * `Join(" ", [givenName], [surname])`). A bare attribute name is shorthand for `[name]`. Mutually
   * exclusive with {@link constant}.
   */
  readonly source?: string;
  /** A constant value (the portal's "Constant" mapping type). Mutually exclusive with {@link source}. */
  readonly constant?: string;
  /** The portal's "Default value if null (optional)"; used on create only. */
  readonly defaultValue?: string;
  /** Defaults to "Always". */
  readonly flowType: FlowType;
  /** Defaults to "FlowWhenChanged". */
  readonly flowBehavior: FlowBehavior;
  /** > 0 makes this a matching attribute, lowest first (the portal's "Matching precedence"). 0 = not matching. */
  readonly matchingPriority: number;
}

/** One scoping-filter clause, with the operator written as the portal shows it. */
export interface ScopingClause {
  readonly attribute: string;
  readonly operator: string;
  /** Values for binary operators; absent for unary ones (IS TRUE, IS NULL, …). */
  readonly values: readonly string[];
}

/** A scoping filter: clauses are ANDed within one filter; filters are ORed with each other. */
export interface ScopingFilterGroup {
  readonly name: string;
  readonly clauses: readonly ScopingClause[];
}

/** One object mapping of the job's schema ("Synchronize Microsoft Entra users to …"). */
export interface ObjectMappingPreset {
  /** Stable key used in config: `users` or `groups`. */
  readonly key: "users" | "groups";
  /** Graph `objectMapping.name` as the template ships it. */
  readonly name: string;
  readonly sourceObjectName: string;
  readonly targetObjectName: string;
  /** Whether the target app supports this object type at all (Rouse Sales: users only). */
  readonly supported: boolean;
  /** The target app's attributes for this object, with filter support (the tutorial's attribute table). */
  readonly targetAttributes: readonly TargetAttribute[];
  /** The mappings the preset declares (merged with stack overrides). */
  readonly attributeMappings: readonly AttributeMappingSpec[];
}

/** How the provisioning service authenticates to the target app. */
export type CredentialMode = "oauth" | "token";

export interface AppPreset {
  /** Catalog key used in stack config (`app.preset`). */
  readonly id: string;
  /** Human name of the target app. */
  readonly appName: string;
  /** Exact display name in the Entra app gallery (looked up with `getApplicationTemplate`). */
  readonly galleryDisplayName: string;
  /**
   * Gallery application template id, when known. Defaults to a lookup by {@link galleryDisplayName}.
   * The non-gallery SCIM app uses Microsoft's fixed id 8adf8e6e-67b2-4cf2-a259-e3dc5476c621.
   */
  readonly galleryTemplateId?: string;
  /** "oauth": an admin clicks Authorize in the portal; "token": tenant URL + secret token. */
  readonly credentialMode: CredentialMode;
  /**
   * Synchronization template id for the job (`templateId` of `POST …/synchronization/jobs`).
   * Undefined when no public source names it: the stack must then set
   * `app.provisioning.synchronizationTemplateId` after reading `GET /servicePrincipals/{id}/synchronization/templates`.
   */
  readonly synchronizationTemplateId?: string;
  /** Whether groups (not just users) are provisioned into the target app. */
  readonly provisionsGroups: boolean;
  readonly objectMappings: readonly ObjectMappingPreset[];
  /** Where the manual procedure this preset replaces is documented. */
  readonly tutorialUrl: string;
}

/**
 * A mapping with the portal's defaults (apply Always, flow when changed, not matching); `matchingPriority`
 * > 0 makes it a matching attribute.
 */
export function mapping(target: string, source: string, matchingPriority = 0): AttributeMappingSpec {
  return { target, source, flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority };
}

/** A target attribute the app cannot filter on (most of them). */
export function attribute(name: string, type: TargetAttribute["type"] = "String", filterable = false): TargetAttribute {
  return { name, type, filterable };
}
