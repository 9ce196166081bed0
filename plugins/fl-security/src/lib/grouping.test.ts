import { groupByArea, prepareResults } from './grouping';
import { result } from '../__testUtils__/fixtures';

describe('prepareResults', () => {
  it('orders worst first: status, then severity, then rule title', () => {
    const prepared = prepareResults([
      result({ ruleId: 'NET-01', status: 'pass', severity: 'high' }),
      result({ ruleId: 'POD-01', status: 'warn', severity: 'medium' }),
      result({ ruleId: 'NET-02', status: 'fail', severity: 'high' }),
      result({ ruleId: 'ING-01', status: 'fail', severity: 'critical' }),
      result({ ruleId: 'CERT-01', status: 'error', severity: 'medium' }),
      result({ ruleId: 'MESH-01', status: 'skip', severity: 'high' }),
    ]);
    expect(prepared.map(p => p.result.ruleId)).toEqual([
      'ING-01',
      'NET-02',
      'CERT-01',
      'POD-01',
      'MESH-01',
      'NET-01',
    ]);
  });

  it('attaches rule titles and areas from the rule catalogue', () => {
    const [item] = prepareResults([result({ ruleId: 'FL-02' })]);
    expect(item.rule).toMatchObject({
      id: 'FL-02',
      title: 'Participant authentication is enabled',
      area: 'participant-auth',
    });
    expect(item.rule.rationale).toBeTruthy();
  });

  it('keeps results of rules it does not know, under "other"', () => {
    const [item] = prepareResults([result({ ruleId: 'NEW-99' })]);
    expect(item.rule).toEqual({ id: 'NEW-99', title: 'NEW-99', area: 'other' });
  });
});

describe('groupByArea', () => {
  const prepared = prepareResults([
    result({ ruleId: 'MESH-01', status: 'fail' }),
    result({ ruleId: 'NEW-99', status: 'fail' }),
    result({ ruleId: 'NET-01', status: 'pass' }),
    result({ ruleId: 'NET-03', status: 'fail' }),
    result({ ruleId: 'SEC-01', status: 'warn' }),
  ]);

  it('groups in the fixed area order with display titles', () => {
    expect(
      groupByArea(prepared, 'all').map(g => [g.title, g.results.length]),
    ).toEqual([
      ['Network policy', 2],
      ['Vault/secrets', 1],
      ['Mesh', 1],
      ['Other checks', 1],
    ]);
  });

  it('keeps only the chosen status and drops emptied areas', () => {
    const groups = groupByArea(prepared, 'fail');
    expect(groups.map(g => g.area)).toEqual(['network', 'mesh', 'other']);
    expect(groups[0].results.map(r => r.result.ruleId)).toEqual(['NET-03']);
    expect(groupByArea(prepared, 'error')).toEqual([]);
  });

  it('reuses the prepared items so rows can skip re-rendering', () => {
    const all = groupByArea(prepared, 'all').flatMap(g => g.results);
    const fails = groupByArea(prepared, 'fail').flatMap(g => g.results);
    for (const item of fails) expect(all).toContain(item);
  });
});
