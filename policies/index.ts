// The policy pack the Pulumi CLI runs (`pulumi preview --policy-pack policies`). Constructing it starts
// the CrossGuard gRPC server, so nothing else may import this file: tests and the offline plan use
// ./pack and ./runner (test/policies/pack-import-guard.test.ts enforces that).
import { PolicyPack } from "@pulumi/policy";
import { PACK_ARGS, PACK_NAME } from "./pack";

new PolicyPack(PACK_NAME, PACK_ARGS);
