// `powercfg /query SCHEME_CURRENT SUB_SLEEP <SETTING>`: one setting block. Labels are localised,
// so read positions: the block's last two `0x` values are its current AC and DC indexes, in that
// order (the ones before are minimum, maximum and increment).

export interface PowerSettingIndex {
  acSeconds: number | null;
  dcSeconds: number | null;
  problems: string[];
}

const HEX_AT_END = /:\s*0x([0-9a-fA-F]{1,8})\s*$/;

export function parsePowercfgQuery(text: string): PowerSettingIndex {
  const values: number[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = HEX_AT_END.exec(raw.slice(0, 512));
    if (m) values.push(Number.parseInt(m[1]!, 16));
  }
  if (values.length < 2) return { acSeconds: null, dcSeconds: null, problems: [`expected the current AC and DC indexes, found ${values.length} value(s)`] };
  return { acSeconds: values[values.length - 2]!, dcSeconds: values[values.length - 1]!, problems: [] };
}
