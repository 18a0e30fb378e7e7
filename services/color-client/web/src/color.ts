// Turns the color name the backend sends into something safe to paint and a readable text color.

export type Rgb = { readonly r: number; readonly g: number; readonly b: number };

export type TextTone = 'black' | 'white';

export type BannerColor = {
  /** What the backend sent, shown as text whatever it is. */
  readonly name: string;
  /** The value to put into styles; absent when `name` is not a plausible CSS color. */
  readonly css?: string;
  /** Black or white, whichever reads better on `css`. */
  readonly text: TextTone;
};

// Characters a CSS color can need (names, #hex, rgb()/hsl() with commas, slashes, percents).
// Anything else (`;`, quotes, `url(`) is refused before it gets near a style.
const PLAUSIBLE_SYNTAX = /^(?:#[0-9a-f]{3,8}|[a-z]+|(?:rgba?|hsla?)\([0-9a-z.,%/+\-\s]*\))$/i;
const MAX_COLOR_LENGTH = 64;

// Used where the browser cannot resolve a name (component tests run without a canvas).
const FALLBACK_NAMED_COLORS: Readonly<Record<string, string>> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  lime: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  purple: '#800080',
  navy: '#000080',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  teal: '#008080',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  pink: '#ffc0cb',
  brown: '#a52a2a',
};

/** Parses `#rgb`, `#rgba`, `#rrggbb` and `#rrggbbaa` (alpha ignored); undefined otherwise. */
export function parseHexColor(value: string): Rgb | undefined {
  const match = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  const hex = match[1];
  const channel = (index: number): number =>
    hex.length <= 4
      ? parseInt(hex.charAt(index).repeat(2), 16)
      : parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return { r: channel(0), g: channel(1), b: channel(2) };
}

/** Parses the `rgb(r, g, b)` / `rgba(r, g, b, a)` form browsers serialise colors to. */
function parseRgbFunction(value: string): Rgb | undefined {
  const match = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(value);
  if (!match) return undefined;
  return { r: Number(match[1]), g: Number(match[2]), b: Number(match[3]) };
}

let canvasContext: CanvasRenderingContext2D | null | undefined;

// A 2D canvas validates and normalises any CSS color without touching the document or the CSP.
function browserColorResolver(): CanvasRenderingContext2D | null {
  if (canvasContext === undefined) {
    canvasContext =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  }
  return canvasContext;
}

export function resolveWithCanvas(
  context: CanvasRenderingContext2D,
  value: string,
): Rgb | undefined {
  // An invalid value leaves fillStyle unchanged; two different sentinels tell that case apart.
  const results = ['#000000', '#ffffff'].map((sentinel) => {
    context.fillStyle = sentinel;
    context.fillStyle = value;
    return String(context.fillStyle);
  });
  if (results[0] !== results[1] || results[0] === undefined) return undefined;
  return parseHexColor(results[0]) ?? parseRgbFunction(results[0]);
}

/** Resolves any plausible CSS color to RGB; undefined when it is not one. */
export function resolveColor(value: string): Rgb | undefined {
  const candidate = value.trim();
  if (candidate.length === 0 || candidate.length > MAX_COLOR_LENGTH) return undefined;
  if (!PLAUSIBLE_SYNTAX.test(candidate)) return undefined;
  const context = browserColorResolver();
  if (context) return resolveWithCanvas(context, candidate);
  const named = FALLBACK_NAMED_COLORS[candidate.toLowerCase()];
  return parseHexColor(named ?? candidate) ?? parseRgbFunction(candidate);
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance({ r, g, b }: Rgb): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Black or white text, whichever has the higher WCAG contrast ratio on `background`. */
export function readableTextTone(background: Rgb): TextTone {
  const luminance = relativeLuminance(background);
  const contrastWithBlack = (luminance + 0.05) / 0.05;
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  return contrastWithBlack >= contrastWithWhite ? 'black' : 'white';
}

// The chart describes up to 50 cells per render, nearly always the same few names.
const described = new Map<string, BannerColor>();
const MAX_DESCRIBED = 64;

/** Everything the page needs to show a received color safely. */
export function describeColor(name: string): BannerColor {
  const cached = described.get(name);
  if (cached) return cached;
  const rgb = resolveColor(name);
  const color: BannerColor = rgb
    ? { name, css: name.trim(), text: readableTextTone(rgb) }
    : { name, text: 'black' };
  if (described.size >= MAX_DESCRIBED) described.clear();
  described.set(name, color);
  return color;
}
