/**
 * What to do with one CSV data row, shared by both CSV engines (csv-parse and the byte fast path) so
 * they produce identical EventLogs and reports: validate, reject with a reason, or push coded values.
 * Engines hand rows in through the RowFields interface and intern values into `columnDictionaries`.
 */
import { basename } from 'node:path';
import { Dictionary, MISSING_CODE } from '../model/dictionary.js';
import type { EventLogBuilder } from '../model/event-log-builder.js';
import { LifecycleCode, lifecycleFromSource } from '../model/lifecycle.js';
import type { IngestReportBuilder, RejectionReason } from './ingest-report.js';
import type { ColumnPlan } from './csv-columns.js';
import { TimeColumn, type TimeColumnPart } from './csv-time-column.js';

/** What the sink writes to: an EventLogBuilder, or a chunk's columns on a worker thread (csv-chunk-builder). */
export type SinkBuilder = Pick<EventLogBuilder, 'caseIds' | 'activities' | 'resources' | 'groups' | 'pushCoded' | 'setStartTimestamp' | 'attributeCodeWriter' | 'setCaseAttribute'>;

/** What a sink learned from one chunk of rows beyond the events (csv-threaded): lifecycle values and time columns. */
export interface SinkPart {
  lifecycleValues: string[];
  lifecycleCounts: number[];
  emptyStartCells: number;
  rowsWithStart: number;
  timestamp: TimeColumnPart;
  startTimestamp: TimeColumnPart | undefined;
}

/** One data row as an engine exposes it. Columns are header positions. */
export interface RowFields {
  readonly fieldCount: number;
  isEmpty(column: number): boolean;
  /** The decoded cell text. */
  text(column: number): string;
  /** False only when no cell can be longer than `maxChars` (a cheap pre-check; true means "look"). */
  anyLongerThan(maxChars: number): boolean;
  /** True when the cell is longer than `maxChars` UTF-16 code units. */
  longerThan(column: number, maxChars: number): boolean;
  /** The cell's code in `columnDictionaries[column]`, interning it when new (cell non-empty). */
  code(column: number): number;
  /** Epoch ms of a non-empty timestamp cell read by `parser`, NaN when unparseable. */
  timestampMs(column: number, parser: TimeColumn, row: number): number;
}

export interface SinkOptions {
  timeZone?: string;
  dateFormat?: string;
  maxFieldChars: number;
  delimiter: string;
  /** Every row is a status entry (`enter`), whatever a lifecycle column says. */
  statusChanges?: boolean;
}

const MAX_NOTED_VALUES = 5;

export class CsvRowSink {
  /** Per column, the dictionary its cells are interned into (undefined: the engine never codes it). */
  readonly columnDictionaries: (Dictionary | undefined)[];
  readonly timestamp: TimeColumn;
  readonly startTimestamp: TimeColumn | undefined;
  private readonly fileName: string;
  private readonly columnCount: number;
  private readonly caseColumn: number;
  private readonly activityColumn: number;
  private readonly timestampColumn: number;
  private readonly startColumn: number;
  private readonly resourceColumn: number;
  private readonly groupColumn: number;
  private readonly lifecycleColumn: number;
  private readonly lifecycleSource = new Dictionary();
  private lifecycleCodeBySource = new Uint8Array(16);
  private lifecycleCountBySource = new Float64Array(16);
  private readonly attributeColumns: number[];
  private readonly attributeSetters: (((index: number, code: number) => void) | undefined)[];
  private readonly caseAttributeSeen: Uint8Array[];
  private emptyStartCells = 0;
  private rowsWithStart = 0;

