/**
 * The smallest `low` and largest `high` such that a Binomial(n, p) count falls below `low`, or
 * above `high`, each with probability under `tail`: bounds for a statistical assertion that
 * cannot flake in practice (tail 1e-9: once in a billion runs).
 */
export function binomialBounds(n: number, p: number, tail = 1e-9): [number, number] {
  const logChoose = (k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const pmf = (k: number) => Math.exp(logChoose(k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  let low = 0;
  for (let below = 0; low < n && below + pmf(low) < tail; low++) below += pmf(low);
  let high = n;
  for (let above = 0; high > 0 && above + pmf(high) < tail; high--) above += pmf(high);
  return [low, high];
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}
