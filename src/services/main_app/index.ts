import type { ServiceDefinition } from '../../core/service/service.ts';
import { registerBrowserSocket } from './browser-socket.ts';
import { registerMarketRoutes } from './market-routes.ts';
import { registerModelRoutes } from './model-routes.ts';
import { registerPlatformHealth, registerSystemRoutes } from './system-routes.ts';
import { registerWebUi } from './web-ui.ts';

/** main_app: the public API gateway and web UI (the one user-facing port). Later issues add their routes here. */
export const mainApp: ServiceDefinition = {
  name: 'main_app',
  async start(ctx) {
    registerSystemRoutes(ctx);
    registerPlatformHealth(ctx);
    await registerMarketRoutes(ctx);
    await registerModelRoutes(ctx);
    await registerBrowserSocket(ctx);
    await registerWebUi(ctx);
  },
};
