import { Command, Option } from 'commander';
import { assertValidTimeZone } from '../ingest/timestamp.js';
import { type ColumnMapping, SOURCE_KINDS, type ReadOptions, type SourceKind } from '../ingest/read-options.js';

/** Flags every command that reads a log shares. */
export interface IngestFlags extends ColumnMapping {
  source?: string;
  timezone?: string;
  dateFormat?: string;
  delimiter?: string;
  encoding?: string;
  objectType?: string;
  statusLog?: boolean;
  wide?: boolean;
  progress?: boolean;
}

export function addIngestFlags(command: Command): Command {
  return command
    .addOption(new Option('--source <kind>', 'input kind (sniffed when absent)').choices([...SOURCE_KINDS]))
    .option('--case <column>', 'column holding the case id')
    .option('--activity <column>', 'column holding the activity or status')
    .option('--timestamp <column>', 'column holding the (completion) timestamp')
    .option('--start-timestamp <column>', 'column holding the start timestamp of the activity')
    .option('--resource <column>', 'column holding the person (resource)')
    .option('--group <column>', 'column holding the team / queue / group')
    .option('--lifecycle <column>', 'column holding start/complete lifecycle values')
    .option('--timezone <iana>', 'time zone of timestamps written without an offset, e.g. Europe/Berlin')
    .option('--date-format <tokens>', 'date-fns format of non-ISO timestamps, e.g. "dd/MM/yyyy HH:mm"')
    .option('--delimiter <char>', 'CSV delimiter (sniffed when absent)')
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, latin1 (sniffed when absent)')
    .option('--object-type <type>', 'OCEL: the object type whose objects become cases')
    .option('--status-log', 'CSV: each row says "the case entered this status at this time" (status-change export)')
    .option('--wide', 'CSV: one row per item, one column per stage holding the date it entered (ActionableAgile, jira-to-analytics); detected when absent')
    .option('--no-progress', 'never show a progress bar');
}


export function readOptionsFromFlags(flags: IngestFlags): ReadOptions {
  if (flags.timezone) assertValidTimeZone(flags.timezone);
  const mapping = {
    case: flags.case,
    activity: flags.activity,
    timestamp: flags.timestamp,
    startTimestamp: flags.startTimestamp,
    resource: flags.resource,
    group: flags.group,
    lifecycle: flags.lifecycle,
  };
  const definedMapping = Object.fromEntries(Object.entries(mapping).filter(([, value]) => value !== undefined));
  return {
    source: flags.source as SourceKind | undefined,
    mapping: Object.keys(definedMapping).length > 0 ? definedMapping : undefined,
    timeZone: flags.timezone,
    dateFormat: flags.dateFormat,
    delimiter: flags.delimiter,
    encoding: flags.encoding,
    objectType: flags.objectType,
    shape: flags.statusLog ? 'status' : undefined,
    wide: flags.wide ? true : undefined,
  };
}
