// The objects the scenarios hand k6 on every call (params, check names, tags) are
// built once per key and VU: building them per call cost more than the call's checks.

/** `build` runs once per key; later calls return what it built. */
export function memoized<K, V>(build: (key: K) => V): (key: K) => V {
  const built = new Map<K, V>();
  return (key) => {
    let value = built.get(key);
    if (value === undefined) built.set(key, (value = build(key)));
    return value;
  };
}
