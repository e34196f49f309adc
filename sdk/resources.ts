// Typed program-side declarations of the eosnet provider's resources. Argument and output types,
// and the output names registered at runtime, come from the provider modules' own zod schemas
// (the *.schema.ts files, which load only zod), so the program and the provider cannot disagree.
import * as pulumi from "./pulumi";
import { z } from "zod";
import { NetworkInputs, NetworkOutputs } from "../provider/docker/network.schema";
import { VolumeInputs, VolumeOutputs } from "../provider/docker/volume.schema";
import { NodeosContainerInputs, NodeosContainerOutputs } from "../provider/docker/nodeosContainer.schema";
import { KEY_PAIR_SECRETS, KeyPairInputs, KeyPairOutputs } from "../provider/keys/keyPair.schema";
import { ProtocolFeaturesInputs, ProtocolFeaturesOutputs } from "../provider/chain/features.schema";
import { ContractInputs, ContractOutputs } from "../provider/chain/contract.schema";
import { AccountInputs, AccountOutputs } from "../provider/chain/account.schema";
import { TokenInputs, TokenOutputs } from "../provider/chain/token.schema";
import { PrivilegeInputs, PrivilegeOutputs } from "../provider/chain/privilege.schema";
import { SystemInitInputs, SystemInitOutputs } from "../provider/chain/systemInit.schema";
import { ProducerRegistrationInputs, ProducerRegistrationOutputs } from "../provider/chain/producer.schema";
import { ProxyRegistrationInputs, ProxyRegistrationOutputs } from "../provider/chain/proxy.schema";
import { VoteInputs, VoteOutputs } from "../provider/chain/vote.schema";
import { ProducerScheduleInputs, ProducerScheduleOutputs } from "../provider/chain/schedule.schema";
import { ResignationInputs, ResignationOutputs } from "../provider/chain/resign.schema";
import { RewardsClaimInputs, RewardsClaimOutputs } from "../provider/chain/rewards.schema";
import { PermissionInputs, PermissionOutputs } from "../provider/chain/permission.schema";
import { LinkAuthInputs, LinkAuthOutputs } from "../provider/chain/linkAuth.schema";
import { ActionInputs, ActionOutputs } from "../provider/chain/action.schema";
import { DistributionInputs, DistributionOutputs } from "../provider/chain/distribution.schema";
import { ProviderConfigSchema } from "../provider/config.schema";
import { TYPES } from "./types";

export { TYPES };

/** A field may be an Input, and so may each element of a list. */
type Arg<V> = [V] extends [readonly (infer E)[]] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<V>;
/** Arguments of a type with `T` as its zod input: optional where the schema has a default or is optional. */
export type Args<T> = { [K in keyof T]: Arg<Exclude<T[K], undefined>> };
/** The program-side arguments of a zod input schema (z.input: defaults make a field optional). */
export type ArgsOf<S extends z.ZodTypeAny> = Args<z.input<S>>;
type Outputs<O> = { readonly [K in keyof O]: pulumi.Output<O[K]> };

/** Every output name is registered so its value comes back from the provider. */
function registerProps(args: object, outputNames: string[]): pulumi.Inputs {
    const props: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const n of outputNames) {
        if (!(n in props)) {
            props[n] = undefined;
        }
    }
    return props as pulumi.Inputs;
}

