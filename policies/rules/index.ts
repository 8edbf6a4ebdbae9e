/**
 * Every rule of the pack, in the order violations are reported. Only assembles: each rule lives in its
 * own file, named after the rule. Importing this module never starts a policy server.
 */
import type { Policies } from "@pulumi/policy";
import credentialsAreSecret from "./credentials-are-secret";
import deletionThresholdIsOn from "./deletion-threshold-is-on";
import failureNotificationsAreOn from "./failure-notifications-are-on";
import jobAndSchemaBelongTogether from "./job-and-schema-belong-together";
import matchingIsSet from "./matching-is-set";
import oauthAppsWriteNoCredentials from "./oauth-apps-write-no-credentials";
import productionAppIsProtected from "./production-app-is-protected";
import productionMonitoringIsOn from "./production-monitoring-is-on";
import scopeIsSet from "./scope-is-set";

export {
  credentialsAreSecret,
  deletionThresholdIsOn,
  failureNotificationsAreOn,
  jobAndSchemaBelongTogether,
  matchingIsSet,
  oauthAppsWriteNoCredentials,
  productionAppIsProtected,
  productionMonitoringIsOn,
  scopeIsSet,
};

export const POLICIES: Policies = [
  scopeIsSet,
  matchingIsSet,
  failureNotificationsAreOn,
  deletionThresholdIsOn,
  credentialsAreSecret,
  oauthAppsWriteNoCredentials,
  productionAppIsProtected,
  jobAndSchemaBelongTogether,
  productionMonitoringIsOn,
];
