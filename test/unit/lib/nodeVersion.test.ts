import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkNodeVersion } from '../../../src/lib/nodeVersion.js';

describe('checkNodeVersion', () => {
  it('accepts the version required and any later one', () => {
    for (const found of ['24.0.0', '24.21.0', '25.1.0', '26.0.0-pre', 'v24.0.0'])
      expect(checkNodeVersion(found, '>=24'), found).toBeNull();
    expect(checkNodeVersion('24.2.0', '>=24.1')).toBeNull();
    expect(checkNodeVersion('24.1.3', '>=24.1.3')).toBeNull();
  });

  it('refuses an older one in one line naming both versions and where the requirement is written', () => {
    const message = checkNodeVersion('20.20.2', '>=24');
    expect(message).toBe(
      'needs Node >=24 (package.json "engines"), but this is Node 20.20.2: run it with a newer node ' +
        '(the npm scripts use the one npm ci installs, node_modules/.bin/node)',
    );
    expect(message).not.toContain('\n');
    expect(checkNodeVersion('23.99.99', '>=24')).toMatch(/this is Node 23\.99\.99/);
    expect(checkNodeVersion('24.0.9', '>=24.1')).toMatch(/needs Node >=24\.1 /);
    expect(checkNodeVersion('24.1.2', '>=24.1.3')).not.toBeNull();
  });

  it('reads the range package.json states (so src/main.ts can pass it as it is)', () => {
    const { engines } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe('>=24');
    expect(checkNodeVersion(process.versions.node, engines.node)).toBeNull();
  });

  it('throws on a range it cannot read rather than letting any Node through', () => {
    expect(() => checkNodeVersion('24.0.0', '^24 || ^26')).toThrow(/cannot read the range/);
    expect(() => checkNodeVersion('banana', '>=24')).toThrow(/cannot read the version/);
  });
});
