// The gRPC health service (grpc.health.v1.Health): "" and grpc.health.v1.opensaves
// report SERVING until shutdown starts, then NOT_SERVING; Watch streams changes.
import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HEALTH_SERVICE_NAME } from '../constants.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

interface HealthRequest {
  service?: string;
}

export class HealthStatus {
  private current: ServingStatus = 'SERVING';
  /** Open Watch streams; only those for a known service get status updates. */
  private readonly watchers = new Map<ServerWritableStream<HealthRequest, { status: string }>, boolean>();

  get status(): ServingStatus {
    return this.current;
  }

  set(next: ServingStatus): void {
    this.current = next;
    for (const [call, known] of this.watchers) if (known) call.write({ status: next });
  }

  /** Ends open Watch streams so shutdown does not wait for them. */
  closeWatchers(): void {
    for (const call of this.watchers.keys()) call.end();
    this.watchers.clear();
  }

  implementation(): UntypedServiceImplementation {
    const isKnown = (service: string | undefined): boolean => service === '' || service === HEALTH_SERVICE_NAME;
    return {
      Check: (call: ServerUnaryCall<HealthRequest, { status: string }>, callback: sendUnaryData<{ status: string }>) => {
        if (!isKnown(call.request.service)) {
          callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
          return;
        }
        callback(null, { status: this.current });
      },
      // As the health protocol says, Watch stays open for an unknown service (it may appear later).
      Watch: (call: ServerWritableStream<HealthRequest, { status: string }>) => {
        const known = isKnown(call.request.service);
        call.write({ status: known ? this.current : 'SERVICE_UNKNOWN' });
        this.watchers.set(call, known);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }
}
