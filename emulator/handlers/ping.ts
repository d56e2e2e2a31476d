// Ping (spec d.7): echoes `ping` as `pong` and touches no state.
export function ping(request: { ping?: string }): { pong: string } {
  return { pong: request.ping ?? '' };
}
