// `systemctl show NAME --property=LoadState,ActiveState,SubState` output → one unit's state.
// The output is `Key=value` lines in any order (systemd prints the properties in its own order,
// not the order asked), so it is read as a map. Pure: never throws; odd lines go to `problems`.

export interface SystemctlShowResult {
  /** loaded, not-found, masked, error, bad-setting...; null when the line was missing. */
  loadState: string | null;
  /** active, reloading, inactive, failed, activating, deactivating...; null when missing. */
  activeState: string | null;
  /** The unit type's own state (running, exited, dead, auto-restart...); null when missing. */
  subState: string | null;
  /** LoadState=not-found: systemd knows no such unit (`show` still exits 0 for it). */
  installed: boolean;
  /** Every Key=value line read, for evidence. */
  properties: Record<string, string>;
  problems: string[];
}

export function parseSystemctlShow(stdout: string): SystemctlShowResult {
  const properties: Record<string, string> = {};
  const problems: string[] = [];
  stdout
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      const eq = line.indexOf('=');
      // A key is a property name (letters and digits); anything else is not ours to guess at.
      if (eq <= 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(line.slice(0, eq))) {
        problems.push(`line ${i + 1}: not a Key=value line: ${JSON.stringify(line.slice(0, 80))}`);
        return;
      }
      properties[line.slice(0, eq)] = line.slice(eq + 1).trim();
    });
  const get = (key: string): string | null => {
    const v = properties[key];
    return v === undefined || v === '' ? null : v;
  };
  const loadState = get('LoadState');
  const activeState = get('ActiveState');
  const subState = get('SubState');
  if (loadState === null) problems.push('no LoadState line');
  if (activeState === null) problems.push('no ActiveState line');
  return { loadState, activeState, subState, installed: loadState !== 'not-found', properties, problems };
}
