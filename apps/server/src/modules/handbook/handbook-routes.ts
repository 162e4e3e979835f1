import { handbookContents, handbookQuery, handbookSectionId, handbookSectionView } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HandbookService } from './handbook-service.js';

/**
 * The handbook, public: no account, no cookie needed. The moment someone needs "I lost access
 * to my account" may be the moment they cannot sign in. The web app's service worker keeps
 * these responses for reading offline (apps/web/public/handbook-sw.js).
 */
export function handbookRoutes(handbook: HandbookService, options: { pdf: (lang: string) => Promise<Uint8Array> }) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const open = { access: 'public', compress: true } as const;

    app.get(
      '/api/v1/handbook',
      { config: open, schema: { querystring: handbookQuery, response: { 200: handbookContents } } },
      async (request) => handbook.contents(request.query.lang),
    );
    app.get(
      '/api/v1/handbook/export.pdf',
      { config: { access: 'public' }, schema: { querystring: handbookQuery } },
      async (request, reply) => {
        const lang = handbook.book(request.query.lang).lang;
        const bytes = await options.pdf(lang);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="kalaja-handbook-${lang}.pdf"`)
          .send(Buffer.from(bytes));
      },
    );
    app.get(
      '/api/v1/handbook/:id',
      {
        config: open,
        schema: {
          params: z.object({ id: handbookSectionId }),
          querystring: handbookQuery,
          response: { 200: handbookSectionView },
        },
      },
      async (request) => handbook.section(request.params.id, request.query.lang),
    );
  };
}
