// The command that removes a run's data later (dist/cleanup.js), for this run's own configuration.
import exec from 'k6/execution';
import { config } from '../config/runtime.js';
import { cleanupCommand } from '../run/cleanup-plan.js';

export function cleanupCommandFor(runId: string): string {
  const options = exec.test.options as { executionSegment?: unknown; executionSegmentSequence?: unknown };
  return cleanupCommand({
    runId,
    transport: config.transport,
    addr: config.addr,
    httpUrl: config.httpUrl,
    tls: config.tls,
    caCertPath: config.caCertPath,
    tokenSet: config.authToken !== undefined,
    executionSegment: options.executionSegment ? String(options.executionSegment) : undefined,
    executionSegmentSequence: options.executionSegmentSequence ? String(options.executionSegmentSequence) : undefined,
  });
}
