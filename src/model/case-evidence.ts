/**
 * What an export says about each case beyond its events (DESIGN §7b): the case's own creation and resolution
 * fields, whether its status history starts after it was created, and whether the export carries status history
 * at all. Read by the sufficiency check and by reconstruction (lead time from case fields, left-censoring).
 * Columns are by case code; NaN = unknown.
 */
export interface CaseEvidence {
  /**
   * False for current-state exports (Jira search without `expand=changelog`, Zendesk ticket lists without audits):
   * the events are only each case's current status seeded at its creation, so no step can be timed.
   */
  readonly statusHistory: boolean;
  /** The case's creation field (Jira `fields.created`, Zendesk `created_at`, ServiceNow `opened_at`), epoch ms. */
  readonly createdAtMs: Float64Array;
  /** The case's resolution field (Jira `resolutiondate`, Zendesk `solved_at`, ServiceNow `resolved_at`), epoch ms. */
  readonly resolvedAtMs: Float64Array;
  /** 1 when the case's current status is done-class in the source (closed even if its resolution time is unknown). */
  readonly doneNow: Uint8Array;
  /**
   * 1 when the status history is known to start after the case was created: the status before the first change is
   * unknown (no `from` and a later creation time) or the creation time is unknown while the first change has a `from`.
   */
  readonly historyAfterCreation: Uint8Array;
}

/** One case's evidence as an adapter reports it (any field may be absent). */
export interface CaseEvidenceInput {
  createdAtMs?: number;
  resolvedAtMs?: number;
  doneNow?: boolean;
  historyAfterCreation?: boolean;
}

/** The evidence columns of `caseCount` cases, or undefined when the adapter reported none (an event-only source). */
export function caseEvidenceColumns(statusHistory: boolean | undefined, byCode: ReadonlyMap<number, CaseEvidenceInput>, caseCount: number): CaseEvidence | undefined {
  if (statusHistory === undefined && byCode.size === 0) return undefined;
  const createdAtMs = new Float64Array(caseCount).fill(NaN);
  const resolvedAtMs = new Float64Array(caseCount).fill(NaN);
  const doneNow = new Uint8Array(caseCount);
  const historyAfterCreation = new Uint8Array(caseCount);
  for (const [code, evidence] of byCode) {
    createdAtMs[code] = evidence.createdAtMs ?? NaN;
    resolvedAtMs[code] = evidence.resolvedAtMs ?? NaN;
    doneNow[code] = evidence.doneNow === true ? 1 : 0;
    historyAfterCreation[code] = evidence.historyAfterCreation === true ? 1 : 0;
  }
  return { statusHistory: statusHistory ?? true, createdAtMs, resolvedAtMs, doneNow, historyAfterCreation };
}
