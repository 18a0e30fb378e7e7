import { describe, expect, it } from 'vitest';
import {
  describeColor,
  parseHexColor,
  readableTextTone,
  relativeLuminance,
  resolveColor,
  resolveWithCanvas,
} from '../src/color';

describe('readable text on any banner color', () => {
  it.each([
    ['red', 'black'],
    ['blue', 'white'],
    ['yellow', 'black'],
    ['navy', 'white'],
    ['white', 'black'],
    ['black', 'white'],
    ['green', 'white'],
    ['#777', 'black'],
    ['#555', 'white'],
    ['rgb(255, 165, 0)', 'black'],
  ])('chooses %s text for a %s banner', (color, tone) => {
    expect(describeColor(color).text).toBe(tone);
  });

  it('measures luminance from 0 for black to 1 for white', () => {
    expect(relativeLuminance({ r: 0, g: 0, b: 0 })).toBe(0);
    expect(relativeLuminance({ r: 255, g: 255, b: 255 })).toBeCloseTo(1);
    expect(readableTextTone({ r: 128, g: 128, b: 128 })).toBe('black');
  });
});

describe('plausible CSS colors only', () => {
  it('parses every hex form', () => {
    expect(parseHexColor('#f00')).toEqual({ r: 255, g: 0, b: 0 });
    expect(parseHexColor('#f00c')).toEqual({ r: 255, g: 0, b: 0 });
    expect(parseHexColor('#1e90ff')).toEqual({ r: 30, g: 144, b: 255 });
    expect(parseHexColor('#1e90ff80')).toEqual({ r: 30, g: 144, b: 255 });
    expect(parseHexColor('#12345')).toBeUndefined();
  });

  it.each([
    'red; background-image: url(https://evil.example/x.png)',
    'url(x)',
    'expression(alert(1))',
    '"red"',
    '',
    'x'.repeat(65),
    'notacolor',
    '#ggg',
  ])('fails to resolve %j, so it is shown as text and never styled', (value) => {
    expect(resolveColor(value)).toBeUndefined();
    expect(describeColor(value)).toEqual({ name: value, text: 'black' });
  });

  it('keeps the received name as the style value', () => {
    expect(describeColor('Red')).toEqual({ name: 'Red', css: 'Red', text: 'black' });
  });
});

describe('resolving through the browser canvas', () => {
  // A 2D context keeps its fillStyle when given an invalid color and normalises a valid one.
  function fakeContext(known: Record<string, string>): CanvasRenderingContext2D {
    let fillStyle = '#000000';
    return {
      get fillStyle() {
        return fillStyle;
      },
      set fillStyle(value: string) {
        const normalised = known[value] ?? (/^#[0-9a-f]{6}$/.test(value) ? value : undefined);
        if (normalised) fillStyle = normalised;
      },
    } as CanvasRenderingContext2D;
  }

  it('resolves any color the browser knows, named or functional', () => {
    const context = fakeContext({
      rebeccapurple: '#663399',
      'hsl(0 100% 50% / 0.5)': 'rgba(255, 0, 0, 0.5)',
    });
    expect(resolveWithCanvas(context, 'rebeccapurple')).toEqual({ r: 102, g: 51, b: 153 });
    expect(resolveWithCanvas(context, 'hsl(0 100% 50% / 0.5)')).toEqual({ r: 255, g: 0, b: 0 });
  });

  it('fails to resolve a value the browser rejects, whatever the previous fill was', () => {
    const context = fakeContext({});
    expect(resolveWithCanvas(context, 'blurple')).toBeUndefined();
    expect(resolveWithCanvas(context, '#000000')).toEqual({ r: 0, g: 0, b: 0 });
    expect(resolveWithCanvas(context, '#ffffff')).toEqual({ r: 255, g: 255, b: 255 });
  });
});
