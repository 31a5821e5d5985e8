/**
 * Deterministic, UUID-shaped ids (Kalshi's order and trade ids are UUIDs): a namespace of 8 hex
 * digits per simulator instance, a kind, and a counter. Same seed and commands → same ids.
 */
export type IdKind = 'order' | 'trade';

const KIND_CODE: Record<IdKind, string> = { order: '0001', trade: '0002' };

export function isIdNamespace(text: string): boolean {
  return /^[0-9a-f]{8}$/.test(text);
}

export function makeId(namespace: string, kind: IdKind, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new Error(`bad id counter ${counter}`);
  return `${namespace}-${KIND_CODE[kind]}-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}
