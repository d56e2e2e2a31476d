// The pure rules behind TRANSPORT=http: records round-trip through the AWS port's
// JSON shape unchanged, a read's written version is known from its opaque string,
// retry pauses stay within their budget, and CloudFront's WAF block is told apart
// from the API's own 403s and explained with what to do.
import { describe, expect, it } from 'vitest';
import { fromHttpRecord, toHttpRecord } from '../../../scripts/lib/transport/http-records.js';
import { buildRecord, recordDifferences, writtenVersion } from '../../../scripts/lib/model/records.js';
import { retryPausesMs } from '../../../scripts/lib/flows/retry-pauses.js';
import { isWafBlock, wafLines } from '../../../scripts/lib/transport/waf.js';

describe('records over the AWS port', () => {
  it('read back as the record written: owner, tags, typed properties and opaque string survive the JSON shape', () => {
    const written = buildRecord('rec-1', 42, 3);
    // What the port stores and returns: JSON, tags in any order, owner_id on top as in query results.
    const json = JSON.parse(JSON.stringify(toHttpRecord(written)));
    const returned = { ...json, tags: [...json.tags].reverse(), owner_id: written.ownerId, store_id: 's', created_at: 't' };
    expect(recordDifferences(fromHttpRecord(returned), written)).toEqual([]);
    // owner_id is carried where either flavour of the port reads it from.
    expect(json.properties.owner_id).toBe(written.ownerId);
    expect(json.owner_id).toBe(written.ownerId);
    expect(typeof json.properties.opaque_string).toBe('string');
  });

  it('differ when the port returns another version or changed content', () => {
    const written = buildRecord('rec-1', 42, 3);
    const older = fromHttpRecord(JSON.parse(JSON.stringify(toHttpRecord(buildRecord('rec-1', 42, 2)))));
    expect(recordDifferences(older, written)).not.toEqual([]);
    const json = toHttpRecord(written);
    const name = Object.keys(json.properties ?? {}).find((key) => typeof json.properties?.[key] === 'number') as string;
    const changed = fromHttpRecord({ ...json, properties: { ...json.properties, [name]: 'not a number' } });
    expect(recordDifferences(changed, written).join()).toContain(`property ${name}`);
  });
});

describe('writtenVersion', () => {
  it('reads the version a record was written at from its opaque string, for its own seed only', () => {
    expect(writtenVersion(buildRecord('k', 7, 0), 7)).toBe(0);
    expect(writtenVersion(buildRecord('k', 7, 12), 7)).toBe(12);
    expect(writtenVersion(buildRecord('k', 8, 1), 7)).toBeUndefined();
    expect(writtenVersion({ key: 'k', opaqueString: 'something else' }, 7)).toBeUndefined();
  });
});

describe('retryPausesMs', () => {
  it('doubles each pause and spends exactly the budget over the retries', () => {
    expect(retryPausesMs(5, 1500)).toEqual([100, 200, 400, 800]);
    const pauses = retryPausesMs(5, 1000);
    expect(pauses.reduce((sum, pause) => sum + pause, 0)).toBeCloseTo(1000, 9);
  });

  it('makes no pause when there is one try', () => {
    expect(retryPausesMs(1, 1000)).toEqual([]);
    expect(retryPausesMs(2, 0)).toEqual([0]);
  });
});

describe("CloudFront's WAF block", () => {
  it("is a 403 with CloudFront's headers or block page, and no other 403", () => {
    expect(isWafBlock(403, 'CloudFront', 'Error from cloudfront', '<html>Request blocked.</html>')).toBe(true);
    expect(isWafBlock(403, 'CloudFront', '', '')).toBe(true);
    expect(isWafBlock(403, '', 'Error from cloudfront', '')).toBe(true);
    expect(isWafBlock(403, '', '', 'The request could not be satisfied. Request blocked.')).toBe(true);
    // The API's own refusal (a token check) and a CloudFront answer that is not a block.
    expect(isWafBlock(403, '', '', '{"error":"wrong token","status":403}')).toBe(false);
    expect(isWafBlock(404, 'CloudFront', 'Error from cloudfront', '')).toBe(false);
  });

  it('is explained with the blocked host, the rule and what to do; nothing when nothing was blocked', () => {
    expect(wafLines(0, 'https://d1.cloudfront.net')).toEqual([]);
    const text = wafLines(12, 'https://d1.cloudfront.net/base').join('\n');
    expect(text).toContain("in front of d1.cloudfront.net blocked this runner's address: 12 requests answered 403");
    expect(text).toContain('2,000 requests per 5 minutes from one address (about 7/s)');
    expect(text).toContain("that is the port's default");
    expect(text).toContain('OS_INFRA_LOAD_EGRESS_CIDRS');
    expect(text).toContain('load balancer behind CloudFront');
  });
});
