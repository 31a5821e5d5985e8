import type { ServiceContext } from '../../core/service/service.ts';

/** `GET /api/system/services`: every manifest service with its state, pid, uptime, restarts, last error and /health. */
export function registerSystemRoutes(ctx: ServiceContext): void {
  ctx.http.get('/api/system/services', async () => ({
    at: new Date(ctx.clock.now()).toISOString(),
    topology: ctx.topology,
    services: await ctx.directory.list(),
  }));
}

/**
 * main_app's /health aggregates the platform: it is degraded while any service this installation
 * expects is not running or reports itself unhealthy. (main_app does not probe itself: no recursion.)
 */
export function registerPlatformHealth(ctx: ServiceContext): void {
  ctx.health.add({
    name: 'services',
    check: async () => {
      const services = (await ctx.directory.list({ skipProbe: [ctx.name] })).filter(
        (s) => s.expected && s.name !== ctx.name,
      );
      const bad = services.filter(
        (s) => s.state !== 'running' || (s.health && s.health.status !== 'healthy'),
      );
      const running = services.length - bad.length;
      return {
        ok: bad.length === 0,
        detail:
          bad.length === 0
            ? `${running} services healthy`
            : `not healthy: ${bad.map((s) => `${s.name} (${s.health?.status ?? s.state})`).join(', ')}`,
        data: Object.fromEntries(services.map((s) => [s.name, s.health?.status ?? s.state])),
      };
    },
  });
}
