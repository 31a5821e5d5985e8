/**
 * Kalshi request signing (RSA-PSS, SHA-256, MGF1-SHA-256, salt length 32) and its verifier.
 *
 * message   = timestamp_ms + METHOD + path      (path includes /trade-api/v2, never the query)
 * signature = base64(RSA-PSS-sign(message))
 * headers   = KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP, KALSHI-ACCESS-SIGNATURE
 *
 * The verifier lives here too so that the simulator checks exactly what the client signs —
 * and rejects the classic mistakes (PKCS#1 v1.5 padding, seconds, signed query strings).
 */
import { constants, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Clock } from '../../core/clock/clock.ts';

export const KALSHI_ACCESS_KEY = 'KALSHI-ACCESS-KEY';
export const KALSHI_ACCESS_TIMESTAMP = 'KALSHI-ACCESS-TIMESTAMP';
export const KALSHI_ACCESS_SIGNATURE = 'KALSHI-ACCESS-SIGNATURE';

// A type literal, not an interface, so it is assignable to a plain header record.
export type KalshiAuthHeaders = {
  [KALSHI_ACCESS_KEY]: string;
  [KALSHI_ACCESS_TIMESTAMP]: string;
  [KALSHI_ACCESS_SIGNATURE]: string;
};

/** SHA-256's digest length: Kalshi's salt length. */
const PSS_SALT_LENGTH = 32;
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH } as const;

/**
 * The path part that is signed: no scheme/host, no query, no fragment. Accepts a path
 * (`/trade-api/v2/portfolio/orders?limit=5`) or an absolute URL.
 */
