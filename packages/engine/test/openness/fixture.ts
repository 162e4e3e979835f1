/**
 * A made-up openness framework and waves of answers, for the paper's tests and for rendering a
 * paper the size of a real one: 4 principles, `indicators` indicators worth 1 to 3 points, every
 * text in English, Albanian and Serbian (Latin), and institutions in two countries over two waves.
 * Deterministic: the same arguments give the same text.
 */
const THINGS: [string, string, string][] = [
  ['the organisation chart', 'organigrami', 'organizaciona šema'],
  ['the annual budget', 'buxheti vjetor', 'godišnji budžet'],
  ['the budget execution report', 'raporti i ekzekutimit të buxhetit', 'izveštaj o izvršenju budžeta'],
  ['the procurement plan', 'plani i prokurimit', 'plan javnih nabavki'],
  ['the contracts awarded', 'kontratat e dhëna', 'dodeljeni ugovori'],
  ['the decisions taken', 'vendimet e marra', 'donete odluke'],
  ['the minutes of meetings', 'procesverbalet e mbledhjeve', 'zapisnici sa sednica'],
  ['the salaries of officials', 'pagat e zyrtarëve', 'plate funkcionera'],
  ['the register of access requests', 'regjistri i kërkesave për qasje', 'registar zahteva za pristup'],
  ['the code of ethics', 'kodi i etikës', 'etički kodeks'],
  ['the asset declarations', 'deklaratat e pasurisë', 'imovinske kartice'],
  ['the strategic plan', 'plani strategjik', 'strateški plan'],
  ['the annual work report', 'raporti vjetor i punës', 'godišnji izveštaj o radu'],
  ['the consultation calendar', 'kalendari i konsultimeve', 'kalendar konsultacija'],
  ['the lobbying register', 'regjistri i lobimit', 'registar lobiranja'],
];
const HOW: [string, string, string][] = [
  ['Is {x} published on the website?', 'A publikohet {x} në ueb-faqe?', 'Da li je {x} objavljen(a) na veb-sajtu?'],
  [
    'Is {x} published in a machine-readable format?',
    'A publikohet {x} në format të lexueshëm nga makina?',
    'Da li je {x} objavljen(a) u mašinski čitljivom formatu?',
  ],
  ['Is {x} up to date?', 'A është {x} i përditësuar?', 'Da li je {x} ažuran(a)?'],
  ['Is {x} under an open licence?', 'A është {x} me licencë të hapur?', 'Da li je {x} pod otvorenom licencom?'],
  ['Is {x} easy to find?', 'A gjendet lehtë {x}?', 'Da li se {x} lako pronalazi?'],
];
export const PRINCIPLES: [string, string, string, string][] = [
  ['transparency', 'Transparency', 'Transparenca', 'Transparentnost'],
  ['accessibility', 'Accessibility', 'Qasshmëria', 'Dostupnost'],
  ['integrity', 'Integrity', 'Integriteti', 'Integritet'],
  ['effectiveness', 'Effectiveness', 'Efektiviteti', 'Efikasnost'],
];
const SOURCES = ['desk-research', 'desk-research', 'questionnaire', 'desk-research', 'interview'] as const;

const q = (s: string) => JSON.stringify(s);

export function opennessFramework(indicators = 72): string {
  const lines = [
    'kalaja: framework/1',
    'id: oi-test',
    'version: "1"',
    'title: {en: Test openness index, sq: Indeksi provë i hapjes, sr-Latn: Probni indeks otvorenosti}',
    'subject: institution',
    'scale: 100',
    'domains:',
  ];
  const per = Math.ceil(indicators / PRINCIPLES.length);
  let i = 0;
  for (const [id, en, sq, sr] of PRINCIPLES) {
    lines.push(`  - id: ${id}`, `    title: {en: ${en}, sq: ${sq}, sr-Latn: ${sr}}`, '    questions:');
    for (let k = 0; k < per && i < indicators; k++, i++) {
      const thing = THINGS[i % THINGS.length]!;
      const how = HOW[Math.floor(i / THINGS.length) % HOW.length]!;
      const points = (i % 3) + 1;
      const text = (j: number) => `${how[j]!.replace('{x}', thing[j]!)} (${i + 1})`;
      lines.push(
        `      - id: ${id}.i${i + 1}`,
        `        text: {en: ${q(text(0))}, sq: ${q(text(1))}, sr-Latn: ${q(text(2))}}`,
        `        guidance: {en: ${q(`Publish ${thing[0]} on the institution's own website and keep it current.`)}, sq: ${q(`Publikoni ${thing[1]} në ueb-faqen e institucionit dhe mbajeni të përditësuar.`)}, sr-Latn: ${q(`Objavite: ${thing[2]}, na sopstvenom veb-sajtu institucije i redovno ažurirajte.`)}}`,
        `        weight: ${points}`,
        `        source: ${SOURCES[i % SOURCES.length]}`,
        `        na: true`,
        '        options:',
      );
      for (let p = 0; p <= points; p++)
        lines.push(
          `          - {id: p${p}, label: {en: "${p} of ${points} points", sq: "${p} nga ${points} pikë", sr-Latn: "${p} od ${points} poena"}, score: ${p / points}}`,
        );
    }
  }
  return lines.join('\n') + '\n';
}

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface InstitutionRow {
  name: string;
  type: string;
  level: string;
  country: string;
}

