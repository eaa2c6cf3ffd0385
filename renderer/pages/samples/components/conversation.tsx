import { conversationTurns } from '../../../../shared/catalog/record-turns';

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** A question's text and its multiple-choice options ("(A) red" lines, after "Options:" or on their own). */
export function splitOptions(question: string): { text: string; options: Array<{ key: string; label: string }> } {
  const lines = question.split('\n');
  const options: Array<{ key: string; label: string }> = [];
  const text: string[] = [];
  for (const line of lines) {
    const m = /^\s*\(([A-Z])\)\s*(.*)$/.exec(line);
    if (m) options.push({ key: m[1] as string, label: m[2] as string });
    else if (!(options.length === 0 && /^\s*Options:\s*$/i.test(line))) text.push(line);
  }
  // Options inline on one line: "(A) red (B) blue"
  if (options.length === 0) {
    const inline = [...question.matchAll(/\(([A-Z])\)\s*([^()]*?)(?=\s*\([A-Z]\)|$)/g)];
    if (inline.length >= 2) {
      const first = question.indexOf(inline[0]?.[0] as string);
      return {
        text: question
          .slice(0, first)
          .replace(/Options:\s*$/i, '')
          .trim(),
        options: inline.map((m) => ({ key: m[1] as string, label: (m[2] as string).trim() })),
      };
    }
  }
  return { text: text.join('\n').trim(), options };
}

/** The record's instruction and its turns (question / answer), the options of a multiple-choice question laid out. */
export function Conversation({ recordText }: { recordText: string }) {
  let record: unknown;
  try {
    record = JSON.parse(recordText);
  } catch {
    return <p className="muted">The record could not be read as JSON; it is shown as stored below.</p>;
  }
  const turns = conversationTurns(record);
  if (turns.length === 0) return <p className="muted">This record has no conversation (no QA turns).</p>;
  let lastInstruction = '';
  return (
    <ol className="conversation" aria-label="Conversation">
      {turns.map((turn, k) => {
        const instruction = str(turn.i).trim();
        const showInstruction = instruction !== '' && instruction !== lastInstruction;
        lastInstruction = instruction || lastInstruction;
        const { text, options } = splitOptions(str(turn.q));
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns have no id; their order is the record's
          <li key={k} className="conversation__turn">
            {showInstruction ? (
              <p className="conversation__instruction">
                <span className="eyebrow">Instruction</span> {instruction}
              </p>
            ) : null}
            {text || options.length > 0 ? (
              <div className="conversation__q">
                <span className="eyebrow">Question</span> <span className="pre">{text}</span>
                {options.length > 0 ? (
                  <ul className="conversation__options">
                    {options.map((o) => (
                      <li key={o.key}>
                        <b>({o.key})</b> {o.label}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
            <p className="conversation__a">
              <span className="eyebrow">Answer</span> <span className="pre">{str(turn.a)}</span>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
