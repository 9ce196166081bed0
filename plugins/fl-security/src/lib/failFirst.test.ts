import { failFirst } from './failFirst';
import { prepareResults } from './grouping';
import { result } from '../__testUtils__/fixtures';

const prepared = prepareResults([
  result({ ruleId: 'NET-01', status: 'pass' }),
  result({ ruleId: 'POD-01', status: 'warn', severity: 'medium' }),
  result({ ruleId: 'NET-02', status: 'pass' }),
  result({ ruleId: 'CERT-01', status: 'error', severity: 'medium' }),
  result({ ruleId: 'MESH-01', status: 'skip' }),
  result({ ruleId: 'NET-04', status: 'fail', severity: 'critical' }),
  result({ ruleId: 'FL-02', status: 'pass' }),
]);

describe('failFirst', () => {
  it('puts failing, erroring and warning results first, worst first, across areas', () => {
    const { attention } = failFirst(prepared, 'all');
    expect(attention.map(i => [i.result.status, i.result.ruleId])).toEqual([
      ['fail', 'NET-04'],
      ['error', 'CERT-01'],
      ['warn', 'POD-01'],
    ]);
  });

  it('collapses passes and skips per area with their counts', () => {
    const { settled } = failFirst(prepared, 'all');
    expect(
      settled.map(g => [g.area, g.passed, g.skipped, g.results.length]),
    ).toEqual([
      ['network', 2, 0, 2],
      ['participant-auth', 1, 0, 1],
      ['mesh', 0, 1, 1],
    ]);
  });

  it('applies the status filter to both parts', () => {
    expect(failFirst(prepared, 'fail')).toEqual({
      attention: [expect.objectContaining({ key: expect.any(String) })],
      settled: [],
    });
    const passes = failFirst(prepared, 'pass');
    expect(passes.attention).toEqual([]);
    expect(passes.settled.map(g => g.area)).toEqual([
      'network',
      'participant-auth',
    ]);
  });
});
