// One status check per call; a verified read's status check carries its read-back check.
import { describe, expect, it } from 'vitest';
import { createStatusChecks, foldedSentence, statusSentence } from '../../../scripts/lib/verify/status-checks.js';

function recorder() {
  const emitted: { name: string; passed: boolean; tags: Readonly<Record<string, string>> }[] = [];
  const checks = createStatusChecks((outcomes, tags) => {
    for (const [name, passed] of Object.entries(outcomes)) emitted.push({ name, passed, tags });
  });
  return { checks, emitted };
}

describe('status checks', () => {
  it('record one check per call, tagged op and kind=status', () => {
    const { checks, emitted } = recorder();
    checks.call('CreateRecord', true);
    checks.call('CreateRecord', false);
    expect(emitted).toEqual([
      { name: statusSentence('CreateRecord'), passed: true, tags: { op: 'CreateRecord', kind: 'status' } },
      { name: statusSentence('CreateRecord'), passed: false, tags: { op: 'CreateRecord', kind: 'status' } },
    ]);
  });

  it('let an OK call wait for its read-back and record one check carrying both', () => {
    const { checks, emitted } = recorder();
    checks.call('GetRecord', true, 'a record reads back as last written');
    expect(emitted).toEqual([]);
    expect(checks.readBack('GetRecord', 'a record reads back as last written', false)).toBe(true);
    expect(emitted).toEqual([
      { name: foldedSentence('GetRecord', 'a record reads back as last written'), passed: false, tags: { op: 'GetRecord', kind: 'status' } },
    ]);
    expect(emitted[0]!.name).toBe('the GetRecord call ends with an expected status and a record reads back as last written');
  });

  it('record a failed call at once, and leave a later read-back to the caller', () => {
    const { checks, emitted } = recorder();
    checks.call('Ping', false, 'Ping echoes its text');
    expect(emitted).toEqual([{ name: statusSentence('Ping'), passed: false, tags: { op: 'Ping', kind: 'status' } }]);
    expect(checks.readBack('Ping', 'Ping echoes its text', true)).toBe(false);
  });

  it('leave read-back checks of other calls or sentences to the caller', () => {
    const { checks, emitted } = recorder();
    checks.call('GetBlob', true, 'a downloaded blob starts with its metadata');
    expect(checks.readBack('GetBlob', 'a downloaded blob has exactly the bytes uploaded', true)).toBe(false);
    expect(checks.readBack('GetRecord', 'a downloaded blob starts with its metadata', true)).toBe(false);
    expect(checks.readBack('GetBlob', 'a downloaded blob starts with its metadata', true)).toBe(true);
    expect(emitted.map((check) => check.name)).toEqual([foldedSentence('GetBlob', 'a downloaded blob starts with its metadata')]);
  });

  it('still record the status check of a call whose read-back never came, on the next call', () => {
    const { checks, emitted } = recorder();
    checks.call('GetStore', true, 'a store reads back with its key');
    checks.call('Ping', true);
    expect(emitted.map((check) => [check.name, check.passed])).toEqual([
      [statusSentence('GetStore'), true],
      [statusSentence('Ping'), true],
    ]);
  });

  it('record a prepared read-back at once, after the status check a previous call left waiting', () => {
    const { checks, emitted } = recorder();
    const pingEchoes = checks.folded('Ping', 'Ping echoes its text');
    checks.call('GetStore', true, 'a store reads back with its key');
    pingEchoes(true);
    pingEchoes(false);
    expect(emitted.map((check) => [check.name, check.passed, check.tags.op])).toEqual([
      [statusSentence('GetStore'), true, 'GetStore'],
      [foldedSentence('Ping', 'Ping echoes its text'), true, 'Ping'],
      [foldedSentence('Ping', 'Ping echoes its text'), false, 'Ping'],
    ]);
    // Nothing is left waiting: the next call records only its own check.
    checks.call('Ping', true);
    expect(emitted).toHaveLength(4);
  });

  it('settle a call left waiting when its read is tried again: status alone, passed, and nothing left waiting', () => {
    const { checks, emitted } = recorder();
    checks.call('GetRecord', true, 'a record reads back as last written');
    checks.settle();
    checks.call('GetRecord', true, 'a record reads back as last written');
    expect(checks.readBack('GetRecord', 'a record reads back as last written', true)).toBe(true);
    checks.settle();
    expect(emitted.map((check) => [check.name, check.passed])).toEqual([
      [statusSentence('GetRecord'), true],
      [foldedSentence('GetRecord', 'a record reads back as last written'), true],
    ]);
  });

  it('hand k6 the same objects on every call of an operation, built once', () => {
    const handed: object[] = [];
    const checks = createStatusChecks((outcomes, tags) => handed.push(outcomes, tags));
    checks.call('Ping', true);
    checks.call('Ping', true);
    checks.call('GetRecord', true, 'a record reads back as last written');
    checks.readBack('GetRecord', 'a record reads back as last written', true);
    checks.call('GetRecord', true, 'a record reads back as last written');
    checks.readBack('GetRecord', 'a record reads back as last written', true);
    expect(handed[0]).toBe(handed[2]);
    expect(handed[1]).toBe(handed[3]);
    expect(handed[4]).toBe(handed[6]);
    expect(handed[4]).not.toBe(handed[0]);
  });
});
