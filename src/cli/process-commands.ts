import { loadConfig } from '../core/config/load.ts';
import { loadManifest } from '../core/manifest/manifest.ts';
import { isServiceName, SERVICE_NAMES, type ServiceName } from '../core/manifest/service-names.ts';
import { HostError, startHost, type Host } from '../core/service/host.ts';
import { VERSION } from '../core/version.ts';
import { SERVICE_REGISTRY } from '../services/registry.ts';

/** `recio start`: every built service in this one process (embedded database, in-process bus). */
export async function startAllInOne(): Promise<void> {
  const { config } = loadConfig();
  const manifest = loadManifest(undefined, { env: process.env });
  const services = (config.services ?? SERVICE_NAMES).filter((name) => SERVICE_REGISTRY[name]);
  const host = await startHost({
    topology: 'all-in-one',
    config,
    manifest,
    registry: SERVICE_REGISTRY,
    services: SERVICE_NAMES.filter((name) => services.includes(name)),
    version: VERSION,
  });
  const main = manifest.main_app;
  const url = `http://${main.host === '0.0.0.0' ? 'localhost' : main.host}:${main.port}`;
  console.log(
    `REC.IO ${VERSION} — ${config.mode} mode, ${host.database.kind} database, ${services.length} services. UI: ${url}  (Ctrl-C stops)`,
  );
  stopOnSignal(host);
}

/** `recio run <service>`: one service in this process (distributed mode, under supervisord). */
export async function runOne(name: string): Promise<void> {
  if (!isServiceName(name))
    throw new HostError(`unknown service "${name}" (known: ${SERVICE_NAMES.join(', ')})`);
  const { config } = loadConfig();
  const manifest = loadManifest(undefined, { env: process.env });
  const host = await startHost({
    topology: 'distributed',
    config: { ...config, log: { ...config.log, files: false } }, // supervisord captures stdout
    manifest,
    registry: SERVICE_REGISTRY,
    services: [name satisfies ServiceName],
    version: VERSION,
    // A crash ends the process: supervisord restarts it with its own backoff.
    restartPolicy: undefined,
  });
  const running = host.supervisor.running(name);
  void running?.crashed.then(async (error) => {
    host.log.fatal({ err: error }, 'service crashed; exiting for the process manager to restart it');
    await host.stop('crash');
    process.exit(1);
  });
  stopOnSignal(host);
}

/** Ctrl-C / SIGTERM: stop every service and exit 0; a second signal or a 5 s stall forces exit 1. */
function stopOnSignal(host: Host): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    host.log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      console.error('recio: shutdown took longer than 5 s; exiting');
      process.exit(1);
    }, 5_000);
    force.unref();
    void host.stop(`signal ${signal}`).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`recio: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