  constructor(
    readonly plan: ColumnPlan,
    private readonly builder: SinkBuilder,
    private readonly report: IngestReportBuilder,
    private readonly fileIndex: number,
    file: string,
    private readonly options: SinkOptions,
  ) {
    this.fileName = basename(file);
    this.columnCount = plan.names.length;
    const { index } = plan;
    this.caseColumn = index.case;
    this.activityColumn = index.activity;
    this.timestampColumn = index.timestamp;
    this.startColumn = index.startTimestamp;
    this.resourceColumn = index.resource;
    this.groupColumn = index.group;
    this.lifecycleColumn = index.lifecycle;
    this.timestamp = new TimeColumn(plan.names[index.timestamp], this.fileName, report, options.timeZone, options.dateFormat);
    this.startTimestamp = index.startTimestamp >= 0 ? new TimeColumn(plan.names[index.startTimestamp], this.fileName, report, options.timeZone, options.dateFormat) : undefined;

    this.columnDictionaries = new Array<Dictionary | undefined>(this.columnCount).fill(undefined);
    this.columnDictionaries[index.case] = builder.caseIds;
    this.columnDictionaries[index.activity] = builder.activities;
    if (index.resource >= 0) this.columnDictionaries[index.resource] = builder.resources;
    if (index.group >= 0) this.columnDictionaries[index.group] = builder.groups;
    if (index.lifecycle >= 0) this.columnDictionaries[index.lifecycle] = this.lifecycleSource;
    this.attributeColumns = plan.eventAttributes.map((a) => a.column);
    // Attribute columns join the log on their first value: a wide header of empty columns costs one small
    // dictionary each, not an event-sized code array (issue 11 #3).
    this.attributeSetters = plan.eventAttributes.map(() => undefined);
    for (const attribute of plan.eventAttributes) this.columnDictionaries[attribute.column] = new Dictionary();
    this.caseAttributeSeen = plan.caseAttributes.map(() => new Uint8Array(1024));
  }

  private reject(reason: RejectionReason, row: number, column: number, value: string, message: string): void {
    this.report.reject(reason, { file: this.fileName, row, column: column >= 0 ? this.plan.names[column] : undefined, value, message });
  }

  /** Accounts one data row: used or rejected with its reason. */
  accept(fields: RowFields, row: number): void {
    this.report.rowsRead++;
    const columnCount = this.columnCount;
    if (fields.fieldCount !== columnCount) {
      const cells: string[] = [];
      for (let k = 0; k < fields.fieldCount; k++) cells.push(fields.text(k));
      this.reject('ragged-row', row, -1, cells.join(this.options.delimiter), `row has ${fields.fieldCount} fields, the header has ${columnCount}`);
      return;
    }
    const maxChars = this.options.maxFieldChars;
    for (let k = 0; fields.anyLongerThan(maxChars) && k < columnCount; k++) {
      if (fields.longerThan(k, maxChars)) {
        const length = fields.text(k).length;
        this.reject('field-too-long', row, k, fields.text(k).slice(0, 200), `field has ${length} characters, the limit is ${maxChars} (--max-field-chars)`);
        return;
      }
    }
    if (fields.isEmpty(this.caseColumn)) return this.reject('missing-case', row, this.caseColumn, '', 'case id is empty');
    if (fields.isEmpty(this.activityColumn)) return this.reject('missing-activity', row, this.activityColumn, '', 'activity is empty');
    if (fields.isEmpty(this.timestampColumn)) return this.reject('missing-timestamp', row, this.timestampColumn, '', 'timestamp is empty');
    const timestampMs = fields.timestampMs(this.timestampColumn, this.timestamp, row);
    if (Number.isNaN(timestampMs)) {
      return this.reject('bad-timestamp', row, this.timestampColumn, fields.text(this.timestampColumn), 'timestamp not parseable');
    }
    let startMs = NaN;
    if (this.startTimestamp !== undefined) {
      if (fields.isEmpty(this.startColumn)) {
        this.emptyStartCells++;
      } else {
        startMs = fields.timestampMs(this.startColumn, this.startTimestamp, row);
        if (Number.isNaN(startMs)) {
          return this.reject('bad-start-timestamp', row, this.startColumn, fields.text(this.startColumn), 'start timestamp not parseable');
        }
      }
    }

    let lifecycleCode: number = this.options.statusChanges ? LifecycleCode.enter : LifecycleCode.instant;
    if (!this.options.statusChanges && this.lifecycleColumn >= 0 && !fields.isEmpty(this.lifecycleColumn)) {
      const sourceCode = fields.code(this.lifecycleColumn);
      if (sourceCode >= this.lifecycleCodeBySource.length) this.growLifecycle(sourceCode);
      if (this.lifecycleCountBySource[sourceCode] === 0) {
        this.lifecycleCodeBySource[sourceCode] = LifecycleCode[lifecycleFromSource(this.lifecycleSource.values[sourceCode])];
      }
      this.lifecycleCountBySource[sourceCode]++;
      lifecycleCode = this.lifecycleCodeBySource[sourceCode];
    }
    const caseCode = fields.code(this.caseColumn);
    const activityCode = fields.code(this.activityColumn);
    const resourceCode = this.resourceColumn >= 0 && !fields.isEmpty(this.resourceColumn) ? fields.code(this.resourceColumn) : MISSING_CODE;
    const groupCode = this.groupColumn >= 0 && !fields.isEmpty(this.groupColumn) ? fields.code(this.groupColumn) : MISSING_CODE;
    const index = this.builder.pushCoded(caseCode, activityCode, timestampMs, lifecycleCode, resourceCode, groupCode, this.fileIndex, row);
    if (!Number.isNaN(startMs)) {
      this.rowsWithStart++;
      this.builder.setStartTimestamp(index, startMs);
      this.report.seeTimestamp(startMs);
    }
    const attributeColumns = this.attributeColumns;
    for (let a = 0; a < attributeColumns.length; a++) {
      const column = attributeColumns[a];
      if (fields.isEmpty(column)) continue;
      const set = this.attributeSetters[a] ?? (this.attributeSetters[a] = this.builder.attributeCodeWriter(this.plan.eventAttributes[a].name, this.columnDictionaries[column]).set);
      set(index, fields.code(column));
    }
    if (this.caseAttributeSeen.length > 0) this.acceptCaseAttributes(fields, caseCode);
    this.report.seeTimestamp(timestampMs);
    this.report.rowsUsed++;
  }

