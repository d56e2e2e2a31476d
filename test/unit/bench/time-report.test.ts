import { describe, expect, it } from 'vitest';
import { parseTimeReport } from '../../../bench/lib/measure/time-report.js';

describe('parseTimeReport', () => {
  it('adds user and system time and keeps the peak RSS', () => {
    expect(parseTimeReport('10.16 2.02 0.70 91756\n', 'of k6')).toEqual({
      wallSeconds: 10.16,
      userSeconds: 2.02,
      systemSeconds: 0.7,
      cpuSeconds: 2.02 + 0.7,
      peakRssKb: 91756,
    });
  });

  it('skips the note GNU time adds for a non-zero exit', () => {
    const report = parseTimeReport('Command exited with non-zero status 99\n3.10 0.50 0.25 8000\n', 'of k6');
    expect(report.cpuSeconds).toBeCloseTo(0.75, 6);
    expect(report.peakRssKb).toBe(8000);
  });

  it('names the run and shows what it got for a report it cannot read', () => {
    expect(() => parseTimeReport('Command terminated by signal 9\n', 'of ghz Ping')).toThrow(
      'invalid time report of ghz Ping; reason: expected "<wall> <user> <sys> <maxrss>", got `Command terminated by signal 9`',
    );
  });
});
