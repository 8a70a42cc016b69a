/**
 * The calendar schema built with the bundled zod, for the config schema and the library (calendar-spec.ts builds
 * it; that module stays zod-free so that making a calendar does not load zod).
 */
import { z } from 'zod';
import { calendarSpecSchemaOf } from './calendar-spec.js';

export const CalendarSpecSchema = calendarSpecSchemaOf(z);