  /** Accounts a record longer than the engine keeps in memory: rejected whole as field-too-long. */
  rejectOversizedRecord(row: number, maxRecordChars: number): void {
    this.report.rowsRead++;
    this.reject('field-too-long', row, -1, '', `record longer than ${maxRecordChars} characters: skipped without reading its fields`);
  }

  /** Accounts a row holding NUL bytes or undecodable bytes: rejected whole, its text never interned. */
  rejectUnreadable(row: number, reason: 'nul-byte' | 'bad-encoding', cells: readonly string[]): void {
    this.report.rowsRead++;
    const column = cells.findIndex((cell) => (reason === 'nul-byte' ? cell.includes('\0') : cell.includes('\uFFFD')));
    const value = (cells[column] ?? '').replace(/\0/g, '\\0');
    const message = reason === 'nul-byte' ? 'row holds a NUL byte (binary junk in a text export)' : 'row holds bytes that are not valid UTF-8';
    this.reject(reason, row, column, value, message);
  }

  /** Accounts a record the CSV parser could not read (csv-parse's skip with its error code). */
  rejectSyntax(row: number, code: string, message: string): void {
    this.report.rowsRead++;
    this.reject('csv-syntax', row, -1, '', `${code}: ${message}`);
  }

  private acceptCaseAttributes(fields: RowFields, caseCode: number): void {
    this.plan.caseAttributes.forEach((attribute, a) => {
      let seen = this.caseAttributeSeen[a];
      if (caseCode >= seen.length) {
        const bigger = new Uint8Array(Math.max(caseCode + 1, seen.length * 2));
        bigger.set(seen);
        this.caseAttributeSeen[a] = seen = bigger;
      }
      if (seen[caseCode] === 1 || fields.isEmpty(attribute.column)) return;
      seen[caseCode] = 1;
      // valueOf, not values: the case ids not yet strings stay bytes (model/dictionary.ts).
      this.builder.setCaseAttribute(this.builder.caseIds.valueOf(caseCode) as string, attribute.name, fields.text(attribute.column));
    });
  }

