/**
 * The simulator's admin API under /admin (internal: the service kit requires the internal
 * token on it). Accounts with balances, deposits, API keys (key id + RSA public key PEM), the
 * simulator's status. REC.IO conventions: camelCase JSON, money in integer centi-cents,
 * errors as problem+json.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { badRequest, conflict, HttpProblem, notFound } from '../../../core/http/problem.ts';
import { RuntimeError, type SimulatorRuntime } from '../../runtime/runtime.ts';

export const ADMIN_PREFIX = '/admin';

export interface AdminOptions {
  runtime: SimulatorRuntime;
  /** Extra facts for GET /admin/status (the paper account's key id, say). */
  describe?: () => Record<string, unknown>;
}

const accountId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : -');
const centiCents = z.number().int().refine(Number.isSafeInteger, 'a safe integer');

const createAccountBody = z
  .object({
    accountId: accountId.optional(),
    label: z.string().max(200).optional(),
    balanceCc: centiCents.min(0),
  })
  .strict();
const depositBody = z.object({ amountCc: centiCents.refine((n) => n !== 0, 'must not be 0') }).strict();
const registerKeyBody = z
  .object({
    accountId,
    publicKeyPem: z.string().min(1).max(20_000),
    keyId: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._:-]+$/)
      .optional(),
    tier: z.enum(['basic', 'advanced', 'premier', 'prime']).optional(),
  })
  .strict();

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.');
  throw badRequest(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid body'}`);
}

function asProblem(error: unknown): unknown {
  if (!(error instanceof RuntimeError)) return error;
  if (error.code === 'not_found') return notFound(error.message);
  if (error.code === 'conflict') return conflict(error.message);
  if (error.code === 'invalid') return badRequest(error.message);
  return new HttpProblem(503, error.message);
}

const admin: FastifyPluginAsync<AdminOptions> = async (app, { runtime, describe }) => {
  const guarded =
    <T>(fn: () => Promise<T>) =>
    async () => {
      try {
        return await fn();
      } catch (error) {
        throw asProblem(error);
      }
    };

  app.get('/status', async () => ({ ...runtime.status(), ...describe?.() }));

  app.get('/accounts', async () => {
    runtime.sync();
    return {
      accounts: runtime.listAccounts().map((a) => ({
        ...a,
        apiKeys: runtime.listApiKeys(a.accountId).map((k) => k.keyId),
      })),
    };
  });

  app.post('/accounts', async (request, reply) => {
    const body = parse(createAccountBody, request.body);
    const balance = await guarded(() =>
      runtime.createAccount({
        balanceCc: body.balanceCc,
        ...(body.accountId !== undefined ? { accountId: body.accountId } : {}),
        ...(body.label !== undefined ? { label: body.label } : {}),
      }),
    )();
    return reply.status(201).send({ account: { ...balance, label: body.label ?? '' } });
  });

  app.post<{ Params: { accountId: string } }>('/accounts/:accountId/deposit', async (request) => {
    const body = parse(depositBody, request.body);
    const result = await guarded(() => runtime.adjustBalance(request.params.accountId, body.amountCc))();
    if (!result.ok) throw badRequest(result.error.message, { code: result.error.code });
    return { account: result.value };
  });

  app.get('/api-keys', async () => ({
    apiKeys: runtime.listApiKeys().map((k) => ({
      keyId: k.keyId,
      accountId: k.accountId,
      tier: k.tier,
      publicKeyPem: k.publicKeyPem,
      createdAt: new Date(k.createdAtMs).toISOString(),
    })),
  }));

  app.post('/api-keys', async (request, reply) => {
    const body = parse(registerKeyBody, request.body);
    const key = await guarded(() =>
      runtime.registerApiKey({
        accountId: body.accountId,
        publicKeyPem: body.publicKeyPem,
        ...(body.keyId !== undefined ? { keyId: body.keyId } : {}),
        ...(body.tier !== undefined ? { tier: body.tier } : {}),
      }),
    )();
    return reply.status(201).send({ apiKey: { keyId: key.keyId, accountId: key.accountId, tier: key.tier } });
  });

  app.post('/snapshot', async () => {
    await guarded(() => runtime.snapshotNow())();
    return { simTimeMs: runtime.status().lastSnapshotSimMs };
  });
};

/** Mounts the admin API on a service's Fastify instance (internal token applies there). */
export async function registerAdmin(app: FastifyInstance, options: AdminOptions): Promise<void> {
  await app.register(admin, { ...options, prefix: ADMIN_PREFIX });
}
