/**
 * Scoping-filter operators as the Entra admin center shows them
 * (define-conditional-rules-for-provisioning-user-accounts.md). The Graph API names are discovered per
 * job with `GET …/schema/filterOperators`; the documented ones equal the portal labels (with spaces).
 */
export interface ScopingOperator {
  /** Label as written in the portal and in stack config. */
  readonly label: string;
  /** Unary operators take no value; binary ones take at least one. */
  readonly arity: "Unary" | "Binary";
  /** Values must be integers (Greater_Than…). */
  readonly integerValues?: boolean;
  /** Values are regular expressions. */
  readonly regex?: boolean;
  readonly meaning: string;
}

export const SCOPING_OPERATORS: readonly ScopingOperator[] = [
  { label: "&", arity: "Binary", meaning: "the attribute's value is contained in the given string" },
  { label: "!&", arity: "Binary", meaning: "negation of &" },
  { label: "ENDS_WITH", arity: "Binary", meaning: "the attribute ends with the value" },
  { label: "EQUALS", arity: "Binary", meaning: "exact, case-sensitive match" },
  { label: "Greater_Than", arity: "Binary", integerValues: true, meaning: "integer attribute greater than the value" },
  { label: "Greater_Than_OR_EQUALS", arity: "Binary", integerValues: true, meaning: "integer attribute greater than or equal to the value" },
  { label: "Includes", arity: "Binary", meaning: "case-sensitive substring match" },
  { label: "IS FALSE", arity: "Unary", meaning: "Boolean attribute is false" },
  { label: "IS NOT NULL", arity: "Unary", meaning: "attribute is not empty" },
  { label: "IS NULL", arity: "Unary", meaning: "attribute is empty" },
  { label: "IS TRUE", arity: "Unary", meaning: "Boolean attribute is true" },
  { label: "NOT EQUALS", arity: "Binary", meaning: "case-sensitive inequality" },
  { label: "NOT REGEX MATCH", arity: "Binary", regex: true, meaning: "attribute does not match the regular expression" },
  { label: "REGEX MATCH", arity: "Binary", regex: true, meaning: "attribute matches the regular expression (case-sensitive)" },
];

export const SCOPING_OPERATOR_LABELS = SCOPING_OPERATORS.map((o) => o.label);

export function findScopingOperator(label: string): ScopingOperator | undefined {
  return SCOPING_OPERATORS.find((o) => o.label === label);
}

/**
 * Source attributes Microsoft documents as unusable in scoping filters (known-issues.md,
 * define-conditional-rules…): multi-valued, reference and date attributes, and group membership.
 */
export const NON_SCOPABLE_SOURCE_ATTRIBUTES: readonly string[] = [
  "appRoleAssignments",
  "userType",
  "manager",
  "members",
  "memberOf",
  "IsMemberOf",
  "proxyAddresses",
  "otherMails",
  "StatusHireDate",
  "startDate",
  "endDate",
  "StatusTerminationDate",
  "accountExpires",
  "employeeHireDate",
  "employeeLeaveDateTime",
];
