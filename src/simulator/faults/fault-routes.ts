/**
 * The fault admin API (mount it on the simulator's internal, token-protected admin surface):
 *   GET    /admin/faults                     → { state, seed, stats }
 *   PUT    /admin/faults                     body FaultPatch → { state, seed, stats }
 *   DELETE /admin/faults                     → back to no faults
 *   POST   /admin/faults/drop-connections    body { target?, share?, mode? } → { dropped }
 * Invalid bodies → 400 problem with zod's explanation. A change of `paused` answers once the
 * exchange's halt or resume is durable.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from '../../core/http/problem.ts';
import type { FaultController } from './fault-controller.ts';

function view(controller: FaultController) {
  return { state: controller.state, seed: controller.seed, stats: controller.stats() };
}

function validated<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof z.ZodError) throw new HttpProblem(400, z.prettifyError(error));
    throw error;
  }
}

export function registerFaultRoutes(
  app: FastifyInstance,
  controller: FaultController,
  options: { prefix?: string } = {},
): void {
  const base = options.prefix ?? '/admin/faults';
  app.get(base, async () => view(controller));
  app.put(base, async (request) => {
    validated(() => controller.update(request.body ?? {}));
    await controller.settled();
    return view(controller);
  });
  app.delete(base, async () => {
    controller.clear();
    await controller.settled();
    return view(controller);
  });
  app.post(`${base}/drop-connections`, async (request) =>
    validated(() => controller.dropConnections((request.body ?? {}) as object)),
  );
}