/** Makes a resource class for `token` from its module's schemas; the outputs' names are registered. */
function resourceClass<I extends z.ZodTypeAny, O extends z.AnyZodObject>(token: string, _inputs: I, outputs: O, secretOutputs: string[] = []) {
    const outputNames = Object.keys(outputs.shape);
    return class extends pulumi.CustomResource {
        constructor(name: string, args: ArgsOf<I>, opts?: pulumi.CustomResourceOptions) {
            super(token, name, registerProps(args, outputNames), { ...opts, additionalSecretOutputs: [...secretOutputs, ...(opts?.additionalSecretOutputs ?? [])] });
        }
    } as unknown as new (name: string, args: ArgsOf<I>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Outputs<z.output<O>>;
}

export const DockerNetwork = resourceClass(TYPES.network, NetworkInputs, NetworkOutputs);
export type DockerNetwork = InstanceType<typeof DockerNetwork>;
export const DockerVolume = resourceClass(TYPES.volume, VolumeInputs, VolumeOutputs);
export type DockerVolume = InstanceType<typeof DockerVolume>;
export const NodeosContainer = resourceClass(TYPES.nodeosContainer, NodeosContainerInputs, NodeosContainerOutputs);
export type NodeosContainer = InstanceType<typeof NodeosContainer>;
export const KeyPair = resourceClass(TYPES.keyPair, KeyPairInputs, KeyPairOutputs, KEY_PAIR_SECRETS);
export type KeyPair = InstanceType<typeof KeyPair>;
export const ProtocolFeatures = resourceClass(TYPES.protocolFeatures, ProtocolFeaturesInputs, ProtocolFeaturesOutputs);
export type ProtocolFeatures = InstanceType<typeof ProtocolFeatures>;
export const Contract = resourceClass(TYPES.contract, ContractInputs, ContractOutputs);
export type Contract = InstanceType<typeof Contract>;
export const Account = resourceClass(TYPES.account, AccountInputs, AccountOutputs);
export type Account = InstanceType<typeof Account>;
export const Token = resourceClass(TYPES.token, TokenInputs, TokenOutputs);
export type Token = InstanceType<typeof Token>;
export const Privilege = resourceClass(TYPES.privilege, PrivilegeInputs, PrivilegeOutputs);
export type Privilege = InstanceType<typeof Privilege>;
export const SystemInit = resourceClass(TYPES.systemInit, SystemInitInputs, SystemInitOutputs);
export type SystemInit = InstanceType<typeof SystemInit>;
export const ProducerRegistration = resourceClass(TYPES.producerRegistration, ProducerRegistrationInputs, ProducerRegistrationOutputs);
export type ProducerRegistration = InstanceType<typeof ProducerRegistration>;
export const ProxyRegistration = resourceClass(TYPES.proxyRegistration, ProxyRegistrationInputs, ProxyRegistrationOutputs);
export type ProxyRegistration = InstanceType<typeof ProxyRegistration>;
export const Vote = resourceClass(TYPES.vote, VoteInputs, VoteOutputs);
export type Vote = InstanceType<typeof Vote>;
export const ProducerSchedule = resourceClass(TYPES.producerSchedule, ProducerScheduleInputs, ProducerScheduleOutputs);
export type ProducerSchedule = InstanceType<typeof ProducerSchedule>;
export const Resignation = resourceClass(TYPES.resignation, ResignationInputs, ResignationOutputs);
export type Resignation = InstanceType<typeof Resignation>;
export const Permission = resourceClass(TYPES.permission, PermissionInputs, PermissionOutputs);
export type Permission = InstanceType<typeof Permission>;
export const LinkAuth = resourceClass(TYPES.linkAuth, LinkAuthInputs, LinkAuthOutputs);
export type LinkAuth = InstanceType<typeof LinkAuth>;
export const Action = resourceClass(TYPES.action, ActionInputs, ActionOutputs);
export type Action = InstanceType<typeof Action>;
export const RewardsClaim = resourceClass(TYPES.rewardsClaim, RewardsClaimInputs, RewardsClaimOutputs);
export type RewardsClaim = InstanceType<typeof RewardsClaim>;

/**
 * An eosnet provider: the credentials of one chain (endpoint, chain id, signing keys as a secret)
 * and the docker engine its nodes run on.
 */
export class Provider extends pulumi.ProviderResource {
    constructor(name: string, args: ArgsOf<typeof ProviderConfigSchema>, opts?: pulumi.ResourceOptions) {
        const secret = <T>(v: T) => (v === undefined ? undefined : pulumi.secret(v));
        super("eosnet", name, { ...args, keys: secret(args.keys), tlsKey: secret(args.tlsKey), sshKey: secret(args.sshKey) }, opts);
    }
}
export const Distribution = resourceClass(TYPES.distribution, DistributionInputs, DistributionOutputs);
export type Distribution = InstanceType<typeof Distribution>;
