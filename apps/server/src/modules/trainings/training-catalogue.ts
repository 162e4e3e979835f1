import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrainingModule, type TrainingModule } from '@kalaja/engine';

/** The training modules Kalaja ships (`kalaja: training/1`), one file each. */
export const SHIPPED_TRAININGS = fileURLToPath(new URL('../../../../../content/trainings/', import.meta.url));

/** The modules sessions are scheduled from, by id, in file-name order. */
export interface TrainingCatalogue {
  modules: readonly TrainingModule[];
  byId: ReadonlyMap<string, TrainingModule>;
}

/**
 * Loads every module of the shipped catalogue once at start. A module that does not load stops
 * the server with its problems named: the catalogue is part of the release, and a session must
 * never meet a module it cannot read.
 */
export function loadShippedTrainings(dir = SHIPPED_TRAININGS): TrainingCatalogue {
  const modules: TrainingModule[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = join(dir, name);
    const loaded = loadTrainingModule(readFileSync(file, 'utf8'), { file });
    if (!loaded.ok)
      throw new Error(
        `${file}: the shipped training module does not load: ${loaded.problems.map((p) => `${p.line}: ${p.message}`).join('; ')}`,
      );
    if (modules.some((m) => m.id === loaded.value.id)) throw new Error(`${file}: a second module ${loaded.value.id}`);
    modules.push(loaded.value);
  }
  return { modules, byId: new Map(modules.map((m) => [m.id, m])) };
}
