import {
  answerInput,
  answerSaved,
  assessment,
  assessmentExplanation,
  assessmentListItem,
  confirmationRequest,
  confirmationResult,
  idSchema,
  interviewNote,
  interviewNoteCreated,
  interviewNoteInput,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import type { AssessmentService } from './assessment-service.js';

const byId = z.object({ id: idSchema });

const byQuestion = z.object({ id: idSchema, question: z.string().min(1).max(200) });

/** One assessment: read it, answer (organisation), validate (assessor), submit, notes, results. */
export function assessmentRoutes(assessments: AssessmentService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/assessments',
      { config: member, schema: { response: { 200: z.array(assessmentListItem) } } },
      async (request) => assessments.listMine(actorOf(request)),
    );
    app.get(
      '/api/v1/assessments/:id',
      { config: member, schema: { params: byId, response: { 200: assessment } } },
      async (request) => assessments.get(actorOf(request), request.params.id),
    );
    // The organisation's own answer and the assessor's validated one: the same request, another layer.
    for (const [path, save] of [
      ['/api/v1/assessments/:id/answers/:question', assessments.saveOwn],
      ['/api/v1/assessments/:id/validated/:question', assessments.saveValidated],
    ] as const) {
      app.put(
        path,
        { config: member, schema: { params: byQuestion, body: answerInput, response: { 200: answerSaved } } },
        async (request, reply) => {
          const result = await save(
            actorOf(request),
            request.params.id,
            request.params.question,
            request.body,
            ifMatch(request.headers['if-match']),
          );
          reply.header('etag', `"${result.version}"`);
          return result;
        },
      );
    }
    // Answers carried over from the round before, confirmed as they are: one, or a domain at once.
    app.post(
      '/api/v1/assessments/:id/confirmations',
      {
        config: member,
        schema: { params: byId, body: confirmationRequest, response: { 200: confirmationResult } },
      },
      async (request) => assessments.confirm(actorOf(request), request.params.id, request.body.answers),
    );
    app.post(
      '/api/v1/assessments/:id/submit',
      { config: member, schema: { params: byId, response: { 204: z.null() } } },
      async (request, reply) => {
        await assessments.submit(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/assessments/:id/validate',
      { config: member, schema: { params: byId, response: { 204: z.null() } } },
      async (request, reply) => {
        await assessments.validate(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/v1/assessments/:id/interview-notes',
      { config: member, schema: { params: byId, response: { 200: z.array(interviewNote) } } },
      async (request) => assessments.interviewNotes(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/assessments/:id/interview-notes',
      {
        config: member,
        schema: { params: byId, body: interviewNoteInput, response: { 201: interviewNoteCreated } },
      },
      async (request, reply) =>
        reply.status(201).send(await assessments.addInterviewNote(actorOf(request), request.params.id, request.body)),
    );
    app.get(
      '/api/v1/assessments/:id/results',
      { config: member, schema: { params: byId, response: { 200: assessmentExplanation } } },
      async (request) => assessments.results(actorOf(request), request.params.id),
    );
  };
}
