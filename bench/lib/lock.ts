// The machine-wide lock of heavy runs (booting nodeos, pulumi up/preview/destroy): other engineers
// boot chains on this machine too, so a bench scenario holds `flock /tmp/eosnet-heavy.lock` while
// its containers run, and releases it between scenarios.
import { spawn } from "child_process";

export const HEAVY_LOCK = process.env.EOSNET_HEAVY_LOCK || "/tmp/eosnet-heavy.lock";

export interface HeldLock {
    /** Seconds spent waiting for the lock. */
    waitedSeconds: number;
    release(): void;
}

/**
 * Holds `flock <HEAVY_LOCK>` through a child (`flock <lock> sh -c 'echo held; exec cat'`): the
 * lock is ours once it prints, and goes when its stdin closes (release, or this process dying).
 */
export function acquireHeavyLock(what: string, log: (line: string) => void): Promise<HeldLock> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn("flock", [HEAVY_LOCK, "sh", "-c", "echo held; exec cat >/dev/null"], { stdio: ["pipe", "pipe", "inherit"] });
        let done = false;
        const notice = setTimeout(() => log(`waiting for ${HEAVY_LOCK} (another heavy run holds it) before ${what}`), 2000);
        child.stdout.on("data", (d: Buffer) => {
            if (!done && d.toString().includes("held")) {
                done = true;
                clearTimeout(notice);
                resolve({
                    waitedSeconds: (Date.now() - t0) / 1000,
                    release: () => {
                        child.stdin.end();
                    },
                });
            }
        });
        child.on("error", (e) => {
            clearTimeout(notice);
            if (!done) {
                done = true;
                reject(new Error(`cannot run flock ${HEAVY_LOCK}: ${e.message}`));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(notice);
            if (!done) {
                done = true;
                reject(new Error(`flock ${HEAVY_LOCK} exited with ${code}`));
            }
        });
    });
}

/** Runs `fn` while holding the heavy lock. */
export async function withHeavyLock<T>(what: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
    const lock = await acquireHeavyLock(what, log);
    try {
        return await fn();
    } finally {
        lock.release();
    }
}
