import {
  checkLinksIssued,
  checkLinksRequest,
  checkPhase,
  followUpRequest,
  idSchema,
  paperAnswers,
  responsesImportRequest,
  responsesImportResult,
  sessionPhaseRequest,
  TRAINING_LIMITS,
  trainingImpact,
  trainingModules,
  trainingParticipant,
  trainingParticipantCreate,
  trainingParticipantUpdate,
  trainingSessionCreate,
  trainingSessionDetail,
  trainingSessions,
  trainingSessionUpdate,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch, withVersion } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import type { TrainingAnswers } from './training-answers.js';
import type { TrainingImpact } from './training-impact.js';
import type { TrainingService } from './training-service.js';

const byProgramme = z.object({ id: idSchema });
const bySession = z.object({ session: idSchema });
const byParticipant = z.object({ session: idSchema, participant: idSchema });
const byPhase = z.object({ session: idSchema, participant: idSchema, phase: checkPhase });

/**
 * Trainings, for the programme's team (trainers and managers) and, to read their own people's,
 * its organisations: the module catalogue, sessions and participants, the check links, the
 * check's phase and follow-ups, answers from paper or a responses CSV, and the impact.
 */
export function trainingRoutes(services: {
  sessions: TrainingService;
  answers: TrainingAnswers;
  impact: TrainingImpact;
}) {
  const { sessions, answers, impact } = services;
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/training-modules',
      { config: member, schema: { response: { 200: trainingModules } } },
      async (request) => sessions.modules(actorOf(request)),
    );
    app.get(
      '/api/v1/programmes/:id/trainings',
      { config: member, schema: { params: byProgramme, response: { 200: trainingSessions } } },
      async (request) => sessions.list(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/programmes/:id/trainings',
      {
        config: member,
        schema: { params: byProgramme, body: trainingSessionCreate, response: { 201: trainingSessionDetail } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(withVersion(reply, await sessions.create(actorOf(request), request.params.id, request.body))),
    );
    app.get(
      '/api/v1/programmes/:id/trainings/impact',
      { config: member, schema: { params: byProgramme, response: { 200: trainingImpact } } },
      async (request) => impact.impact(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/trainings/:session',
      { config: member, schema: { params: bySession, response: { 200: trainingSessionDetail } } },
      async (request, reply) => withVersion(reply, await sessions.get(actorOf(request), request.params.session)),
    );
    app.patch(
      '/api/v1/trainings/:session',
      {
        config: member,
        schema: { params: bySession, body: trainingSessionUpdate, response: { 200: trainingSessionDetail } },
      },
      async (request, reply) =>
        withVersion(
          reply,
          await sessions.update(
            actorOf(request),
            request.params.session,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.delete(
      '/api/v1/trainings/:session',
      { config: member, schema: { params: bySession, response: { 204: z.null() } } },
      async (request, reply) => {
        await sessions.remove(actorOf(request), request.params.session, ifMatch(request.headers['if-match']));
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/trainings/:session/participants',
      {
        config: member,
        schema: { params: bySession, body: trainingParticipantCreate, response: { 201: trainingParticipant } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            withVersion(reply, await sessions.addParticipant(actorOf(request), request.params.session, request.body)),
          ),
    );
    app.patch(
      '/api/v1/trainings/:session/participants/:participant',
      {
        config: member,
        schema: { params: byParticipant, body: trainingParticipantUpdate, response: { 200: trainingParticipant } },
      },
      async (request, reply) =>
        withVersion(
          reply,
          await sessions.updateParticipant(
            actorOf(request),
            request.params.session,
            request.params.participant,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.delete(
      '/api/v1/trainings/:session/participants/:participant',
      { config: member, schema: { params: byParticipant, response: { 204: z.null() } } },
      async (request, reply) => {
        await sessions.removeParticipant(actorOf(request), request.params.session, request.params.participant);
        return reply.status(204).send(null);
      },
    );
    app.put(
      '/api/v1/trainings/:session/participants/:participant/answers/:phase',
      { config: member, schema: { params: byPhase, body: paperAnswers, response: { 200: trainingParticipant } } },
      async (request, reply) =>
        withVersion(
          reply,
          await answers.paper(
            actorOf(request),
            request.params.session,
            request.params.participant,
            request.params.phase,
            request.body,
          ),
        ),
    );
    app.post(
      '/api/v1/trainings/:session/links',
      { config: member, schema: { params: bySession, body: checkLinksRequest, response: { 201: checkLinksIssued } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(await sessions.issueLinks(actorOf(request), request.params.session, request.body.participants)),
    );
    app.post(
      '/api/v1/trainings/:session/phase',
      {
        config: member,
        schema: { params: bySession, body: sessionPhaseRequest, response: { 200: trainingSessionDetail } },
      },
      async (request, reply) =>
        withVersion(reply, await sessions.setPhase(actorOf(request), request.params.session, request.body.phase)),
    );
    app.post(
      '/api/v1/trainings/:session/follow-up',
      { config: member, schema: { params: bySession, body: followUpRequest, response: { 201: checkLinksIssued } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await sessions.followUp(
              actorOf(request),
              request.params.session,
              request.body.days,
              request.body.participants,
            ),
          ),
    );
    app.post(
      '/api/v1/trainings/:session/responses',
      {
        config: member,
        // A CSV of TRAINING_LIMITS.responsesCsv characters, as JSON text (escapes and UTF-8 at most 4×).
        bodyLimit: TRAINING_LIMITS.responsesCsv * 4 + 1024,
        schema: { params: bySession, body: responsesImportRequest, response: { 200: responsesImportResult } },
      },
      async (request) => answers.importResponses(actorOf(request), request.params.session, request.body.csv),
    );
  };
}
