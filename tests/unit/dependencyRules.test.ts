// The import rules of .dependency-cruiser.cjs (run over the real tree by `npm run lint:deps`, part of
// `npm test`) checked against a small tree of our own: each forbidden direction is reported, each
// allowed one is not. Without this, a rule with a wrong path pattern would silently pass everything.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config: IConfiguration = require('../../.dependency-cruiser.cjs');

/** file → the files it imports (paths relative to the tree's root, without the extension). */
const TREE: Record<string, string[]> = {
  'signaling/shared/protocol': ['signaling/shared/domain'],
  'signaling/shared/domain': [],
  'signaling/shared/bad': ['server/tickets/service'],
  'media/Peer': ['signaling/shared/domain'],
  'media/bad': ['server/tickets/service', 'signaling/handlers/chat'],
  'server/tickets/service': ['media/Peer', 'signaling/shared/protocol'],
  'server/tickets/bad': ['signaling/handlers/chat'],
  'server/app': ['signaling/handlers/chat', 'server/tickets/service', 'media/Peer'],
  'signaling/handlers/chat': ['server/tickets/service', 'signaling/shared/protocol'],
  'signaling/handlers/bad': ['media/Peer'],
  'client/src/ok': ['signaling/shared/protocol'],
  'server/cycle/a': ['server/cycle/b'],
  'server/cycle/b': ['server/cycle/a'],
  'client/src/bad': ['server/tickets/service', 'signaling/handlers/chat'],
};

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-deps-'));
  for (const [file, imports] of Object.entries(TREE)) {
    const full = path.join(root, `${file}.ts`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const lines = imports.map((target, i) => {
      const relative = path.relative(path.dirname(full), path.join(root, target));
      return `import * as m${i} from '${relative.startsWith('.') ? relative : `./${relative}`}';\nexport const v${i} = m${i};`;
    });
    fs.writeFileSync(full, `${lines.join('\n')}\nexport const here = 1;\n`);
  }
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function violations(): Promise<string[]> {
  const result = await cruise(['server', 'media', 'signaling', 'client'], {
    ...config.options,
    tsConfig: undefined,
    ruleSet: { forbidden: config.forbidden },
    validate: true,
    baseDir: root,
  });
  if (typeof result.output === 'string') throw new Error('expected a cruise result object');
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('dependency direction rules', () => {
  it('report every import against the direction and every cycle, and nothing else', async () => {
    expect(await violations()).toEqual(
      [
        'client-imports-only-the-leaf: client/src/bad.ts → server/tickets/service.ts',
        'client-imports-only-the-leaf: client/src/bad.ts → signaling/handlers/chat.ts',
        'leaf-imports-nothing-of-the-app: signaling/shared/bad.ts → server/tickets/service.ts',
        'media-imports-only-the-leaf: media/bad.ts → server/tickets/service.ts',
        'no-cycles-between-layers: server/cycle/a.ts → server/cycle/b.ts',
        'media-imports-only-the-leaf: media/bad.ts → signaling/handlers/chat.ts',
        'server-imports-no-signaling: server/tickets/bad.ts → signaling/handlers/chat.ts',
        'signaling-goes-through-the-server: signaling/handlers/bad.ts → media/Peer.ts',
      ].sort(),
    );
  });
});
