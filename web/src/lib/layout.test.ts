import { describe, expect, it } from 'vitest';
import { chooseLayout } from './layout.ts';

describe('chooseLayout', () => {
  it('follows the width unless ?mobile or ?desktop says otherwise', () => {
    expect(chooseLayout('', false)).toBe('desktop');
    expect(chooseLayout('', true)).toBe('mobile');
    expect(chooseLayout('?mobile', false)).toBe('mobile');
    expect(chooseLayout('?desktop', true)).toBe('desktop');
    expect(chooseLayout('?symbol=eth&mobile=1', false)).toBe('mobile');
  });
});
