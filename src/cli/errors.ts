/**
 * Errors a user can fix (bad config, bad manifest, port taken, already running…) print as one
 * line; anything else also prints its stack. Matched by name so this module loads nothing else.
 */
const USER_ERROR_NAMES = new Set([
  'ConfigError',
  'ManifestError',
  'HostError',
  'InstanceLockError',
  'MigrationError',
  'CommanderError',
  'SupervisordConfigError',
]);

export function reportFatal(error: unknown): never {
  const err = error instanceof Error ? error : new Error(String(error));
  if (USER_ERROR_NAMES.has(err.name)) console.error(`recio: ${err.message}`);
  else console.error(`recio: unexpected error: ${err.stack ?? err.message}`);
  process.exit(1);
}
