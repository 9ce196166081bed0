import { generateFromInput } from '../generator';
import { evaluateFederations } from '.';
import { specVariants } from '../generator/testing/specs';
for (const [name, spec] of Object.entries(specVariants)) {
const r = generateFromInput(spec);
if (!r.ok) throw new Error('bad');
const reports = evaluateFederations({ snapshots: [{ objects: r.objects as any, gaps: [] }], now: new Date() });
for (const rep of reports) {
  console.log('=====', name, rep.federation, rep.summary);
  for (const x of rep.results) if (!['pass','skip'].includes(x.status)) console.log(x.ruleId, x.status, x.resource.kind, x.resource.namespace, x.resource.name, '-', x.message);
  console.log(JSON.stringify(rep.reachability.map(e=>[e.port,e.source.label,e.expected]),null,0));
}}
