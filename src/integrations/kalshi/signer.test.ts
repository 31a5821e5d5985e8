import { describe, it, expect } from 'vitest';
import { constants, generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  KalshiSigner,
  kalshiSigningMessage,
  readKalshiAuthHeaders,
  signedPath,
  verifyKalshiSignature,
} from './signer.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const NOW = Date.UTC(2025, 7, 3, 19, 55, 0);
const KEY_ID = '6f1c4c1e-1111-4a4a-8b8b-0123456789ab';
const fixedClock = { now: () => NOW };
const signer = new KalshiSigner({ keyId: KEY_ID, privateKey, clock: fixedClock });

function headersWith(timestamp: string, signature: string) {
  return {
    'kalshi-access-key': KEY_ID,
    'kalshi-access-timestamp': timestamp,
    'kalshi-access-signature': signature,
  };
}

describe('signing message', () => {
  it('is timestamp + upper-case method + full path, without query or fragment', () => {
    expect(
      kalshiSigningMessage('1754250900000', 'get', '/trade-api/v2/portfolio/orders?limit=5&cursor=x'),
    ).toBe('1754250900000GET/trade-api/v2/portfolio/orders');
    expect(signedPath('https://demo-api.kalshi.co/trade-api/v2/markets/KX-1/orderbook?depth=3#x')).toBe(
      '/trade-api/v2/markets/KX-1/orderbook',
    );
    expect(signedPath('/trade-api/ws/v2')).toBe('/trade-api/ws/v2');
  });
});

