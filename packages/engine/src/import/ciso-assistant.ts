import { list, obj, readDocument, type Loose } from '../documents/document.js';
import { FRAMEWORK_FORMAT } from '../framework/types.js';
import { LOCALE_KEY } from '../text.js';
import { cleanText, notes, toId, toRefId, uniqueIds, writeFramework, type ImportResult } from './import-fns.js';
import { scaleOptions, type ImportScale } from './scales.js';

export interface CisoAssistantImportOptions {
  file: string;
  /**
   * The depth of the requirement tree whose nodes become domains; every assessable node below
   * one becomes a question of it. The shallowest depth of the library unless said.
   */
  depth?: number;
  /** The scale of a library without `scores_definition`; `compliance` unless said. */
  scale?: ImportScale;
  /** The framework id; from the library's URN unless said. */
  id?: string;
}

/** A text in the library's language with its translations: `{ fr: "…", en: "…" }`. */
type Texts = Record<string, string>;

/**
 * A CISO Assistant library (its YAML) as a `kalaja: framework/1` file: the requirement tree
 * flattened at a depth (nodes there → domains, the assessable nodes under them → questions),
 * `scores_definition` → options, descriptions and annotations → guidance, translations → the
 * texts' other languages. A library that is not in English keeps its language (`language: fr`).
 * Questions inside requirements, `depends_on` conditions and implementation groups cannot be
 * carried and are named in the report.
 */
