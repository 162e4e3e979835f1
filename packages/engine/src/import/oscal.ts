import { FRAMEWORK_FORMAT } from '../framework/types.js';
import { cleanText, notes, toId, toRefId, uniqueIds, writeFramework, type ImportResult } from './import-fns.js';
import { readOscal, type OscalCatalog, type OscalControl, type OscalGroup, type OscalPart } from './oscal-read.js';
import { scaleOptions, type ImportScale } from './scales.js';

export interface OscalImportOptions {
  /** Name shown in problems and in the framework's `source`. */
  file: string;
  /** The answer scale every question gets; `implementation` unless said. */
  scale?: ImportScale;
  /**
   * Keep only controls that have a part of this name. CSF 2.0's catalog also carries the CSF 1.1
   * subcategories, told apart only by having no `example` part: for it this is `example` unless said.
   */
  requirePart?: string;
  /** The framework id; from the catalog's title unless said. */
  id?: string;
  /** The catalogue name of the questions' refs; `nist-csf-2` for CSF 2.0, else from the title. */
  refs?: string;
  /** The licence of the catalog, recorded in the framework; public domain for NIST's own. */
  licence?: string;
}

/**
 * An OSCAL catalog (XML or JSON) as a `kalaja: framework/1` file. Each group or control that
 * holds controls becomes a domain; each control that holds none becomes a question of the
 * domain around it, its statement the question (or, when the control has a title of its own, the
 * guidance), its examples and guidance part the guidance, its label a reference. Withdrawn
 * controls (`status: withdrawn`) are left out, and named in the report.
 *
 * @example importOscal(readFileSync('NIST_CSF_v2.0_catalog.xml', 'utf8'), { file: 'csf.xml' })
 */
export function importOscal(text: string, options: OscalImportOptions): ImportResult {
  const read = readOscal(text, options.file);
  if (!read.ok) return read;
  const cat = read.value;
  const csf2 = isCsf2(cat);
  const requirePart = options.requirePart ?? (csf2 ? 'example' : undefined);
  const note = notes();
  const domainId = uniqueIds();
  const questionId = uniqueIds();
  const refsName = options.refs ?? (csf2 ? 'nist-csf-2' : toId(cat.title) || 'oscal');
  const scale = scaleOptions(options.scale ?? 'implementation', 'en')!;

  const withdrawn = (c: OscalControl) =>
    c.props.some((p) => p.name === 'status' && p.value.toLowerCase() === 'withdrawn');
  /** The controls of a container worth keeping, each with the controls it keeps. */
  const kept = (controls: OscalControl[]): OscalControl[] =>
    controls.flatMap((c) => {
      if (withdrawn(c)) {
        note.add('withdrawn-controls', c.id);
        return [];
      }
      const children = kept(c.controls);
      if (children.length === 0 && c.controls.length > 0) {
        note.add('empty-groups', c.id);
        return [];
      }
      if (children.length === 0 && requirePart !== undefined && !c.parts.some((p) => p.name === requirePart)) {
        note.add('superseded-controls', c.id);
        return [];
      }
      return [{ ...c, controls: children }];
    });

  const domains: Record<string, unknown>[] = [];
  const visit = (container: OscalGroup | OscalControl, controls: OscalControl[], groups: OscalGroup[]) => {
    const leaves = controls.filter((c) => c.controls.length === 0);
    if (leaves.length > 0) {
      const label = cleanText(propValue(container.props, 'label'));
      const title = label || container.title || cleanText(container.id) || 'Controls';
      const overview = statementOf(container.parts) || partProse(container.parts, 'overview');
      domains.push({
        id: domainId(toId(container.id ?? container.title) || 'domain'),
        title,
        ...(overview && { description: overview }),
        questions: leaves.map((c) => question(c)),
      });
    }
    for (const c of controls) if (c.controls.length > 0) visit(c, c.controls, []);
    for (const g of groups) {
      const gc = kept(g.controls);
      if (gc.length === 0 && g.groups.length === 0) note.add('empty-groups', g.id ?? g.title);
      visit(g, gc, g.groups);
    }
  };
  const question = (c: OscalControl): Record<string, unknown> => {
    const label = cleanText(propValue(c.props, 'label')) || cleanText(c.id);
    const statement = statementOf(c.parts);
    const ownTitle = c.title !== '' && c.title !== c.id && c.title !== label;
    const text = ownTitle ? c.title : statement || c.title || label || 'Control';
    const examples = c.parts.filter((p) => p.name === 'example').map((p) => flatProse(p));
    const guidanceParts = [
      ...(ownTitle && statement ? [statement] : []),
      ...examples.filter(Boolean).map((e) => `Example: ${e}`),
      ...(partProse(c.parts, 'guidance') ? [partProse(c.parts, 'guidance')] : []),
    ];
    const wanted = toId(c.id, true) || 'question';
    if (wanted !== c.id.toLowerCase()) note.add('ids-normalised', c.id);
    const ref = toRefId(label);
    if (ref !== label) note.add('refs-normalised', label);
    return {
      id: questionId(wanted),
      text,
      ...(guidanceParts.length > 0 && { guidance: guidanceParts.join('\n\n') }),
      options: scale,
      ...(ref !== '' && { refs: { [refsName]: [ref] } }),
    };
  };
  visit({ title: cat.title, props: [], parts: [], groups: [], controls: [] }, kept(cat.controls), cat.groups);

  if (domains.length === 0)
    return {
      ok: false,
      problems: [{ file: options.file, line: 1, col: 1, message: 'the catalog has no control to ask about' }],
    };
  const id = options.id ?? (toId(cat.title) || 'oscal-catalog');
  const licence = options.licence ?? (csf2 ? 'Public domain (a work of the US government, NIST)' : undefined);
  const source = [`${cat.title}${cat.version ? ` ${cat.version}` : ''} (OSCAL catalog)`, cat.canonical]
    .filter(Boolean)
    .join(', ');
  const doc = {
    kalaja: FRAMEWORK_FORMAT,
    id,
    version: cat.version || '1.0.0',
    title: cat.title,
    source,
    ...(licence !== undefined && { licence }),
    scale: 10,
    domains,
  };
  const header = [
    `Imported by \`kalaja import-framework --from oscal\` from ${options.file}.`,
    `Source: ${source}.`,
    ...(licence !== undefined ? [`Licence: ${licence}.`] : []),
  ];
  return writeFramework(doc, header, `${id}.yaml`, { format: 'oscal', language: 'en', notes: note.list() });
}

function isCsf2(cat: OscalCatalog): boolean {
  return cat.props.some((p) => p.name === 'framework-version-identifier' && /^CSF_2/.test(p.value));
}

const propValue = (props: { name: string; value: string }[], name: string) =>
  props.find((p) => p.name === name)?.value || undefined;

function statementOf(parts: OscalPart[]): string {
  const s = parts.find((p) => p.name === 'statement');
  return s ? flatProse(s) : '';
}

function partProse(parts: OscalPart[], name: string): string {
  const p = parts.find((x) => x.name === name);
  return p ? flatProse(p) : '';
}

/** A part's prose with its sub-parts' prose (an SP 800-53 statement's items) after it. */
function flatProse(p: OscalPart): string {
  return cleanText([p.prose, ...p.parts.map(flatProse)].filter(Boolean).join('\n\n'));
}
