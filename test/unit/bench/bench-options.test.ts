import { describe, expect, it } from 'vitest';
import { BenchConfigError, choiceList, integerList, positiveInteger, readOptions } from '../../../bench/lib/options.js';
import { markdownTable, ratio } from '../../../bench/lib/table.js';
import { cpuLayout } from '../../../bench/lib/measure/cpu-layout.js';

describe('benchmark options', () => {
  it('fills defaults and takes given values', () => {
    expect(readOptions(['--rate', '500'], { rate: '1000', duration: '15' })).toEqual({ rate: '500', duration: '15' });
  });

  it('names the known options when given an unknown one', () => {
    expect(() => readOptions(['--rat', '5'], { rate: '1000' })).toThrow(/invalid arguments; reason: expected only --rate/);
  });

  it('checks integers with the option name, the range and the value got', () => {
    expect(positiveInteger('rate', '2000', 5000)).toBe(2000);
    expect(() => positiveInteger('rate', '0', 5000)).toThrow('invalid --rate; reason: expected an integer from 1 to 5000, got `0`');
    expect(() => positiveInteger('rate', '12x', 5000)).toThrow(BenchConfigError);
    expect(() => positiveInteger('rate', '5001', 5000)).toThrow(/got `5001`/);
  });

  it('parses lists and rejects unknown choices', () => {
    expect(integerList('vus', '100,500,1000')).toEqual([100, 500, 1000]);
    expect(choiceList('workloads', 'Ping,mixed', ['Ping', 'GetRecord', 'mixed'])).toEqual(['Ping', 'mixed']);
    expect(() => choiceList('workloads', 'Ping,Pong', ['Ping', 'GetRecord'])).toThrow(
      'invalid --workloads; reason: expected a comma-separated list of Ping, GetRecord, got `Ping,Pong`',
    );
    expect(() => integerList('vus', '')).toThrow(/invalid --vus/);
  });
});

describe('markdownTable', () => {
  it('aligns columns and formats numbers by magnitude, with a dash for missing values', () => {
    const table = markdownTable(['case', 'value'], [['a', 2.345], ['bb', 123.4], ['c', null], ['d', 12]]);
    expect(table.split('\n')).toEqual([
      '| case | value |',
      '| ---- | ----- |',
      '| a    | 2.35  |',
      '| bb   | 123   |',
      '| c    | —     |',
      '| d    | 12    |',
    ]);
  });

  it('writes ratios with two decimals and refuses to divide by nothing', () => {
    expect(ratio(3.3, 3)).toBe('1.10×');
    expect(ratio(3, 0)).toBe('—');
    expect(ratio(null, 3)).toBe('—');
  });
});

describe('cpuLayout', () => {
  it('gives the generator and the emulator a core each when there are two', () => {
    expect(cpuLayout(2)).toMatchObject({ generator: '0', emulator: '1' });
  });

  it('lets them share the only core otherwise', () => {
    expect(cpuLayout(1)).toMatchObject({ generator: '0', emulator: '0' });
  });
});
