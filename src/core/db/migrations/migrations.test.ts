import { describe, expect, it } from 'vitest';
import { migrations } from './index.ts';

describe('migration list', () => {
  it('is numbered 0001, 0002, … in order, with snake_case names and up functions', () => {
    const names = migrations.map(([name]) => name);
    names.forEach((name, index) => {
      expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
      expect(Number(name.slice(0, 4))).toBe(index + 1);
    });
    expect([...names].sort()).toEqual(names); // Kysely runs them in name order
    for (const [, migration] of migrations) expect(typeof migration.up).toBe('function');
  });
});
