import { useProgress } from '../../queries';
import { useProgrammeContext } from './data';
import { ImportSection } from './import-section';
import { ProgressSection } from './progress-section';

/** Assessments and progress: every organisation's status per round, exports, and importing answers. */
export function Section() {
  const { programme } = useProgrammeContext();
  const progress = useProgress(programme.id);
  return (
    <>
      <ProgressSection programme={programme} progress={progress.data ?? []} />
      <ImportSection programme={programme} />
    </>
  );
}
