/** Edits (insert, delete, substitute, swap two neighbours) between two names, ignoring case. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

/** The known names a mistyped `name` is probably meant as: the closest ones, a third of a name's letters wrong at most. */
export function nearNames(name: string, known: readonly string[]): string[] {
  const near = known.map((k) => ({ k, d: editDistance(k, name) })).filter(({ k, d }) => d <= Math.max(1, Math.floor(k.length / 3)));
  const best = Math.min(...near.map(({ d }) => d));
  return near.filter(({ d }) => d === best).map(({ k }) => k);
}
