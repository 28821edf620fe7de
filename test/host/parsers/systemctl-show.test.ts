import { describe, expect, it } from 'vitest';
import { parseSystemctlShow } from '../../../src/host/parsers/systemctl-show.js';

describe('parseSystemctlShow', () => {
  it('reads a running unit, whatever order systemd prints the properties in', () => {
    const r = parseSystemctlShow('ActiveState=active\nSubState=running\nLoadState=loaded\n');
    expect(r).toMatchObject({ loadState: 'loaded', activeState: 'active', subState: 'running', installed: true, problems: [] });
  });

  it('reads a stopped and a failed unit', () => {
    expect(parseSystemctlShow('LoadState=loaded\nActiveState=inactive\nSubState=dead\n')).toMatchObject({ activeState: 'inactive', subState: 'dead', installed: true });
    expect(parseSystemctlShow('LoadState=loaded\nActiveState=failed\nSubState=failed\n')).toMatchObject({ activeState: 'failed', installed: true });
  });

  it('LoadState=not-found means not installed (systemctl show still exits 0 for it)', () => {
    const r = parseSystemctlShow('LoadState=not-found\nActiveState=inactive\nSubState=dead\n');
    expect(r.installed).toBe(false);
    expect(r.loadState).toBe('not-found');
  });

  it('tolerates CRLF, a BOM, blank lines and trailing spaces', () => {
    const r = parseSystemctlShow('\uFEFF\r\nLoadState=loaded  \r\nActiveState=activating\r\nSubState=start\r\n\r\n');
    expect(r).toMatchObject({ loadState: 'loaded', activeState: 'activating', subState: 'start', problems: [] });
  });

  it('keeps "=" inside a value and every property read', () => {
    const r = parseSystemctlShow('LoadState=loaded\nActiveState=active\nSubState=running\nDescription=a=b\n');
    expect(r.properties['Description']).toBe('a=b');
  });

  it('reports missing states and odd lines as problems, never throwing', () => {
    const r = parseSystemctlShow('System has not been booted with systemd as init system (PID 1). Can\'t operate.\n');
    expect(r).toMatchObject({ loadState: null, activeState: null, subState: null, installed: true });
    expect(r.problems).toEqual([expect.stringMatching(/^line 1: not a Key=value line/), 'no LoadState line', 'no ActiveState line']);
    expect(parseSystemctlShow('').problems).toEqual(['no LoadState line', 'no ActiveState line']);
    expect(parseSystemctlShow('LoadState=\nActiveState=active\n').loadState).toBeNull();
  });
});
