import { formatCount } from '../../../components/format';

/** What each resolution rule means to someone who laid out the files (main/services/verify/resolve-ref.ts). */
const RULES: Readonly<Record<string, string>> = {
  join: 'at the ref’s path',
  extension: 'as another container (.mkv…)',
  basename: 'by name in a subfolder',
  'kinetics-path': 'at the path without the storage prefix',
  'kinetics-basename': 'by file name',
  'kinetics-ytid': 'by YouTube id',
};

/** How a source's present files were found, when any of them took a rule other than the ref's own path. */
export function FoundBy({ counts }: { counts: Readonly<Record<string, number>> }) {
  const rules = Object.entries(counts).filter(([, n]) => n > 0);
  if (rules.length === 0 || (rules.length === 1 && rules[0]?.[0] === 'join')) return null;
  return <span className="muted found-by">found {rules.map(([rule, n]) => `${RULES[rule] ?? rule}: ${formatCount(n)}`).join(' · ')}</span>;
}
