/**
 * Memoized synthesis: the same inputs synthesize once per test worker, and every test that asks
 * again gets that result. The `cdk` Vitest project runs its files without isolation, so the
 * memo lives as long as the worker, across files (docs/testing.md).
 *
 * A synthesis is keyed by its inputs' JSON. Inputs that JSON cannot tell apart (a function, such
 * as an image override, or a construct from another app) are never memoized: those callers
 * synthesize afresh. A failed synthesis is not kept, so each caller sees the error itself.
 */
const memo = new Map<string, unknown>();

class NotSerializable extends Error {}

/** The JSON of `inputs`, or undefined when some part of them is not plain data. */
export function keyOf(inputs: unknown): string | undefined {
  try {
    return JSON.stringify(inputs, (_key, value: unknown) => {
      if (typeof value === 'function' || typeof value === 'symbol') throw new NotSerializable();
      // A construct (it has a `node`) is tied to its own app: it cannot serve another.
      if (typeof value === 'object' && value !== null && 'node' in value) {
        throw new NotSerializable();
      }
      // Instances of two classes with the same fields (two add-ons, two flavors) differ by class.
      const prototype: unknown =
        typeof value === 'object' && value ? Object.getPrototypeOf(value) : null;
      if (prototype && prototype !== Object.prototype && !Array.isArray(value)) {
        return { class: (value as object).constructor.name, ...(value as object) };
      }
      return value;
    });
  } catch (error) {
    if (error instanceof NotSerializable) return undefined;
    throw error;
  }
}

/** `render()`'s result for these inputs: rendered on the first call, then the same object. */
export function synthesizedOnce<T>(inputs: unknown, render: () => T): T {
  const key = keyOf(inputs);
  if (key === undefined) return render();
  if (memo.has(key)) return memo.get(key) as T;
  const result = render();
  memo.set(key, result);
  // An asynchronous synthesis that fails is dropped as well, once it has failed.
  if (result instanceof Promise) result.catch(() => memo.delete(key));
  return result;
}