export function importCisoAssistant(text: string, options: CisoAssistantImportOptions): ImportResult {
  const { file } = options;
  const read = readDocument(text, { file, format: 'yaml', what: 'a CISO Assistant library' });
  if (!read.ok) return read;
  const { raw, locate } = read.value;
  const lib = obj(raw);
  const fwRaw = obj(obj(lib.objects).framework);
  const nodes = list(fwRaw.requirement_nodes).map(obj);
  if (nodes.length === 0)
    return {
      ok: false,
      problems: [
        {
          file,
          ...(lib.objects !== undefined ? locate(['objects']) : { line: 1, col: 1 }),
          message: 'there is no `objects.framework.requirement_nodes`: this is not a CISO Assistant framework library',
        },
      ],
    };
  const note = notes();
  const language = normaliseLocale(typeof lib.locale === 'string' ? lib.locale : 'en') ?? 'en';
  const texts = (o: Loose, field: string): Texts | undefined => {
    const own = cleanText(o[field]);
    if (own === '') return undefined;
    const out: Texts = { [language]: own };
    for (const [k, tr] of Object.entries(obj(o.translations))) {
      const key = normaliseLocale(k);
      if (key === undefined) {
        note.add('translations-dropped', k);
        continue;
      }
      const t = cleanText(obj(tr)[field]);
      if (t !== '' && key !== language) out[key] = t;
    }
    return out;
  };

  // The tree: children in the library's order, by parent URN.
  const children = new Map<string, Loose[]>();
  const depthOf = (n: Loose) => (typeof n.depth === 'number' ? n.depth : 1);
  for (const n of nodes) {
    const parent = typeof n.parent_urn === 'string' ? n.parent_urn : '';
    const siblings = children.get(parent);
    if (siblings) siblings.push(n);
    else children.set(parent, [n]);
  }
  const depths = nodes.map(depthOf);
  const depth = options.depth ?? Math.min(...depths);
  const descendants = (n: Loose): Loose[] => (children.get(String(n.urn)) ?? []).flatMap((c) => [c, ...descendants(c)]);

  const scores = list(fwRaw.scores_definition).map(obj);
  let optionsOf: unknown[];
  const values = scores.map((s) => (typeof s.score === 'number' ? s.score : Number.NaN));
  if (scores.length >= 2 && values.every(Number.isFinite)) {
    // The range declared, widened to the scores defined: some libraries define a 0 below `min_score: 1`.
    const min = Math.min(...values, ...(typeof fwRaw.min_score === 'number' ? [fwRaw.min_score] : []));
    const max = Math.max(...values, ...(typeof fwRaw.max_score === 'number' ? [fwRaw.max_score] : []));
    const optionId = uniqueIds();
    optionsOf = scores.map((s, i) => ({
      id: optionId(toId(cleanText(s.name)).slice(0, 40).replace(/-+$/, '') || `score-${i + 1}`),
      label: texts(s, 'name') ?? { [language]: String(s.score) },
      score: max > min ? Math.round(((Number(s.score) - min) / (max - min)) * 10000) / 10000 : 0,
    }));
  } else {
    const scale = scaleOptions(options.scale ?? 'compliance', language);
    if (!scale)
      return {
        ok: false,
        problems: [
          {
            file,
            ...locate(['locale']),
            message: `the library is in \`${language}\` and has no scores_definition; Kalaja's scales are written in en, sq, sr-Latn, fr, de, es and it`,
          },
        ],
      };
    optionsOf = scale;
  }

  const libRef = toId(String(lib.ref_id ?? fwRaw.ref_id ?? '')) || 'ciso-assistant';
  const questionId = uniqueIds();
  const domainId = uniqueIds();
  const question = (n: Loose): Record<string, unknown> => {
    const name = texts(n, 'name');
    const description = texts(n, 'description');
    const ref = typeof n.ref_id === 'string' || typeof n.ref_id === 'number' ? String(n.ref_id) : '';
    const embedded: Texts[] = [];
    for (const [urn, qv] of Object.entries(obj(n.questions))) {
      const q = obj(qv);
      if (q.depends_on !== undefined) note.add('depends-on', urn);
      if (['unique_choice', 'multiple_choice', 'boolean'].includes(String(q.type))) {
        note.add('embedded-questions', urn);
        const t = texts(q, 'text');
        if (t) embedded.push(t);
      } else note.add('free-text-questions', urn);
    }
    if (n.depends_on !== undefined) note.add('depends-on', String(n.urn));
    const text = name ?? description ?? { [language]: ref || String(n.urn) };
    const guidance = joinTexts([...(name ? [description] : []), texts(n, 'annotation'), ...embedded], language);
    const wanted = toId(ref || String(n.urn).split(':').at(-1) || '', true) || 'requirement';
    if (ref !== '' && wanted !== ref.toLowerCase()) note.add('ids-normalised', ref);
    const refId = ref === '' ? '' : toRefId(ref);
    if (refId !== ref) note.add('refs-normalised', ref);
    return {
      id: questionId(wanted),
      text: asText(text, language),
      ...(guidance && { guidance: asText(guidance, language) }),
      options: optionsOf,
      ...(refId !== '' && { refs: { [libRef]: [refId] } }),
    };
  };

  const domains: Record<string, unknown>[] = [];
  const loose: Loose[] = [];
  for (const n of nodes) {
    const d = depthOf(n);
    if (d < depth && n.assessable === true) note.add('nodes-above-depth', String(n.ref_id ?? n.urn));
    if (d !== depth) continue;
    const asked = [n, ...descendants(n)].filter((x) => x.assessable === true);
    if (asked.length === 0) {
      note.add('empty-domains', String(n.ref_id ?? n.name ?? n.urn));
      continue;
    }
    if (asked.length === 1 && asked[0] === n) {
      loose.push(n);
      continue;
    }
    const title = texts(n, 'name') ?? texts(n, 'description') ?? { [language]: String(n.ref_id ?? n.urn) };
    domains.push({
      id: domainId(
        toId(
          String(n.ref_id ?? n.urn)
            .split(':')
            .at(-1) ?? '',
        ) || 'section',
      ),
      title: asText(title, language),
      ...(n.name !== undefined &&
        texts(n, 'description') && { description: asText(texts(n, 'description')!, language) }),
      questions: asked.map(question),
    });
  }
  const fwTitle = texts(fwRaw, 'name') ?? texts(lib, 'name') ?? { [language]: libRef };
  // Requirements that stand alone at the chosen depth are asked together, under the framework's name.
  if (loose.length > 0)
    domains.push({ id: domainId('requirements'), title: asText(fwTitle, language), questions: loose.map(question) });
  for (const g of list(fwRaw.implementation_groups_definition))
    note.add('implementation-groups', String(obj(g).ref_id ?? obj(g).name));

  if (domains.length === 0)
    return {
      ok: false,
      problems: [
        {
          file,
          ...locate(['objects', 'framework', 'requirement_nodes']),
          message: `no assessable requirement at or below depth ${depth}`,
        },
      ],
    };
  const id =
    options.id ??
    (toId(
      String(lib.urn ?? '')
        .split(':')
        .at(-1) ?? '',
    ) ||
      libRef);
  const licence = cleanText(lib.copyright) || undefined;
  const source = [
    cleanText(lib.provider),
    `${String(lib.urn ?? id)} version ${String(lib.version ?? '1')} (CISO Assistant library)`,
  ]
    .filter(Boolean)
    .join(', ');
  const description = texts(fwRaw, 'description') ?? texts(lib, 'description');
  const doc = {
    kalaja: FRAMEWORK_FORMAT,
    id,
    version: String(lib.version ?? '1'),
    title: asText(fwTitle, language),
    ...(description && { description: asText(description, language) }),
    ...(language !== 'en' && { language }),
    source,
    ...(licence !== undefined && { licence }),
    scale: 10,
    domains,
  };
  const header = [
    `Imported by \`kalaja import-framework --from ciso-assistant\` from ${file} (depth ${depth}).`,
    `Source: ${source}.`,
    ...(licence !== undefined ? [`Licence: ${licence.split('\n')[0]}.`] : []),
  ];
  return writeFramework(doc, header, `${id}.yaml`, { format: 'ciso-assistant', language, notes: note.list() });
}

/** `fr`, `pt-BR`, `sr-Latn` from the forms libraries use (`pt_BR`, `PT-br`); undefined if none fits. */
function normaliseLocale(key: string): string | undefined {
  const [lang = '', ...rest] = key.trim().replace(/_/g, '-').split('-');
  const out = [
    lang.toLowerCase(),
    ...rest.map((p) => (p.length === 4 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toUpperCase())),
  ].join('-');
  return LOCALE_KEY.test(out) ? out : undefined;
}

/** Texts in the library's language alone, for English, are a plain string: the format's shortest form. */
function asText(t: Texts, language: string): string | Texts {
  return language === 'en' && Object.keys(t).length === 1 ? t.en! : t;
}

/**
 * Paragraphs joined per language; a language is kept only where every paragraph has it, so a
 * translation is never half the text (the reader falls back to the library's language).
 */
function joinTexts(parts: (Texts | undefined)[], language: string): Texts | undefined {
  const present = parts.filter((p): p is Texts => p !== undefined);
  if (present.length === 0) return undefined;
  const langs = Object.keys(present[0]!).filter((l) => present.every((p) => p[l] !== undefined));
  if (!langs.includes(language)) langs.unshift(language);
  return Object.fromEntries(langs.map((l) => [l, present.map((p) => p[l] ?? p[language]!).join('\n\n')]));
}
