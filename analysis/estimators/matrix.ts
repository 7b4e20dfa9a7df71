// The little linear algebra the logistic regression and the calibration need:
// symmetric positive (semi)definite systems of a few dozen unknowns, solved by
// Cholesky. Columns that are linear combinations of earlier ones (an aliased
// category, a calibration variable that repeats another) are found once and left
// out, as R's lm/glm give them NA and calibrate() a generalised inverse: what is
// fitted does not depend on them.

export type Matrix = number[][];

/**
 * The columns of a symmetric matrix that are not (numerically) combinations of
 * earlier ones: Cholesky in column order, a column whose remaining pivot is below
 * `tolerance` times its diagonal is aliased.
 */
export function independentColumns(a: Matrix, tolerance = 1e-9): number[] {
  const p = a.length;
  const l: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const kept: number[] = [];
  for (let j = 0; j < p; j++) {
    let d = a[j][j];
    for (const k of kept) d -= l[j][k] * l[j][k];
    if (!(a[j][j] > 0) || d <= tolerance * a[j][j]) continue;
    const root = Math.sqrt(d);
    l[j][j] = root;
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j];
      for (const k of kept) s -= l[i][k] * l[j][k];
      l[i][j] = s / root;
    }
    kept.push(j);
  }
  return kept;
}

/** The Cholesky factor L of a symmetric positive definite A (A = L Lᵀ); null when A is not. */
export function cholesky(a: Matrix): Matrix | null {
  const p = a.length;
  const l: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solve L Lᵀ x = b for a Cholesky factor L (many right-hand sides share one factorisation). */
export function solveCholesky(l: Matrix, b: ArrayLike<number>): number[] {
  const p = l.length;
  const y = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/** Solve A x = b for symmetric positive definite A (Cholesky); null when A is not. */
export function choleskySolve(a: Matrix, b: readonly number[]): number[] | null {
  const l = cholesky(a);
  return l ? solveCholesky(l, b) : null;
}

/** Xᵀ diag(w) X for rows x_i with weights w_i. */
export function weightedCrossProduct(rows: readonly (readonly number[])[], w: readonly number[], p: number): Matrix {
  const a: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  rows.forEach((x, i) => {
    const wi = w[i];
    if (wi === 0) return;
    for (let j = 0; j < p; j++) {
      const v = wi * x[j];
      if (v === 0) continue;
      for (let k = 0; k <= j; k++) a[j][k] += v * x[k];
    }
  });
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[k][j] = a[j][k];
  return a;
}

/** Keep only the given columns of each row. */
export function selectColumns(rows: readonly (readonly number[])[], columns: readonly number[]): number[][] {
  return rows.map((x) => columns.map((j) => x[j]));
}