export const INSTITUTIONS: InstitutionRow[] = [
  ['Assembly of Kosovo', 'parliament', 'central', 'Kosovo'],
  ["Prime Minister's Office", 'government office', 'central', 'Kosovo'],
  ['Ministry of Education', 'ministry', 'central', 'Kosovo'],
  ['Ministry of Finance', 'ministry', 'central', 'Kosovo'],
  ['Ministry of Health', 'ministry', 'central', 'Kosovo'],
  ['Municipality of Prizren', 'municipality', 'local', 'Kosovo'],
  ['Municipality of Peja', 'municipality', 'local', 'Kosovo'],
  ['Agency for Information and Privacy', 'agency', 'central', 'Kosovo'],
  ['Assembly of North Macedonia', 'parliament', 'central', 'North Macedonia'],
  ['Government of North Macedonia', 'government office', 'central', 'North Macedonia'],
  ['Ministry of Justice (MK)', 'ministry', 'central', 'North Macedonia'],
  ['Ministry of Interior (MK)', 'ministry', 'central', 'North Macedonia'],
  ['Municipality of Bitola', 'municipality', 'local', 'North Macedonia'],
  ['Municipality of Tetovo', 'municipality', 'local', 'North Macedonia'],
  ['Parliament of Montenegro', 'parliament', 'central', 'Montenegro'],
  ['Government of Montenegro', 'government office', 'central', 'Montenegro'],
  ['Ministry of Finance (ME)', 'ministry', 'central', 'Montenegro'],
  ['Capital City Podgorica', 'municipality', 'local', 'Montenegro'],
  ['Municipality of Bar', 'municipality', 'local', 'Montenegro'],
  ['Agency for Prevention of Corruption', 'agency', 'central', 'Montenegro'],
].map(([name, type, level, country]) => ({ name: name!, type: type!, level: level!, country: country! }));

/** Answer rows (organisation, round, question, answer) for `count` institutions over the given waves. */
export function opennessAnswers(
  indicators = 72,
  count = 20,
  waves: readonly string[] = ['2025', '2026'],
  seed = 7,
): string[][] {
  const rnd = random(seed);
  const per = Math.ceil(indicators / PRINCIPLES.length);
  const rows: string[][] = [];
  const names = Array.from({ length: count }, (_, i) => INSTITUTIONS[i]?.name ?? `Institution ${i + 1}`);
  for (let w = 0; w < waves.length; w++)
    names.forEach((name, n) => {
      // The last institution is new: measured in the latest wave only, on a reduced set.
      if (n === names.length - 1 && w < waves.length - 1 && names.length > 2) return;
      const strength = 0.25 + (0.6 * ((n * 7) % names.length)) / names.length + 0.05 * w;
      for (let i = 0; i < indicators; i++) {
        const principle = PRINCIPLES[Math.floor(i / per)]![0];
        const points = (i % 3) + 1;
        const reduced = n === names.length - 1 && i % 4 === 0;
        let answer: string;
        if (reduced || rnd() < 0.03) answer = 'na';
        else if (i % 11 === 5)
          answer = rnd() < 0.85 ? 'p0' : `p${points}`; // most institutions miss these
        else answer = `p${Math.min(points, Math.max(0, Math.round((strength + (rnd() - 0.5) * 0.8) * points)))}`;
        rows.push([name, waves[w]!, `${principle}.i${i + 1}`, answer]);
      }
    });
  return rows;
}

export function toCsv(rows: string[][], header = ['organisation', 'round', 'question', 'answer']): string {
  const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
