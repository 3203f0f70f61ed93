/** Levenshtein distance over sequences (words, characters) and the similarity it implies. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** 1 for equal sequences, 0 for nothing in common (distance over the longer length). */
export function similarity<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  return 1 - editDistance(a, b) / Math.max(a.length, b.length, 1);
}
