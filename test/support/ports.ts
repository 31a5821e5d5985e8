import { createServer, type Server } from 'node:net';
import { SERVICE_NAMES } from '../../src/core/manifest/service-names.ts';

/** Ports the OS reports free right now (bound together, then released, so they are distinct). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** RECIO_PORT_* overrides moving every manifest service to a free port, so tests never collide with a running REC.IO. */
export async function portEnv(): Promise<Record<string, string> & { RECIO_PORT_MAIN_APP: string }> {
  const ports = await freePorts(SERVICE_NAMES.length);
  const env = Object.fromEntries(
    SERVICE_NAMES.map((name, i) => [`RECIO_PORT_${name.toUpperCase()}`, String(ports[i])]),
  );
  return { ...env, RECIO_PORT_MAIN_APP: env.RECIO_PORT_MAIN_APP! };
}
