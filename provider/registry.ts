// Every resource type and function the eosnet provider serves, by type token.
import { AnyFunction, AnyModule } from "./framework";
import { network } from "./docker/network";
import { volume } from "./docker/volume";
import { nodeosContainer } from "./docker/nodeosContainer";
import { keyPair } from "./keys/keyPair";
import { protocolFeatures } from "./chain/features";
import { contract } from "./chain/contract";
import { account } from "./chain/account";
import { token } from "./chain/token";
import { privilege } from "./chain/privilege";
import { systemInit } from "./chain/systemInit";
import { producerRegistration } from "./chain/producer";
import { proxyRegistration } from "./chain/proxy";
import { voteModule } from "./chain/vote";
import { producerSchedule } from "./chain/schedule";
import { resignation } from "./chain/resign";
import { rewardsClaim } from "./chain/rewards";
import { permission } from "./chain/permission";
import { linkAuth } from "./chain/linkAuth";
import { action } from "./chain/action";
import { distribution } from "./chain/distribution";
import { getChainState } from "./chain/chainState";

const all: AnyModule[] = [
    network, volume, nodeosContainer, keyPair,
    protocolFeatures, contract, account, token, privilege, systemInit,
    producerRegistration, proxyRegistration, voteModule, producerSchedule, resignation, rewardsClaim,
    permission, linkAuth, action, distribution,
];

export const MODULES: ReadonlyMap<string, AnyModule> = new Map(all.map((m) => [m.token, m]));

export const FUNCTIONS: ReadonlyMap<string, AnyFunction> = new Map([getChainState].map((f) => [f.token, f]));