  /** This sink's part, when it read one chunk of a split file. */
  part(): SinkPart {
    const lifecycleValues = this.lifecycleSource.values;
    return {
      lifecycleValues,
      lifecycleCounts: Array.from(this.lifecycleCountBySource.subarray(0, lifecycleValues.length)),
      emptyStartCells: this.emptyStartCells,
      rowsWithStart: this.rowsWithStart,
      timestamp: this.timestamp.part(),
      startTimestamp: this.startTimestamp?.part(),
    };
  }

  /** Adds the next chunk's part (chunks in file order); false when the chunk's rows would not read the same here. */
  absorb(part: SinkPart): boolean {
    if (!this.timestamp.absorb(part.timestamp)) return false;
    if (this.startTimestamp !== undefined && part.startTimestamp !== undefined && !this.startTimestamp.absorb(part.startTimestamp)) return false;
    part.lifecycleValues.forEach((value, local) => {
      const sourceCode = this.lifecycleSource.intern(value);
      if (sourceCode >= this.lifecycleCodeBySource.length) this.growLifecycle(sourceCode);
      if (this.lifecycleCountBySource[sourceCode] === 0) this.lifecycleCodeBySource[sourceCode] = LifecycleCode[lifecycleFromSource(value)];
      this.lifecycleCountBySource[sourceCode] += part.lifecycleCounts[local];
    });
    this.emptyStartCells += part.emptyStartCells;
    this.rowsWithStart += part.rowsWithStart;
    return true;
  }

  private growLifecycle(sourceCode: number): void {
    const size = Math.max(sourceCode + 1, this.lifecycleCodeBySource.length * 2);
    const codes = new Uint8Array(size);
    codes.set(this.lifecycleCodeBySource);
    const counts = new Float64Array(size);
    counts.set(this.lifecycleCountBySource);
    this.lifecycleCodeBySource = codes;
    this.lifecycleCountBySource = counts;
  }

  /** Writes what the sink learned into the report: mapping, lifecycle counts, time-zone and column notes. */
  finish(): void {
    const report = this.report;
    Object.assign(report.mapping, this.plan.mapping);
    for (const note of this.plan.notes) report.note(note);
    const unknownLifecycles: string[] = [];
    this.lifecycleSource.values.forEach((value, code) => {
      const count = this.lifecycleCountBySource[code] ?? 0;
      if (count === 0) return;
      report.lifecycleValues.set(value, (report.lifecycleValues.get(value) ?? 0) + count);
      if (this.lifecycleCodeBySource[code] === LifecycleCode.other) unknownLifecycles.push(value);
    });
    if (unknownLifecycles.length > 0) {
      const shown = unknownLifecycles.slice(0, MAX_NOTED_VALUES).map((v) => `"${v}"`).join(', ');
      const more = unknownLifecycles.length > MAX_NOTED_VALUES ? ` and ${unknownLifecycles.length - MAX_NOTED_VALUES} more` : '';
      report.note(`lifecycle column "${this.plan.mapping.lifecycle}" has values that are not start/complete (${shown}${more}): kept as lifecycle "other" (a sub-status, as in BPIC 2013?)`);
    }
    if (this.startTimestamp !== undefined && this.emptyStartCells > 0) {
      const column = this.plan.mapping.startTimestamp;
      report.note(
        this.rowsWithStart === 0
          ? `start column "${column}" is empty in every row: events are single-timestamp (no active time)`
          : `start column "${column}" is empty in ${this.emptyStartCells} used rows: those events have no start`,
      );
    }
    const offsetless = this.timestamp.offsetlessCount + (this.startTimestamp?.offsetlessCount ?? 0);
    if (this.options.timeZone !== undefined) {
      report.timeZoneGiven = this.options.timeZone;
      if (offsetless > 0) report.note(`${offsetless} offset-less timestamps read as wall-clock time in ${this.options.timeZone}`);
    } else if (offsetless > 0) {
      report.timeZoneAssumed = 'UTC';
      report.note(`no time zone given: ${offsetless} offset-less timestamps read as UTC; pass --timezone <IANA>`);
    }
  }
}
