// Typed program-side declarations of the eosnet provider's resources. Inputs and outputs are the
// provider modules' own types, so the program and the provider cannot disagree on a field.
import * as pulumi from "@pulumi/pulumi";
import type { NetworkInputs, NetworkOutputs } from "../provider/docker/network";
import type { VolumeInputs, VolumeOutputs } from "../provider/docker/volume";
import type { NodeosContainerInputs, NodeosContainerOutputs } from "../provider/docker/nodeosContainer";
import type { KeyPairInputs, KeyPairOutputs } from "../provider/keys/keyPair";
import type { ProtocolFeaturesInputs, ProtocolFeaturesOutputs } from "../provider/chain/features";
import type { ContractInputs, ContractOutputs } from "../provider/chain/contract";
import type { AccountInputs, AccountOutputs } from "../provider/chain/account";
import type { TokenInputs, TokenOutputs } from "../provider/chain/token";
import type { PrivilegeInputs, PrivilegeOutputs } from "../provider/chain/privilege";
import type { SystemInitInputs, SystemInitOutputs } from "../provider/chain/systemInit";
import type { ProducerRegistrationInputs, ProducerRegistrationOutputs } from "../provider/chain/producer";
import type { ProxyRegistrationInputs, ProxyRegistrationOutputs } from "../provider/chain/proxy";
import type { VoteInputs, VoteOutputs } from "../provider/chain/vote";
import type { ProducerScheduleInputs, ProducerScheduleOutputs } from "../provider/chain/schedule";
import type { ResignationInputs, ResignationOutputs } from "../provider/chain/resign";
import type { RewardsClaimInputs, RewardsClaimOutputs } from "../provider/chain/rewards";
import type { PermissionInputs, PermissionOutputs } from "../provider/chain/permission";
import type { LinkAuthInputs, LinkAuthOutputs } from "../provider/chain/linkAuth";
import type { ActionInputs, ActionOutputs } from "../provider/chain/action";
import type { ProviderConfig } from "../provider/framework";
import { TYPES } from "./types";

export { TYPES };

/** Each field may be an Input (and each element of a list); fields with defaults in the provider are optional. */
export type Args<T> = { [K in keyof T]: T[K] extends (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<T[K]> };
type Outputs<O> = { readonly [K in keyof O]: pulumi.Output<O[K]> };

/** Every output name is registered so its value comes back from the provider. */
function registerProps<I extends object>(args: I, outputNames: string[]): pulumi.Inputs {
    const props: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const n of outputNames) {
        if (!(n in props)) {
            props[n] = undefined;
        }
    }
    return props as pulumi.Inputs;
}

