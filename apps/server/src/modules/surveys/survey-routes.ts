import {
  idSchema,
  programmeSurvey,
  programmeSurveyInput,
  reportLanguage,
  surveyAnswersInput,
  surveyResponseView,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import type { SurveyService } from './survey-service.js';

const byId = z.object({ id: idSchema });
const byResponse = z.object({ id: idSchema, round: idSchema, organisation: idSchema });
const langQuery = z.object({ lang: reportLanguage.optional() });

/** The survey a programme runs, and an organisation's answers to it in a round. */
export function surveyRoutes(surveys: SurveyService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/programmes/:id/survey',
      { config: member, schema: { params: byId, response: { 200: programmeSurvey } } },
      async (request) => surveys.programmeSurvey(actorOf(request), request.params.id),
    );
    app.put(
      '/api/v1/programmes/:id/survey',
      { config: member, schema: { params: byId, body: programmeSurveyInput, response: { 200: programmeSurvey } } },
      async (request) => surveys.setSurvey(actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey',
      { config: member, schema: { params: byResponse, querystring: langQuery, response: { 200: surveyResponseView } } },
      async (request, reply) => {
        const { id, round, organisation } = request.params;
        const view = await surveys.response(actorOf(request), id, round, organisation, request.query.lang ?? 'en');
        reply.header('etag', `"${view.version}"`);
        return view;
      },
    );
    app.put(
      '/api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey',
      {
        config: member,
        schema: {
          params: byResponse,
          querystring: langQuery,
          body: surveyAnswersInput,
          response: { 200: surveyResponseView },
        },
      },
      async (request, reply) => {
        const { id, round, organisation } = request.params;
        const view = await surveys.save(
          actorOf(request),
          id,
          round,
          organisation,
          request.body,
          ifMatch(request.headers['if-match']),
          request.query.lang ?? 'en',
        );
        reply.header('etag', `"${view.version}"`);
        return view;
      },
    );
  };
}
