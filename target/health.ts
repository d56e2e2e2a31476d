// The gRPC health service (grpc.health.v1.Health): "" and grpc.health.v1.opensaves
// report SERVING until shutdown starts, then NOT_SERVING; Watch streams changes.
import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HEALTH_SERVICE_NAME } from './constants.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

interface HealthRequest {
  service?: string;
}

export class HealthStatus {
  private current: ServingStatus = 'SERVING';
  private readonly watchers = new Set<ServerWritableStream<HealthRequest, { status: string }>>();

  get status(): ServingStatus {
    return this.current;
  }

  set(next: ServingStatus): void {
    this.current = next;
    for (const call of this.watchers) call.write({ status: next });
  }

  /** Ends open Watch streams so shutdown does not wait for them. */
  closeWatchers(): void {
    for (const call of this.watchers) call.end();
    this.watchers.clear();
  }

  implementation(): UntypedServiceImplementation {
    const known = (service: string | undefined): boolean => service === '' || service === HEALTH_SERVICE_NAME;
    return {
      Check: (call: ServerUnaryCall<HealthRequest, { status: string }>, callback: sendUnaryData<{ status: string }>) => {
        if (!known(call.request.service)) {
          callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
          return;
        }
        callback(null, { status: this.current });
      },
      Watch: (call: ServerWritableStream<HealthRequest, { status: string }>) => {
        if (!known(call.request.service)) {
          call.write({ status: 'SERVICE_UNKNOWN' });
          return;
        }
        call.write({ status: this.current });
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }
}
