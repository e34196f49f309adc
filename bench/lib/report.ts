// Numbers to text: medians, ratios and the tables `npm run bench` prints. Pure.

export function median(xs: number[]): number {
    const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) {
        return NaN;
    }
    const m = Math.floor(v.length / 2);
    return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function secs(x: number): string {
    if (!Number.isFinite(x)) {
        return "-";
    }
    if (x >= 120) {
        return `${Math.floor(x / 60)}m${String(Math.round(x % 60)).padStart(2, "0")}s`;
    }
    return `${x.toFixed(x < 10 ? 2 : 1)} s`;
}

/** "12.3 s (11.9-13.0)": the median and the range of the samples. */
export function secsRange(xs: number[]): string {
    const v = xs.filter((x) => Number.isFinite(x));
    if (v.length <= 1) {
        return secs(v[0] ?? NaN);
    }
    return `${secs(median(v))} (${secs(Math.min(...v)).replace(/ s$/, "")}-${secs(Math.max(...v))})`;
}

export function ratio(x: number): string {
    return Number.isFinite(x) ? `${x.toFixed(2)}x` : "-";
}

export function bytes(n: number): string {
    if (!Number.isFinite(n)) {
        return "-";
    }
    if (n >= 1024 * 1024) {
        return `${(n / 1024 / 1024).toFixed(1)} MB`;
    }
    if (n >= 1024) {
        return `${(n / 1024).toFixed(1)} KB`;
    }
    return `${Math.round(n)} B`;
}

/** A plain text table; columns are padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Least-squares slope of log(y) on log(x): 1 is linear growth, 2 quadratic. */
export function growthExponent(points: { x: number; y: number }[]): number {
    const p = points.filter((q) => q.x > 0 && q.y > 0);
    if (p.length < 2) {
        return NaN;
    }
    const lx = p.map((q) => Math.log(q.x));
    const ly = p.map((q) => Math.log(q.y));
    const mx = lx.reduce((a, b) => a + b, 0) / p.length;
    const my = ly.reduce((a, b) => a + b, 0) / p.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < p.length; i++) {
        num += (lx[i] - mx) * (ly[i] - my);
        den += (lx[i] - mx) ** 2;
    }
    return den > 0 ? num / den : NaN;
}

export function yesNo(met: boolean | undefined): string {
    return met === undefined ? "-" : met ? "yes" : "NO";
}
