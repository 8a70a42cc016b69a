/**
 * Merges one chunk of a split CSV into the whole file's read (csv-threaded), chunks strictly in file order, so the
 * result is the one-thread read's whatever the thread timing: each chunk's dictionary values are interned in the
 * chunk's first-seen order (so codes stay in first-appearance order in the file) and its codes remapped, its events
 * appended in row order with rows renumbered, its rejections, time columns and lifecycle counts absorbed.
 */
import { Dictionary, MISSING_CODE } from '../model/dictionary.js';
import type { ChunkRead } from './csv-chunk-parse.js';
import type { CsvReadState } from './csv-read-state.js';

/** Global code of each chunk code: the chunk's values interned in the chunk's code order. */
function codeMap(into: Dictionary, values: readonly string[]): Int32Array {
  const map = new Int32Array(values.length);
  for (let local = 0; local < values.length; local++) map[local] = into.intern(values[local]);
  return map;
}

/**
 * Adds `chunk` (whose rows follow `rowOffset` data rows of the file) to `state`. False when the chunk would not read
 * the same as part of the whole file (a time column decided otherwise, or the file would stop with BAD_TIMESTAMP):
 * the caller then reads the file on one thread.
 */
export function mergeChunk(state: CsvReadState, chunk: ChunkRead, rowOffset: number): boolean {
  const sink = state.sink;
  if (sink === undefined || !sink.absorb(chunk.sink)) return false;
  state.report.absorb(chunk.report, rowOffset);
  const { builder, fileIndex } = state;
  const columns = chunk.columns;
  const caseMap = codeMap(builder.caseIds, columns.caseIds);
  const activityMap = codeMap(builder.activities, columns.activities);
  const resourceMap = codeMap(builder.resources, columns.resources);
  const groupMap = codeMap(builder.groups, columns.groups);
  const { caseCode, activityCode, resourceCode, groupCode, timestampMs, startTimestampMs, lifecycle, sourceRow } = columns;
  const first = builder.eventCount;
  // Attributes join the log in the order the file first gives each a value (the chunk's order, after earlier chunks').
  const attributes = columns.attributes.map((attribute) => {
    const writer = builder.attributeCodeWriter(attribute.name, new Dictionary());
    return { set: writer.set, map: codeMap(writer.dictionary, attribute.values), codes: attribute.codes };
  });
  for (let k = 0; k < columns.count; k++) {
    const resource = resourceCode[k];
    const group = groupCode[k];
    const index = builder.pushCoded(
      caseMap[caseCode[k]],
      activityMap[activityCode[k]],
      timestampMs[k],
      lifecycle[k],
      resource === MISSING_CODE ? MISSING_CODE : resourceMap[resource],
      group === MISSING_CODE ? MISSING_CODE : groupMap[group],
      fileIndex,
      sourceRow[k] + rowOffset,
    );
    if (startTimestampMs !== undefined && !Number.isNaN(startTimestampMs[k])) builder.setStartTimestamp(index, startTimestampMs[k]);
  }
  for (const { set, map, codes } of attributes) {
    for (let k = 0; k < columns.count; k++) if (codes[k] !== MISSING_CODE) set(first + k, map[codes[k]]);
  }
  // First value per case wins, as when the rows are read in one pass.
  for (const [caseId, name, value] of columns.caseAttributes) builder.setCaseAttribute(caseId, name, value);
  return true;
}
