import { createServer } from 'node:net';
import type { ManifestEntry } from './manifest.ts';
import { ManifestError } from './manifest.ts';

/** Resolves when the entry's address can be bound, else rejects with a line naming the service and port. */
export async function assertPortFree(entry: ManifestEntry): Promise<void> {
  if (entry.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code})`;
      reject(new ManifestError(`port ${entry.port} for "${entry.name}" on ${entry.host} ${why}`));
    });
    probe.listen({ port: entry.port, host: entry.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function assertPortsFree(entries: readonly ManifestEntry[]): Promise<void> {
  for (const entry of entries) await assertPortFree(entry);
}
