// The figures `npm run bench` prints, one `name value unit` line each, with the
// target of BENCHMARKS.md where there is one: `report_seconds 0.61 s (target < 1 s: met)`.
// A bench in its own file prints through `figure` and adds its targets here.

interface Target {
  /** The figure must stay below this (or at most, with `inclusive`). */
  below: number;
  inclusive?: boolean;
}

export const TARGETS: Record<string, Target> = {
  report_seconds: { below: 1 },
  report_vs_r_ratio: { below: 0.5 },
  report_8th_wave_cold_seconds: { below: 5 },
  report_8th_wave_seconds: { below: 1 },
  pdf_demo_seconds: { below: 2 },
  pdf_demo_pages: { below: 15, inclusive: true },
  report_page_demo_pglite_ms: { below: 1000 },
  public_page_demo_pglite_ms: { below: 1000 },
  health_p90_during_reports_ms: { below: 200 },
  member_page_p90_during_reports_ms: { below: 200 },
  pdf_seconds: { below: 3 },
  import_vs_copy_ratio: { below: 5, inclusive: true },
  import_peak_rss_mb: { below: 300 },
  http_errors: { below: 0, inclusive: true },
  upload_health_worst_ms: { below: 1000 },
  report_calibrated_seconds: { below: 1 },
  upload_health_errors: { below: 0, inclusive: true },
};

/** Every figure printed so far, for the summary at the end. */
export const printed: { name: string; value: number; unit: string; met: boolean | null }[] = [];

/** Print one figure as `name value unit`, followed by its target and whether it is met. */
export function figure(name: string, value: number, unit: string): void {
  const target = TARGETS[name];
  const shown = Number(value.toPrecision(4));
  const met = target ? (target.inclusive ? value <= target.below : value < target.below) : null;
  printed.push({ name, value: shown, unit, met });
  const goal = target
    ? ` (target ${target.inclusive ? '≤' : '<'} ${target.below} ${unit}: ${met ? 'met' : 'MISSED'})`
    : '';
  console.log(`${name} ${shown} ${unit}${goal}`);
}

/** Seconds since a process.hrtime.bigint() start. */
export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
