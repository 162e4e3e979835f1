/**
 * An exact audit of what published sums reveal: each published figure of a variable is a sum of
 * unknown contributions (one per organisation and value), and a set of sums reveals one
 * contribution exactly when the unit vector of that unknown lies in their row space. The rows are
 * kept in reduced row echelon form with exact fractions; a unit vector is in the row space
 * exactly when one of the reduced rows has a single nonzero entry.
 *
 * This catches what comparing figures two by two misses: sums over A..E, A..J and F..K differ
 * pairwise by five or more organisations, yet together they give K's score
 * ((F..K) − (A..J) + (A..E)).
 */

type Fraction = { n: bigint; d: bigint };
const ZERO: Fraction = { n: 0n, d: 1n };
const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
const norm = (n: bigint, d: bigint): Fraction => {
  if (n === 0n) return ZERO;
  const g = gcd(n, d);
  const s = d < 0n ? -1n : 1n;
  return { n: (s * n) / g, d: (s * d) / g };
};
const sub = (a: Fraction, b: Fraction): Fraction => norm(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Fraction, b: Fraction): Fraction => norm(a.n * b.n, a.d * b.d);
const div = (a: Fraction, b: Fraction): Fraction => norm(a.n * b.d, a.d * b.n);

/** A sparse row: unknown index → coefficient. */
type Row = Map<number, Fraction>;

/** The published sums of one variable, reduced; `add` tells whether a new sum would reveal an unknown. */
export class SumAudit {
  private readonly unknowns = new Map<string, number>();
  /** pivot column → its reduced row (the pivot's coefficient is 1, no other row has that column). */
  private rows = new Map<number, Row>();

  /** Whether adding a sum over these unknowns would leave some unknown exactly determined. */
  wouldReveal(unknowns: Iterable<string>): boolean {
    const copy = new Map([...this.rows].map(([p, r]) => [p, new Map(r)]));
    const saved = new Map(this.unknowns);
    const revealed = this.insert(unknowns);
    this.rows = copy;
    this.unknowns.clear();
    for (const [k, v] of saved) this.unknowns.set(k, v);
    return revealed;
  }

  /** Adds a published sum; returns whether the system now reveals some unknown. */
  add(unknowns: Iterable<string>): boolean {
    return this.insert(unknowns);
  }

  private insert(unknowns: Iterable<string>): boolean {
    const row: Row = new Map();
    for (const u of unknowns) {
      let i = this.unknowns.get(u);
      if (i === undefined) this.unknowns.set(u, (i = this.unknowns.size));
      row.set(i, { n: 1n, d: 1n });
    }
    // Reduce the new row by every existing pivot.
    for (const [pivot, r] of this.rows) {
      const c = row.get(pivot);
      if (!c) continue;
      for (const [col, v] of r) {
        const next = sub(row.get(col) ?? ZERO, mul(c, v));
        if (next.n === 0n) row.delete(col);
        else row.set(col, next);
      }
    }
    if (row.size > 0) {
      const pivot = Math.min(...row.keys());
      const lead = row.get(pivot)!;
      for (const [col, v] of row) row.set(col, div(v, lead));
      // Eliminate the new pivot from every other row, keeping the form fully reduced.
      for (const r of this.rows.values()) {
        const c = r.get(pivot);
        if (!c) continue;
        for (const [col, v] of row) {
          const next = sub(r.get(col) ?? ZERO, mul(c, v));
          if (next.n === 0n) r.delete(col);
          else r.set(col, next);
        }
      }
      this.rows.set(pivot, row);
    }
    for (const r of this.rows.values()) if (r.size === 1) return true;
    return false;
  }
}
