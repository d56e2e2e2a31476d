// Paths given in the environment (MIX, OPEN_SAVES_CA_CERT) are meant relative to
// the directory k6 was started from; k6's open() would resolve them against the
// bundle in dist/ instead, so they are made absolute with PWD when k6 passes it.
export function resolveUserPath(path: string): string {
  return path.startsWith('/') || __ENV.PWD === undefined ? path : `${__ENV.PWD}/${path}`;
}
