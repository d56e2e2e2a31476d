// --require-token: a bearer token every Open Saves RPC and every /api/* request must
// carry, so a kit's handling of a rejected token can be tested locally. Probes (gRPC
// health and reflection, HTTP /health and /metrics) stay open, as they do behind a
// real gateway. Messages say what was wrong, never what the token is.
import { status, type Metadata, type ServerErrorResponse } from '@grpc/grpc-js';

export interface AccessDenial {
  /** UNAUTHENTICATED (missing) or PERMISSION_DENIED (wrong). */
  readonly grpcCode: status;
  /** 401 (missing) or 403 (wrong). */
  readonly httpStatus: number;
  readonly message: string;
}

const SCHEME = 'bearer ';

const MISSING: AccessDenial = Object.freeze({
  grpcCode: status.UNAUTHENTICATED,
  httpStatus: 401,
  message: 'missing credentials: this server requires `authorization: Bearer <token>` (emulator started with --require-token)',
});

const NOT_BEARER: AccessDenial = Object.freeze({
  grpcCode: status.UNAUTHENTICATED,
  httpStatus: 401,
  message: 'malformed credentials: the authorization value must be `Bearer <token>`',
});

const WRONG: AccessDenial = Object.freeze({
  grpcCode: status.PERMISSION_DENIED,
  httpStatus: 403,
  message: 'permission denied: the bearer token does not match the one this server requires (--require-token)',
});

export class AccessCheck {
  /** False without --require-token, so the hot path skips the check. */
  readonly active: boolean;

  constructor(private readonly requiredToken: string | undefined = undefined) {
    this.active = requiredToken !== undefined;
  }

  /** The denial for one authorization value (header or metadata), or undefined when allowed. */
  check(authorization: string | undefined): AccessDenial | undefined {
    if (!this.active) return undefined;
    if (authorization === undefined || authorization.trim() === '') return MISSING;
    const value = authorization.trim();
    // The scheme is case-insensitive (RFC 7235); the token is compared exactly.
    if (value.slice(0, SCHEME.length).toLowerCase() !== SCHEME) return NOT_BEARER;
    return value.slice(SCHEME.length).trim() === this.requiredToken ? undefined : WRONG;
  }

  /** The gRPC status to fail a call with, or undefined when the call may proceed. */
  checkGrpc(metadata: Metadata): ServerErrorResponse | undefined {
    if (!this.active) return undefined;
    const value = metadata.get('authorization')[0];
    const denial = this.check(typeof value === 'string' ? value : value?.toString('utf8'));
    if (!denial) return undefined;
    return Object.assign(new Error(denial.message), { code: denial.grpcCode, details: denial.message });
  }
}

export const OPEN_ACCESS = new AccessCheck();
