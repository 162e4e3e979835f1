/**
 * The answer scales an import can give questions whose source has none (OSCAL controls, CISO
 * Assistant requirements without `scores_definition`): Kalaja's own words, in its three
 * languages and in the languages CISO Assistant's libraries are most often written in, so that
 * a framework in French still has its scale in French.
 */

export const IMPORT_SCALES = ['implementation', 'csf-tiers', 'compliance'] as const;
export type ImportScale = (typeof IMPORT_SCALES)[number];

type Words = Record<'en' | 'sq' | 'sr-Latn' | 'fr' | 'de' | 'es' | 'it', string>;

export interface ScaleOption {
  id: string;
  label: Words;
  score: number;
}

const SCALES: Record<ImportScale, ScaleOption[]> = {
  // Not / partly / largely / fully implemented: the plainest reading of a control.
  implementation: [
    {
      id: 'not-implemented',
      score: 0,
      label: {
        en: 'Not implemented',
        sq: 'Nuk është zbatuar',
        'sr-Latn': 'Nije primenjeno',
        fr: 'Non mis en œuvre',
        de: 'Nicht umgesetzt',
        es: 'No implementado',
        it: 'Non attuato',
      },
    },
    {
      id: 'partly',
      score: 1 / 3,
      label: {
        en: 'Partly implemented',
        sq: 'Zbatuar pjesërisht',
        'sr-Latn': 'Delimično primenjeno',
        fr: 'Partiellement mis en œuvre',
        de: 'Teilweise umgesetzt',
        es: 'Parcialmente implementado',
        it: 'Parzialmente attuato',
      },
    },
    {
      id: 'largely',
      score: 2 / 3,
      label: {
        en: 'Largely implemented',
        sq: 'Zbatuar në masë të madhe',
        'sr-Latn': 'Uglavnom primenjeno',
        fr: 'Largement mis en œuvre',
        de: 'Weitgehend umgesetzt',
        es: 'Mayormente implementado',
        it: 'Ampiamente attuato',
      },
    },
    {
      id: 'fully',
      score: 1,
      label: {
        en: 'Fully implemented',
        sq: 'Zbatuar plotësisht',
        'sr-Latn': 'Potpuno primenjeno',
        fr: 'Entièrement mis en œuvre',
        de: 'Vollständig umgesetzt',
        es: 'Totalmente implementado',
        it: 'Pienamente attuato',
      },
    },
  ],
  // The four CSF implementation tiers (NIST CSWP 29, §3), read per subcategory.
  'csf-tiers': [
    {
      id: 'tier-1',
      score: 0,
      label: {
        en: 'Tier 1: Partial',
        sq: 'Niveli 1: I pjesshëm',
        'sr-Latn': 'Nivo 1: Delimičan',
        fr: 'Niveau 1 : Partiel',
        de: 'Stufe 1: Teilweise',
        es: 'Nivel 1: Parcial',
        it: 'Livello 1: Parziale',
      },
    },
    {
      id: 'tier-2',
      score: 1 / 3,
      label: {
        en: 'Tier 2: Risk informed',
        sq: 'Niveli 2: I informuar për rrezikun',
        'sr-Latn': 'Nivo 2: Zasnovan na riziku',
        fr: 'Niveau 2 : Informé des risques',
        de: 'Stufe 2: Risikoinformiert',
        es: 'Nivel 2: Informado por el riesgo',
        it: 'Livello 2: Informato sul rischio',
      },
    },
    {
      id: 'tier-3',
      score: 2 / 3,
      label: {
        en: 'Tier 3: Repeatable',
        sq: 'Niveli 3: I përsëritshëm',
        'sr-Latn': 'Nivo 3: Ponovljiv',
        fr: 'Niveau 3 : Reproductible',
        de: 'Stufe 3: Wiederholbar',
        es: 'Nivel 3: Repetible',
        it: 'Livello 3: Ripetibile',
      },
    },
    {
      id: 'tier-4',
      score: 1,
      label: {
        en: 'Tier 4: Adaptive',
        sq: 'Niveli 4: Adaptiv',
        'sr-Latn': 'Nivo 4: Prilagodljiv',
        fr: 'Niveau 4 : Adaptatif',
        de: 'Stufe 4: Adaptiv',
        es: 'Nivel 4: Adaptativo',
        it: 'Livello 4: Adattivo',
      },
    },
  ],
  // CISO Assistant's own result for a requirement.
  compliance: [
    {
      id: 'non-compliant',
      score: 0,
      label: {
        en: 'Not compliant',
        sq: 'Nuk përputhet',
        'sr-Latn': 'Nije usklađeno',
        fr: 'Non conforme',
        de: 'Nicht konform',
        es: 'No conforme',
        it: 'Non conforme',
      },
    },
    {
      id: 'partially-compliant',
      score: 0.5,
      label: {
        en: 'Partially compliant',
        sq: 'Përputhet pjesërisht',
        'sr-Latn': 'Delimično usklađeno',
        fr: 'Partiellement conforme',
        de: 'Teilweise konform',
        es: 'Parcialmente conforme',
        it: 'Parzialmente conforme',
      },
    },
    {
      id: 'compliant',
      score: 1,
      label: {
        en: 'Compliant',
        sq: 'Përputhet',
        'sr-Latn': 'Usklađeno',
        fr: 'Conforme',
        de: 'Konform',
        es: 'Conforme',
        it: 'Conforme',
      },
    },
  ],
};

/** The languages a shipped scale is written in. */
export const SCALE_LANGUAGES = ['en', 'sq', 'sr-Latn', 'fr', 'de', 'es', 'it'] as const;

/**
 * A shipped scale's options for a framework in `language`: its labels as text maps that have
 * that language first, then Kalaja's three. Undefined when the scale has no words in it.
 */
export function scaleOptions(scale: ImportScale, language: string) {
  if (!(SCALE_LANGUAGES as readonly string[]).includes(language)) return undefined;
  const keys = [...new Set(['en', 'sq', 'sr-Latn', language])] as (keyof Words)[];
  return SCALES[scale].map((o) => ({
    id: o.id,
    label: Object.fromEntries(keys.map((k) => [k, o.label[k]])),
    // Thirds written to four places: the file stays readable and the scores stay in order.
    score: Math.round(o.score * 10000) / 10000,
  }));
}