export function signedPath(pathOrUrl: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl;
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

/** The exact text that is signed. */
export function kalshiSigningMessage(timestampMs: string, method: string, pathOrUrl: string): string {
  return `${timestampMs}${method.toUpperCase()}${signedPath(pathOrUrl)}`;
}

export interface KalshiSignerOptions {
  /** The API key id (a UUID at Kalshi). */
  keyId: string;
  /** PEM text (PKCS#1 or PKCS#8) or a KeyObject. Parsed once; never logged. */
  privateKey: string | KeyObject;
  /** Source of the millisecond timestamp. */
  clock: Pick<Clock, 'now'>;
}

export class KalshiSigner {
  readonly keyId: string;
  readonly #key: KeyObject;
  readonly #clock: Pick<Clock, 'now'>;

  constructor(options: KalshiSignerOptions) {
    if (options.keyId.length === 0) throw new Error('Kalshi signer: keyId is empty');
    this.keyId = options.keyId;
    this.#clock = options.clock;
    try {
      this.#key =
        typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
    } catch {
      // The PEM itself must never reach a log line or an error message.
      throw new Error(`Kalshi signer: the private key for ${options.keyId} is not a readable PEM key`);
    }
    if (this.#key.type !== 'private' || this.#key.asymmetricKeyType !== 'rsa') {
      throw new Error(`Kalshi signer: the key for ${options.keyId} must be an RSA private key`);
    }
  }

  /** Headers for one request: `method` any case, `pathOrUrl` with or without query. */
  headers(method: string, pathOrUrl: string): KalshiAuthHeaders {
    const timestamp = String(Math.trunc(this.#clock.now()));
    const message = kalshiSigningMessage(timestamp, method, pathOrUrl);
    const signature = sign('sha256', Buffer.from(message, 'utf8'), { key: this.#key, ...PSS }).toString(
      'base64',
    );
    return {
      [KALSHI_ACCESS_KEY]: this.keyId,
      [KALSHI_ACCESS_TIMESTAMP]: timestamp,
      [KALSHI_ACCESS_SIGNATURE]: signature,
    };
  }
}

/** Header bag as Node gives it (lower-case keys) or as a client builds it (any case). */
export type HeaderBag = Record<string, string | string[] | undefined>;

export interface KalshiAuthHeaderValues {
  keyId: string;
  timestamp: string;
  signature: string;
}

/** Reads the three auth headers (case-insensitive); undefined when any is missing or empty. */
export function readKalshiAuthHeaders(headers: HeaderBag): KalshiAuthHeaderValues | undefined {
  const keyId = header(headers, KALSHI_ACCESS_KEY);
  const timestamp = header(headers, KALSHI_ACCESS_TIMESTAMP);
  const signature = header(headers, KALSHI_ACCESS_SIGNATURE);
  if (!keyId || !timestamp || !signature) return undefined;
  return { keyId, timestamp, signature };
}

export type KalshiSignatureFailure =
  | 'missing_headers'
  | 'malformed_timestamp'
  | 'timestamp_not_milliseconds'
  | 'stale_timestamp'
  | 'bad_signature'
  | 'bad_public_key';

export type KalshiSignatureCheck =
  | { ok: true; keyId: string; timestampMs: number }
  | { ok: false; reason: KalshiSignatureFailure; message: string };

export interface VerifyKalshiSignatureInput {
  /** The public key registered for the key id in the headers (PEM or KeyObject). */
  publicKeyPem: string | KeyObject;
  headers: HeaderBag;
  method: string;
  /** The request path as received (`req.url` is fine: the query is ignored). */
  path: string;
  /** Verifier's time, epoch ms. */
  now: number;
  /** Largest accepted |now − timestamp|; default 30 s (Kalshi does not publish its window). */
  maxSkewMs?: number;
}

/** Any timestamp below this (Sep 2001 in ms) is a seconds value: ms timestamps have 13 digits. */
const MIN_PLAUSIBLE_MS = 1_000_000_000_000;

/** Checks a request the way Kalshi does: headers present, timestamp fresh and in ms, RSA-PSS signature valid. */
export function verifyKalshiSignature(input: VerifyKalshiSignatureInput): KalshiSignatureCheck {
  const { headers, method, path, now, maxSkewMs = 30_000 } = input;
  const values = readKalshiAuthHeaders(headers);
  if (values === undefined) {
    return fail(
      'missing_headers',
      `${KALSHI_ACCESS_KEY}, ${KALSHI_ACCESS_TIMESTAMP} and ${KALSHI_ACCESS_SIGNATURE} are required`,
    );
  }
  if (!/^\d{1,16}$/.test(values.timestamp)) {
    return fail(
      'malformed_timestamp',
      `${KALSHI_ACCESS_TIMESTAMP} must be decimal digits, got ${JSON.stringify(values.timestamp)}`,
    );
  }
  const timestampMs = Number(values.timestamp);
  if (timestampMs < MIN_PLAUSIBLE_MS) {
    return fail(
      'timestamp_not_milliseconds',
      `${KALSHI_ACCESS_TIMESTAMP} ${values.timestamp} looks like seconds; milliseconds are required`,
    );
  }
  if (Math.abs(now - timestampMs) > maxSkewMs) {
    return fail(
      'stale_timestamp',
      `${KALSHI_ACCESS_TIMESTAMP} is ${now - timestampMs} ms away from now (limit ${maxSkewMs} ms)`,
    );
  }
  let publicKey: KeyObject;
  try {
    publicKey =
      typeof input.publicKeyPem === 'string' ? createPublicKey(input.publicKeyPem) : input.publicKeyPem;
  } catch {
    return fail('bad_public_key', `the public key registered for ${values.keyId} is unreadable`);
  }
  const signature = Buffer.from(values.signature, 'base64');
  const message = Buffer.from(kalshiSigningMessage(values.timestamp, method, path), 'utf8');
  let valid = false;
  try {
    valid = signature.length > 0 && verify('sha256', message, { key: publicKey, ...PSS }, signature);
  } catch {
    valid = false;
  }
  if (!valid) {
    return fail(
      'bad_signature',
      'signature does not match (RSA-PSS SHA-256, salt 32, over timestamp + METHOD + path without query)',
    );
  }
  return { ok: true, keyId: values.keyId, timestampMs };
}

function fail(reason: KalshiSignatureFailure, message: string): KalshiSignatureCheck {
  return { ok: false, reason, message };
}

function header(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
