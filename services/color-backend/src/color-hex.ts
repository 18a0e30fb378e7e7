// The colors the examples use, as the CSS named colors define them; others need COLOR_HEX.
const KNOWN_HEX: Readonly<Record<string, string>> = {
  black: '000000',
  blue: '0000ff',
  cyan: '00ffff',
  gray: '808080',
  green: '008000',
  magenta: 'ff00ff',
  orange: 'ffa500',
  pink: 'ffc0cb',
  purple: '800080',
  red: 'ff0000',
  white: 'ffffff',
  yellow: 'ffff00',
};

/** Six hex digits, with or without a leading `#`, as lower case without `#`; else undefined. */
export function parseHex(raw: string): string | undefined {
  const match = /^#?([0-9a-f]{6})$/i.exec(raw.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/** The hex of a named color this service knows (`red` → `ff0000`), or undefined. */
export function knownHexOf(color: string): string | undefined {
  return KNOWN_HEX[color.trim().toLowerCase()];
}
