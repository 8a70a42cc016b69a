/**
 * Merges one chunk of a split CSV into the whole file's read (csv-threaded), chunks strictly in file order, so the
 * result is the one-thread read's whatever the thread timing: each chunk's dictionary values are interned in the
 * chunk's first-seen order (so codes stay in first-appearance order in the file) and its codes remapped, its events
 * appended in row order with rows renumbered, its rejections, time columns and lifecycle counts absorbed.
 */
import { Dictionary, MISSING_CODE } from '../model/dictionary.js';
import { MessageChannel } from 'node:worker_threads';
import { transferList } from './csv-chunk-builder.js';
import { MergeInterner } from './csv-merge-interner.js';
import type { ChunkRead } from './csv-chunk-parse.js';
import type { CsvReadState } from './csv-read-state.js';

/** Global code of each chunk code: the chunk's values interned in the chunk's code order. */
function codeMap(into: MergeInterner, values: readonly string[], hashes: Int32Array): Int32Array {
  const map = new Int32Array(values.length);
  for (let local = 0; local < values.length; local++) map[local] = into.code(values[local], hashes[local]);
  return map;
}

/** codes[k] = map[codes[k]] for the first `count` codes, MISSING_CODE kept. */
function remapInPlace(codes: Int32Array, count: number, map: Int32Array): void {
  for (let k = 0; k < count; k++) {
    const code = codes[k];
    if (code !== MISSING_CODE) codes[k] = map[code];
  }
}

/**
 * Frees the chunk's typed arrays now rather than at V8's next full collection: once copied into the log they are
 * garbage that stayed resident past the read (5 M events, one worker: RSS after the read 397 MB, 341 MB with this; one
 * thread 313). Transferring them into a message port that is then closed detaches them and drops their memory.
 */
export function releaseColumns(columns: ChunkRead['columns']): void {
  const channel = new MessageChannel();
  channel.port1.postMessage(null, transferList(columns));
  channel.port1.close();
  channel.port2.close();
}

/** Merges the chunks of one file, in file order; holds what carries from chunk to chunk. */
export class ChunkMerger {
  private readonly interners = new Map<Dictionary, MergeInterner>();
  /** Data rows of the chunks merged so far: the next chunk's rows count on from here. */
  dataRows = 0;

  constructor(private readonly state: CsvReadState) {}

  private interner(dictionary: Dictionary): MergeInterner {
    let interner = this.interners.get(dictionary);
    if (interner === undefined) {
      interner = new MergeInterner(dictionary);
      this.interners.set(dictionary, interner);
    }
    return interner;
  }

  /**
   * Adds the next chunk. False when it would not read the same as part of the whole file (a time column decided
   * otherwise, or the file would stop with BAD_TIMESTAMP): the caller then reads the file on one thread.
   */
  merge(chunk: ChunkRead): boolean {
    const state = this.state;
    const rowOffset = this.dataRows;
    const sink = state.sink;
    if (sink === undefined || !sink.absorb(chunk.sink)) return false;
    state.report.absorb(chunk.report, rowOffset);
    const { builder, fileIndex } = state;
    const columns = chunk.columns;
    const caseMap = codeMap(this.interner(builder.caseIds), columns.caseIds, columns.caseIdHashes);
    const activityMap = codeMap(this.interner(builder.activities), columns.activities, columns.activityHashes);
    const resourceMap = codeMap(this.interner(builder.resources), columns.resources, columns.resourceHashes);
    const groupMap = codeMap(this.interner(builder.groups), columns.groups, columns.groupHashes);
    // The chunk's arrays came by transfer and are the merge's own: remapped in place, then appended in bulk.
    remapInPlace(columns.caseCode, columns.count, caseMap);
    remapInPlace(columns.activityCode, columns.count, activityMap);
    remapInPlace(columns.resourceCode, columns.count, resourceMap);
    remapInPlace(columns.groupCode, columns.count, groupMap);
    const sourceRow = columns.sourceRow;
    for (let k = 0; k < columns.count; k++) sourceRow[k] += rowOffset;
    // Attributes join the log in the order the file first gives each a value (the chunk's order, after earlier chunks').
    const attributes = columns.attributes.map((attribute) => {
      const writer = builder.attributeCodeWriter(attribute.name, new Dictionary());
      return { set: writer.set, map: codeMap(this.interner(writer.dictionary), attribute.values, attribute.hashes), codes: attribute.codes };
    });
    const first = builder.appendCoded(columns, fileIndex);
    for (const { set, map, codes } of attributes) {
      for (let k = 0; k < columns.count; k++) if (codes[k] !== MISSING_CODE) set(first + k, map[codes[k]]);
    }
    // First value per case wins, as when the rows are read in one pass.
    for (const [caseId, name, value] of columns.caseAttributes) builder.setCaseAttribute(caseId, name, value);
    releaseColumns(columns);
    this.dataRows += chunk.dataRows;
    return true;
  }
}