/** Makes a resource class for `token`; `outputNames` are the fields the provider adds. */
function resourceClass<I extends object, O extends I>(token: string, outputNames: (keyof O & string)[], secretOutputs: string[] = []) {
    return class extends pulumi.CustomResource {
        constructor(name: string, args: Partial<Args<I>>, opts?: pulumi.CustomResourceOptions) {
            super(token, name, registerProps(args, outputNames), { ...opts, additionalSecretOutputs: [...secretOutputs, ...(opts?.additionalSecretOutputs ?? [])] });
        }
    } as unknown as new (name: string, args: Partial<Args<I>>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Outputs<O>;
}


const ALL_OUT = <O>(names: (keyof O & string)[]) => names;

export const DockerNetwork = resourceClass<NetworkInputs, NetworkOutputs>(TYPES.network, ALL_OUT<NetworkOutputs>(["name", "labels", "networkId"]));
export type DockerNetwork = InstanceType<typeof DockerNetwork>;
export const DockerVolume = resourceClass<VolumeInputs, VolumeOutputs>(TYPES.volume, ["name", "labels"]);
export type DockerVolume = InstanceType<typeof DockerVolume>;
export const NodeosContainer = resourceClass<NodeosContainerInputs, NodeosContainerOutputs>(TYPES.nodeosContainer,
    ["name", "image", "containerId", "imageId", "running", "restartPolicy", "httpEndpoint", "configDigest"]);
export type NodeosContainer = InstanceType<typeof NodeosContainer>;
export const KeyPair = resourceClass<KeyPairInputs, KeyPairOutputs>(TYPES.keyPair, ["publicKey", "privateKey"], ["privateKey"]);
export type KeyPair = InstanceType<typeof KeyPair>;
export const ProtocolFeatures = resourceClass<ProtocolFeaturesInputs, ProtocolFeaturesOutputs>(TYPES.protocolFeatures, ["activated", "missing"]);
export type ProtocolFeatures = InstanceType<typeof ProtocolFeatures>;
export const Contract = resourceClass<ContractInputs, ContractOutputs>(TYPES.contract, ["codeHash", "abiHash"]);
export type Contract = InstanceType<typeof Contract>;
export const Account = resourceClass<AccountInputs, AccountOutputs>(TYPES.account, ["name", "ramBytes", "balance", "ownerKey", "activeKey", "cpu", "net"]);
export type Account = InstanceType<typeof Account>;
export const Token = resourceClass<TokenInputs, TokenOutputs>(TYPES.token, ["supply", "maxSupply", "issuer"]);
export type Token = InstanceType<typeof Token>;
export const Privilege = resourceClass<PrivilegeInputs, PrivilegeOutputs>(TYPES.privilege, ["privileged"]);
export type Privilege = InstanceType<typeof Privilege>;
export const SystemInit = resourceClass<SystemInitInputs, SystemInitOutputs>(TYPES.systemInit, ["initialized"]);
export type SystemInit = InstanceType<typeof SystemInit>;
export const ProducerRegistration = resourceClass<ProducerRegistrationInputs, ProducerRegistrationOutputs>(TYPES.producerRegistration,
    ["isActive", "unpaidBlocks", "lastClaimTime", "producerKey"]);
export type ProducerRegistration = InstanceType<typeof ProducerRegistration>;
export const ProxyRegistration = resourceClass<ProxyRegistrationInputs, ProxyRegistrationOutputs>(TYPES.proxyRegistration, ["isProxy"]);
export type ProxyRegistration = InstanceType<typeof ProxyRegistration>;
export const Vote = resourceClass<VoteInputs, VoteOutputs>(TYPES.vote, ["producers", "proxy"]);
export type Vote = InstanceType<typeof Vote>;
export const ProducerSchedule = resourceClass<ProducerScheduleInputs, ProducerScheduleOutputs>(TYPES.producerSchedule, ["activeProducers", "version", "lib", "headBlock"]);
export type ProducerSchedule = InstanceType<typeof ProducerSchedule>;
export const Resignation = resourceClass<ResignationInputs, ResignationOutputs>(TYPES.resignation, ["accounts"]);
export type Resignation = InstanceType<typeof Resignation>;
export const Permission = resourceClass<PermissionInputs, PermissionOutputs>(TYPES.permission, ["parent", "threshold", "keys", "accounts", "waits"]);
export type Permission = InstanceType<typeof Permission>;
export const LinkAuth = resourceClass<LinkAuthInputs, LinkAuthOutputs>(TYPES.linkAuth, ["requirement"]);
export type LinkAuth = InstanceType<typeof LinkAuth>;
export const Action = resourceClass<ActionInputs, ActionOutputs>(TYPES.action, ["digest", "transactionId", "blockNum"]);
export type Action = InstanceType<typeof Action>;

export const RewardsClaim = resourceClass<RewardsClaimInputs, RewardsClaimOutputs>(TYPES.rewardsClaim, ["unpaidBlocks", "lastClaimTime", "due"]);
export type RewardsClaim = InstanceType<typeof RewardsClaim>;

/**
 * An eosnet provider: the credentials of one chain (endpoint, chain id, signing keys as a secret)
 * and the docker engine its nodes run on.
 */
export class Provider extends pulumi.ProviderResource {
    constructor(name: string, args: Partial<Args<ProviderConfig>>, opts?: pulumi.ResourceOptions) {
        super("eosnet", name, { ...args, keys: args.keys === undefined ? undefined : pulumi.secret(args.keys) }, opts);
    }
}
