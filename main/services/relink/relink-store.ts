import type { RelinkCounts, RelinkProposal } from '../../../shared/api/relink-models';
import type { LibraryDatabase } from '../library/db';
import type { Proposal } from './match-refs';

interface Raw {
  id: number;
  sourceId: string;
  ref: string;
  target: string;
  rule: RelinkProposal['rule'];
  candidates: string;
  ambiguous: number;
  chosen: string | null;
  accepted: number;
  state: RelinkProposal['state'];
  how: string | null;
  error: string | null;
}

const COLUMNS = 'id, source_id AS sourceId, ref, target, rule, candidates, ambiguous, chosen, accepted, state, how, error';
const toProposal = (r: Raw): RelinkProposal => ({
  ...r,
  candidates: JSON.parse(r.candidates) as string[],
  ambiguous: r.ambiguous === 1,
  accepted: r.accepted === 1,
});

/** The relink proposals (migration 0130): replaced by each scan, reviewed, applied. */
export class RelinkStore {
  constructor(private readonly db: LibraryDatabase) {}

  /**
   * A scan's proposals, in place of those not applied yet of the sources it looked for (another source's reviews
   * stay); one with a single candidate the rule is sure of is accepted as it comes.
   */
  replace(proposals: readonly Proposal[], sourceId: string | null): void {
    const now = Date.now();
    const insert = this.db.prepare(
      `INSERT INTO relink_proposals (media_id, source_id, ref, target, rule, candidates, ambiguous, chosen, accepted, state, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?)
       ON CONFLICT (media_id) DO UPDATE SET target = excluded.target, rule = excluded.rule, candidates = excluded.candidates,
         ambiguous = excluded.ambiguous, chosen = excluded.chosen, accepted = excluded.accepted, state = 'proposed', how = NULL, error = NULL,
         updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM relink_proposals WHERE state != 'applied' AND (@source IS NULL OR source_id = @source)").run({ source: sourceId });
      for (const p of proposals) {
        const single = p.candidates.length === 1;
        insert.run(
          p.mediaId,
          p.sourceId,
          p.ref,
          p.target,
          p.rule,
          JSON.stringify(p.candidates),
          single ? 0 : 1,
          single ? p.candidates[0] : null,
          single && p.sure ? 1 : 0,
          now,
        );
      }
    })();
  }

  page(from: number, limit: number, only: 'all' | 'ambiguous' | 'failed'): RelinkProposal[] {
    const where = only === 'ambiguous' ? 'AND ambiguous = 1' : only === 'failed' ? "AND state = 'failed'" : '';
    return (this.db.prepare(`SELECT ${COLUMNS} FROM relink_proposals WHERE 1 ${where} ORDER BY id LIMIT ? OFFSET ?`).all(limit, from) as Raw[]).map(toProposal);
  }

  get(id: number): RelinkProposal | null {
    const raw = this.db.prepare(`SELECT ${COLUMNS} FROM relink_proposals WHERE id = ?`).get(id) as Raw | undefined;
    return raw ? toProposal(raw) : null;
  }

  counts(): RelinkCounts {
    const c = this.db
      .prepare(
        `SELECT count(*) AS total, coalesce(sum(ambiguous), 0) AS ambiguous, coalesce(sum(ambiguous = 1 AND chosen IS NULL), 0) AS unsettled,
           coalesce(sum(accepted = 1 AND state = 'proposed'), 0) AS accepted, coalesce(sum(state = 'applied'), 0) AS applied, coalesce(sum(state = 'failed'), 0) AS failed
         FROM relink_proposals`,
      )
      .get() as Omit<RelinkCounts, 'byRule'>;
    const byRule = Object.fromEntries(
      (this.db.prepare('SELECT rule, count(*) AS n FROM relink_proposals GROUP BY rule').all() as Array<{ rule: string; n: number }>).map((r) => [r.rule, r.n]),
    );
    return { ...c, byRule };
  }

  /** Accepts or skips proposals; an ambiguous one is accepted only with the file chosen for it. */
  decide(ids: readonly number[] | 'all', accept: boolean, chosen: string | null): number {
    const now = Date.now();
    if (ids === 'all') {
      return this.db
        .prepare(`UPDATE relink_proposals SET accepted = ?, updated_at = ? WHERE state != 'applied' AND (? = 0 OR chosen IS NOT NULL)`)
        .run(accept ? 1 : 0, now, accept ? 1 : 0).changes;
    }
    const one = this.db.prepare('UPDATE relink_proposals SET accepted = ?, chosen = coalesce(?, chosen), updated_at = ? WHERE id = ? AND state != ?');
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids) changed += one.run(accept ? 1 : 0, chosen, now, id, 'applied').changes;
    })();
    return changed;
  }

  /** What an apply works through: accepted, with a file chosen, not applied yet. */
  toApply(): RelinkProposal[] {
    return (
      this.db.prepare(`SELECT ${COLUMNS} FROM relink_proposals WHERE accepted = 1 AND chosen IS NOT NULL AND state != 'applied' ORDER BY id`).all() as Raw[]
    ).map(toProposal);
  }

  done(id: number, how: string): void {
    this.db.prepare("UPDATE relink_proposals SET state = 'applied', how = ?, error = NULL, updated_at = ? WHERE id = ?").run(how, Date.now(), id);
  }

  failed(id: number, error: string): void {
    this.db.prepare("UPDATE relink_proposals SET state = 'failed', error = ?, updated_at = ? WHERE id = ?").run(error, Date.now(), id);
  }
}
