// Representativeness: a chi-square goodness-of-fit test of the respondents'
// distribution over the strata against the frame's (R: chisq.test(n, p = N/ΣN)).

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes gammq: series or continued fraction). */
export function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    for (let ap = a; Math.abs(del) > Math.abs(sum) * 1e-16; ) {
      ap += 1;
      del *= x / ap;
      sum += del;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

export interface ChiSquare {
  statistic: number;
  df: number;
  p: number;
}

/** Respondents n_h against frame counts N_h; strata with N_h = 0 are left out. */
export function chiSquareGoodnessOfFit(n: readonly number[], N: readonly number[]): ChiSquare | null {
  const pairs = n.map((v, i) => [v, N[i]] as const).filter(([, big]) => big > 0);
  const total = pairs.reduce((a, [v]) => a + v, 0);
  const frame = pairs.reduce((a, [, big]) => a + big, 0);
  if (pairs.length < 2 || total === 0) return null;
  const statistic = pairs.reduce((a, [v, big]) => {
    const expected = (total * big) / frame;
    return a + (v - expected) ** 2 / expected;
  }, 0);
  const df = pairs.length - 1;
  return { statistic, df, p: upperGammaQ(df / 2, statistic / 2) };
}