describe('KalshiSigner', () => {
  it('produces the three headers with a millisecond timestamp from the injected clock', () => {
    const headers = signer.headers('POST', '/trade-api/v2/portfolio/events/orders');
    expect(headers['KALSHI-ACCESS-KEY']).toBe(KEY_ID);
    expect(headers['KALSHI-ACCESS-TIMESTAMP']).toBe(String(NOW));
    expect(headers['KALSHI-ACCESS-TIMESTAMP']).toMatch(/^\d{13}$/);
  });

  it('signs with RSA-PSS, SHA-256, salt 32 (checked independently with node:crypto)', () => {
    const headers = signer.headers('post', '/trade-api/v2/portfolio/events/orders');
    const signature = Buffer.from(headers['KALSHI-ACCESS-SIGNATURE'], 'base64');
    const message = Buffer.from(`${NOW}POST/trade-api/v2/portfolio/events/orders`);
    const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', message, pss, signature)).toBe(true);
    // PSS is randomised: two signatures of one message differ, both valid.
    const again = Buffer.from(
      signer.headers('POST', '/trade-api/v2/portfolio/events/orders')['KALSHI-ACCESS-SIGNATURE'],
      'base64',
    );
    expect(again.equals(signature)).toBe(false);
    expect(verify('sha256', message, pss, again)).toBe(true);
  });

  it('accepts a PKCS#1 PEM too', () => {
    const pkcs1 = new KalshiSigner({ keyId: 'k', privateKey: other.privateKey, clock: fixedClock });
    const headers = pkcs1.headers('GET', '/trade-api/v2/portfolio/balance');
    const check = verifyKalshiSignature({
      publicKeyPem: other.publicKey,
      headers,
      method: 'GET',
      path: '/trade-api/v2/portfolio/balance',
      now: NOW,
    });
    expect(check.ok).toBe(true);
  });

  it('refuses an unreadable key without echoing it', () => {
    const secret = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----';
    try {
      new KalshiSigner({ keyId: 'k', privateKey: secret, clock: fixedClock });
      expect.fail('should throw');
    } catch (error) {
      expect((error as Error).message).toMatch(/not a readable PEM key/);
      expect((error as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('refuses a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => new KalshiSigner({ keyId: 'k', privateKey: ec.privateKey, clock: fixedClock })).toThrow(
      /RSA private key/,
    );
  });
});

describe('verifyKalshiSignature', () => {
  const path = '/trade-api/v2/portfolio/orders';

  it('round trip: what the signer signs, the verifier accepts', () => {
    const check = verifyKalshiSignature({
      publicKeyPem: publicKey,
      headers: signer.headers('GET', path),
      method: 'GET',
      path,
      now: NOW + 1_000,
    });
    expect(check).toEqual({ ok: true, keyId: KEY_ID, timestampMs: NOW });
  });

  it('excludes the query string on both sides', () => {
    const headers = signer.headers('GET', `${path}?status=resting&limit=100`);
    expect(
      verifyKalshiSignature({ publicKeyPem: publicKey, headers, method: 'GET', path, now: NOW }).ok,
    ).toBe(true);
    expect(
      verifyKalshiSignature({
        publicKeyPem: publicKey,
        headers,
        method: 'GET',
        path: `${path}?cursor=abc`,
        now: NOW,
      }).ok,
    ).toBe(true);
  });

  it('rejects a signature whose message included the query string', () => {
    const message = Buffer.from(`${NOW}GET${path}?limit=5`);
    const signature = sign('sha256', message, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    const check = verifyKalshiSignature({
      publicKeyPem: publicKey,
      headers: headersWith(String(NOW), signature.toString('base64')),
      method: 'GET',
      path: `${path}?limit=5`,
      now: NOW,
    });
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects PKCS#1 v1.5 padding', () => {
    const message = Buffer.from(`${NOW}GET${path}`);
    const signature = sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
    const check = verifyKalshiSignature({
      publicKeyPem: publicKey,
      headers: headersWith(String(NOW), signature.toString('base64')),
      method: 'GET',
      path,
      now: NOW,
    });
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects PSS with another salt length', () => {
    const message = Buffer.from(`${NOW}GET${path}`);
    const signature = sign('sha256', message, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN,
    });
    const check = verifyKalshiSignature({
      publicKeyPem: publicKey,
      headers: headersWith(String(NOW), signature.toString('base64')),
      method: 'GET',
      path,
      now: NOW,
    });
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a seconds timestamp, even when correctly signed', () => {
    const seconds = String(Math.floor(NOW / 1000));
    const secondsSigner = new KalshiSigner({
      keyId: KEY_ID,
      privateKey,
      clock: { now: () => Math.floor(NOW / 1000) },
    });
    const headers = secondsSigner.headers('GET', path);
    expect(headers['KALSHI-ACCESS-TIMESTAMP']).toBe(seconds);
    const check = verifyKalshiSignature({ publicKeyPem: publicKey, headers, method: 'GET', path, now: NOW });
    expect(check).toMatchObject({ ok: false, reason: 'timestamp_not_milliseconds' });
  });

  it('rejects a stale or future timestamp beyond the skew', () => {
    const headers = signer.headers('GET', path);
    expect(
      verifyKalshiSignature({ publicKeyPem: publicKey, headers, method: 'GET', path, now: NOW + 30_000 }).ok,
    ).toBe(true);
    expect(
      verifyKalshiSignature({ publicKeyPem: publicKey, headers, method: 'GET', path, now: NOW + 30_001 }),
    ).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(
      verifyKalshiSignature({ publicKeyPem: publicKey, headers, method: 'GET', path, now: NOW - 30_001 }),
    ).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(
      verifyKalshiSignature({
        publicKeyPem: publicKey,
        headers,
        method: 'GET',
        path,
        now: NOW + 4_000,
        maxSkewMs: 3_000,
      }),
    ).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects another method, another path, a path without /trade-api/v2, another key', () => {
    const headers = signer.headers('GET', path);
    const base = { publicKeyPem: publicKey, headers, now: NOW };
    expect(verifyKalshiSignature({ ...base, method: 'DELETE', path }).ok).toBe(false);
    expect(verifyKalshiSignature({ ...base, method: 'GET', path: '/trade-api/v2/portfolio/fills' }).ok).toBe(
      false,
    );
    const short = new KalshiSigner({ keyId: KEY_ID, privateKey, clock: fixedClock }).headers(
      'GET',
      '/portfolio/orders',
    );
    expect(verifyKalshiSignature({ ...base, headers: short, method: 'GET', path }).ok).toBe(false);
    expect(
      verifyKalshiSignature({ ...base, publicKeyPem: other.publicKey, method: 'GET', path }),
    ).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects missing headers, a malformed timestamp, garbage signatures and a bad public key', () => {
    const good = signer.headers('GET', path);
    const base = { publicKeyPem: publicKey, method: 'GET', path, now: NOW };
    expect(verifyKalshiSignature({ ...base, headers: { 'kalshi-access-key': KEY_ID } })).toMatchObject({
      reason: 'missing_headers',
    });
    expect(
      verifyKalshiSignature({ ...base, headers: { ...good, 'KALSHI-ACCESS-TIMESTAMP': '' } }),
    ).toMatchObject({ reason: 'missing_headers' });
    expect(
      verifyKalshiSignature({ ...base, headers: { ...good, 'KALSHI-ACCESS-TIMESTAMP': '1.7e12' } }),
    ).toMatchObject({ reason: 'malformed_timestamp' });
    expect(
      verifyKalshiSignature({
        ...base,
        headers: { ...good, 'KALSHI-ACCESS-SIGNATURE': 'not base64 at all!' },
      }),
    ).toMatchObject({ reason: 'bad_signature' });
    expect(
      verifyKalshiSignature({ ...base, headers: { ...good, 'KALSHI-ACCESS-SIGNATURE': 'AAAA' } }),
    ).toMatchObject({ reason: 'bad_signature' });
    expect(verifyKalshiSignature({ ...base, publicKeyPem: 'nope', headers: good })).toMatchObject({
      reason: 'bad_public_key',
    });
  });

  it('reads headers case-insensitively, including array values', () => {
    const good = signer.headers('GET', path);
    const mixed = {
      'Kalshi-Access-Key': [good['KALSHI-ACCESS-KEY']],
      'kalshi-access-timestamp': good['KALSHI-ACCESS-TIMESTAMP'],
      'KALSHI-access-SIGNATURE': good['KALSHI-ACCESS-SIGNATURE'],
    };
    expect(readKalshiAuthHeaders(mixed)?.keyId).toBe(KEY_ID);
    expect(
      verifyKalshiSignature({ publicKeyPem: publicKey, headers: mixed, method: 'get', path, now: NOW }).ok,
    ).toBe(true);
  });

  it('accepts the WebSocket handshake signature over GET /trade-api/ws/v2', () => {
    const headers = signer.headers('GET', 'ws://127.0.0.1:8090/trade-api/ws/v2');
    expect(
      verifyKalshiSignature({
        publicKeyPem: publicKey,
        headers,
        method: 'GET',
        path: '/trade-api/ws/v2',
        now: NOW,
      }).ok,
    ).toBe(true);
  });
});
