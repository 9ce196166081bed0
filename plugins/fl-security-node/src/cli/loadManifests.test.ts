import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_CONCURRENCY, loadManifests } from './loadManifests';

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ns\n`;

describe('loadManifests', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fl-load-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** More files than reads in flight, in nested directories. */
  async function writeTree(count: number) {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const sub = join(dir, `d${i % 7}`);
      await mkdir(sub, { recursive: true });
      const name = `cm-${String(i).padStart(3, '0')}`;
      await writeFile(
        join(sub, `${name}.yaml`),
        `# ${name}\n${configMap(name)}`,
      );
      names.push(`d${i % 7}/${name}`);
    }
    return names.sort();
  }

  it('reads every file, in path order whatever order the reads end in', async () => {
    const names = await writeTree(READ_CONCURRENCY * 3 + 5);
    const loaded = await loadManifests([dir]);
    expect(loaded.files.map(f => f.slice(dir.length + 1, -5))).toEqual(names);
    expect(loaded.objects.map(o => o.metadata.name)).toEqual(
      names.map(n => n.split('/')[1]),
    );
    expect(loaded.locations.get('/ConfigMap/ns/cm-001')).toEqual({
      file: join(dir, 'd1', 'cm-001.yaml'),
      line: 2,
      column: 1,
    });
  });

  it('reports the first bad file in path order, with its line', async () => {
    await writeTree(READ_CONCURRENCY * 2);
    // d6/zz.yaml sorts after d0/aa.yaml; both are broken.
    await writeFile(join(dir, 'd6', 'zz.yaml'), 'kind: [\n');
    await writeFile(
      join(dir, 'd0', 'aa.yaml'),
      `${configMap('ok')}---\napiVersion: v1\nkind: {unclosed\n`,
    );
    await expect(loadManifests([dir])).rejects.toThrow(
      new RegExp(`^${join(dir, 'd0', 'aa.yaml')}:9:\\d+: invalid YAML/JSON: `),
    );
  });

  it('names a file it cannot read', async () => {
    await writeTree(3);
    await expect(
      loadManifests([dir, join(dir, 'missing.yaml')]),
    ).rejects.toThrow(/cannot read .*missing\.yaml: ENOENT/);
  });
});
