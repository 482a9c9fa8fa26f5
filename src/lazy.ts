/**
 * A value built on first use, standing in for it meanwhile: the plan's zod schemas are
 * public exports, but a plain `apply` never parses a saved plan or prints a JSON Schema,
 * and building them at import cost ~15 ms of a 100-link no-op (CPU profile). Only property
 * access builds it, so a schema may be named inside another schema's shape; calling one of
 * its methods (`.nullable()`) at import builds it then.
 */
export function lazy<T extends object>(build: () => T): T {
  let value: T | undefined;
  const real = (): T => (value ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property its own (empty) target lacks as non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
