import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './browser-origin.ts';

describe('isAllowedOrigin', () => {
  it('allows the page the UI was served from, whatever the host name and port', () => {
    expect(isAllowedOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:3100', '127.0.0.1:3100')).toBe(true);
    expect(isAllowedOrigin('https://Trading.Example.com', 'trading.example.com')).toBe(true);
    expect(isAllowedOrigin('http://localhost:5173', 'localhost:5173')).toBe(true); // Vite dev proxy
  });

  it('refuses other sites, other ports and opaque origins', () => {
    expect(isAllowedOrigin('https://evil.example', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('http://localhost:8080', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('null', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('file:///tmp/x.html', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('http://localhost:3000', undefined)).toBe(false);
  });

  it('allows origins listed explicitly, and clients that send no Origin (not a browser page)', () => {
    expect(isAllowedOrigin('https://desk.example', 'localhost:3000', ['https://desk.example'])).toBe(true);
    expect(isAllowedOrigin(undefined, 'localhost:3000')).toBe(true);
  });
});
