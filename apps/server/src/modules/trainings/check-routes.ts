import {
  checkCodeRequest,
  checkCodeResult,
  checkResult,
  checkSubmission,
  checkSubmitPhase,
  checkToken,
  checkView,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CheckService } from './check-service.js';

const byToken = z.object({ token: checkToken });
const byPhase = z.object({ token: checkToken, phase: checkSubmitPhase });

/**
 * The participant's knowledge check, public: no account, no cookie. The token is the secret
 * (the server log shows it redacted, see app.ts); a short code is exchanged for it.
 */
export function checkRoutes(checks: CheckService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const open = { access: 'public' } as const;

    app.post(
      '/api/v1/checks/code',
      { config: open, schema: { body: checkCodeRequest, response: { 200: checkCodeResult } } },
      async (request) => checks.exchangeCode(request.body.code, request.ip),
    );
    app.get(
      '/api/v1/checks/:token',
      { config: open, schema: { params: byToken, response: { 200: checkView } } },
      async (request) => checks.view(request.params.token),
    );
    app.post(
      '/api/v1/checks/:token/:phase',
      { config: open, schema: { params: byPhase, body: checkSubmission, response: { 200: checkResult } } },
      async (request) => checks.submit(request.params.token, request.params.phase, request.body, request.id),
    );
  };
}
