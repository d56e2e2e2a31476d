// The typed configuration and the profile module, called directly: defaults,
// parsing, and the stages and thresholds they turn into.
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../../scripts/lib/config/config.js';
import { buildStages, capacityStages, durationMs } from '../../../scripts/profiles/stages.js';
import { operationThresholds } from '../../../scripts/profiles/thresholds.js';

describe('loadConfig', () => {
  it('gives the documented defaults in a frozen object', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      addr: '127.0.0.1:6000',
      tls: false,
      transport: 'grpc',
      httpUrl: 'http://127.0.0.1:8080',
      profile: 'smoke',
      readRatio: 0.8,
      blobSizes: [1024, 102_400, 1_048_576, 10_485_760],
      keepData: false,
      summaryPath: 'results/summary.json',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('compares every record read in full under the smoke profile, one in 8 under the others, unless VERIFY_EVERY says', () => {
    expect(loadConfig({}).verifyEvery).toBe(1);
    expect(loadConfig({ PROFILE: 'load' }).verifyEvery).toBe(8);
    expect(loadConfig({ PROFILE: 'capacity', VERIFY_EVERY: '1' }).verifyEvery).toBe(1);
    expect(loadConfig({ PROFILE: 'smoke', VERIFY_EVERY: '16' }).verifyEvery).toBe(16);
  });

  it('parses sizes in any order and unit, without duplicates', () => {
    expect(loadConfig({ BLOB_SIZES: '2MB, 512B,1KiB,1kb' }).blobSizes).toEqual([512, 1024, 2_097_152]);
  });

  it('never shows the auth token when describing the configuration', () => {
    const described = JSON.stringify(describeConfig(loadConfig({ OPEN_SAVES_AUTH_TOKEN: 's3cr3t' })));
    expect(described).not.toContain('s3cr3t');
    expect(described).toContain('(set, not shown)');
  });
});

describe('profile stages', () => {
  it('ramps to RATE and holds it under the load profile', () => {
    expect(buildStages(loadConfig({ PROFILE: 'load', RATE: '500', RAMP: '30s', HOLD: '2m' }))).toEqual([
      { duration: '30s', target: 500 },
      { duration: '2m', target: 500 },
    ]);
  });

  it('lets STAGES replace the shape entirely', () => {
    const stages = [{ duration: '5s', target: 7 }];
    expect(buildStages(loadConfig({ PROFILE: 'stress', RATE: '900', STAGES: JSON.stringify(stages) }))).toEqual(stages);
  });

  it('climbs in five equal steps to the peak for capacity', () => {
    const targets = capacityStages(5000, '10s', '1m').map((stage) => stage.target);
    expect(targets).toEqual([1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]);
  });

  it('reads k6 durations', () => {
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('250ms')).toBe(250);
  });
});

describe('operation thresholds', () => {
  it('puts latency on the transport metric and success on status checks, per operation', () => {
    const thresholds = operationThresholds(['GetRecord', 'GetBlob'], loadConfig({ PROFILE: 'load' }));
    expect(thresholds).toEqual({
      'grpc_req_duration{op:GetRecord,scenario:main}': ['p(95)<100', 'p(99)<250'],
      'checks{op:GetRecord,kind:status,scenario:main}': ['rate>=0.99'],
      'grpc_req_duration{op:GetBlob,scenario:main}': ['p(95)<2000', 'p(99)<5000'],
      'checks{op:GetBlob,kind:status,scenario:main}': ['rate>=0.99'],
    });
  });

  it('takes the SLO overrides and the HTTP metric when asked', () => {
    const config = loadConfig({ TRANSPORT: 'http', SLO_P95_MS: '40', SLO_P99_MS: '90', SLO_ERROR_RATE: '0.05' });
    expect(operationThresholds(['GetRecord'], config)).toEqual({
      'http_req_duration{op:GetRecord,scenario:main}': ['p(95)<40', 'p(99)<90'],
      'checks{op:GetRecord,kind:status,scenario:main}': ['rate>=0.95'],
    });
  });
});
