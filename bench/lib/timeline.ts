// Where the time of an engine run (or of the floor script) goes. Pure: engine events stamped on
// arrival in, steps and a breakdown out.
//
// A step is one resource operation, from its resourcePreEvent to its resOutputsEvent (or
// resOpFailedEvent). At every instant the run is attributed to the most telling thing running,
// in this order: the schedule wait, chain transactions, containers, keys and providers; an
// instant with no step running, between the first and the last step, is engine overhead (the
// engine and the program deciding what to run next, state writes). Before the first step is
// start-up (CLI, program compile, plugin start); after the last one, shut-down.

export type Category = "schedule" | "chain" | "container" | "keys" | "provider";
export const CATEGORY_ORDER: Category[] = ["schedule", "chain", "container", "keys", "provider"];

export interface Step {
    urn: string;
    /** The resource type's last segment: NodeosContainer, Account, ... (old and new tokens alike). */
    kind: string;
    type: string;
    op: string;
    start: number;
    end: number;
    failed: boolean;
}

/** ops that do work (a `same` step only compares). */
const WORK_OPS = new Set(["create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "refresh", "import", "discard", "read-replacement"]);

/** NodeosContainer, DockerContainer, ... from eosnet:docker:NodeosContainer or pulumi-nodejs:dynamic/eos-network:DockerContainer. */
export function kindOf(type: string): string {
    return type.split(":").pop() ?? type;
}

export function categoryOf(type: string): Category | undefined {
    if (type.startsWith("pulumi:providers:")) {
        return "provider";
    }
    if (type === "pulumi:pulumi:Stack" || /:index:/.test(type)) {
        return undefined; // components: no work of their own
    }
    const kind = kindOf(type);
    if (kind === "ProducerSchedule") {
        return "schedule";
    }
    if (["NodeosContainer", "DockerContainer", "Volume", "DockerVolume", "Network", "DockerNetwork"].includes(kind)) {
        return "container";
    }
    if (kind === "KeyPair") {
        return "keys";
    }
    return "chain";
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function stepsOf(events: { t: number; event: any }[]): Step[] {
    const open = new Map<string, Step>();
    const done: Step[] = [];
    for (const { t, event } of events) {
        const pre = event.resourcePreEvent?.metadata;
        const out = event.resOutputsEvent?.metadata;
        const failed = event.resOpFailedEvent?.metadata;
        const m = pre ?? out ?? failed;
        if (!m) {
            continue;
        }
        const key = `${m.op}|${m.urn}`;
        if (pre) {
            open.set(key, { urn: m.urn, type: m.type, kind: kindOf(m.type), op: m.op, start: t, end: t, failed: false });
        } else {
            const s = open.get(key);
            if (s) {
                s.end = t;
                s.failed = !!failed;
                open.delete(key);
                done.push(s);
            }
        }
    }
    // Steps still open when the log ended (a failed run): they ran until the end.
    const last = events.length > 0 ? events[events.length - 1].t : 0;
    for (const s of open.values()) {
        s.end = last;
        s.failed = true;
        done.push(s);
    }
    return done.sort((a, b) => a.start - b.start);
}

export interface Breakdown {
    total: number;
    /** Seconds by phase; they add up to total. */
    phases: Record<string, number>;
    /** Most steps doing work at once, and seconds spent at that many. */
    maxConcurrency: number;
    secondsAtMax: number;
    /** Work steps by kind: count and summed seconds. */
    byKind: Record<string, { count: number; seconds: number }>;
    firstWorkStart: number;
    lastWorkEnd: number;
}

export interface Interval {
    category: Category;
    start: number;
    end: number;
}

export function workIntervals(steps: Step[]): Interval[] {
    return steps.flatMap((s) => {
        const c = categoryOf(s.type);
        return c && WORK_OPS.has(s.op) ? [{ category: c, start: s.start, end: s.end }] : [];
    });
}

/** The run's wall time split by what was running, the intervals being the work done. */
export function breakdown(intervals: Interval[], total: number, labels: Partial<Record<Category | "startup" | "gaps" | "shutdown", string>> = {}): Breakdown {
    const name = (k: Category | "startup" | "gaps" | "shutdown") => labels[k] ?? k;
    const phases: Record<string, number> = {};
    const add = (k: string, v: number) => {
        if (v > 0) {
            phases[k] = (phases[k] ?? 0) + v;
        }
    };
    if (intervals.length === 0) {
        add(name("startup"), total);
        return { total, phases, maxConcurrency: 0, secondsAtMax: 0, byKind: {}, firstWorkStart: total, lastWorkEnd: total };
    }
    const first = Math.min(...intervals.map((i) => i.start));
    const last = Math.max(...intervals.map((i) => i.end));
    add(name("startup"), first);
    // Sweep over every boundary; between two boundaries the set of running intervals is fixed.
    const points = [...new Set(intervals.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
    let maxConcurrency = 0;
    let secondsAtMax = 0;
    for (let k = 0; k + 1 < points.length; k++) {
        const a = points[k];
        const b = points[k + 1];
        const running = intervals.filter((i) => i.start <= a && i.end >= b && i.end > i.start);
        const counted = running.filter((i) => i.category !== "provider").length;
        if (counted > maxConcurrency) {
            maxConcurrency = counted;
            secondsAtMax = 0;
        }
        if (counted === maxConcurrency) {
            secondsAtMax += b - a;
        }
        const top = CATEGORY_ORDER.find((c) => running.some((i) => i.category === c));
        add(top ? name(top) : name("gaps"), b - a);
    }
    add(name("shutdown"), Math.max(0, total - last));
    return { total, phases, maxConcurrency, secondsAtMax, byKind: {}, firstWorkStart: first, lastWorkEnd: last };
}

/** The breakdown of an engine run from its events; byKind filled from the steps. */
export function engineBreakdown(events: { t: number; event: unknown }[], total: number): Breakdown & { steps: Step[] } {
    const steps = stepsOf(events as { t: number; event: never }[]);
    const b = breakdown(workIntervals(steps), total, ENGINE_LABELS);
    for (const s of steps) {
        if (!WORK_OPS.has(s.op) || !categoryOf(s.type)) {
            continue;
        }
        const k = (b.byKind[s.kind] ??= { count: 0, seconds: 0 });
        k.count++;
        k.seconds += s.end - s.start;
    }
    return { ...b, steps };
}

export const ENGINE_LABELS = {
    startup: "start-up (CLI, program, plugins)",
    provider: "providers, keys",
    keys: "providers, keys",
    container: "containers",
    chain: "transactions",
    schedule: "chain wait (schedule, LIB)",
    gaps: "engine gaps (no step running)",
    shutdown: "shut-down (last state write)",
} as const;

/** The phases shown in the cold-boot table, in order (engine and floor share them). */
export const PHASE_ROWS = [
    ENGINE_LABELS.startup,
    ENGINE_LABELS.container,
    ENGINE_LABELS.keys,
    ENGINE_LABELS.chain,
    ENGINE_LABELS.schedule,
    ENGINE_LABELS.gaps,
    ENGINE_LABELS.shutdown,
];

/** Start-up split: CLI and engine until the stack resource, program load, plugins until the first step. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startupSplit(events: { t: number; event: any }[], firstWorkStart: number): { engine: number; program: number; plugins: number } {
    const pres = events.filter((e) => e.event.resourcePreEvent);
    const stackAt = pres.find((e) => e.event.resourcePreEvent.metadata.type === "pulumi:pulumi:Stack")?.t ?? 0;
    const firstOther = pres.find((e) => e.event.resourcePreEvent.metadata.type !== "pulumi:pulumi:Stack")?.t ?? stackAt;
    const program = Math.max(0, Math.min(firstOther, firstWorkStart) - stackAt);
    return { engine: Math.min(stackAt, firstWorkStart), program, plugins: Math.max(0, firstWorkStart - Math.max(firstOther, stackAt)) };
}
