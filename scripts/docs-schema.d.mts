// Types of scripts/docs-schema.mjs for the test that imports it (tests/docs/schema-docs.test.ts).
import type { z } from 'zod';

export declare const BEGIN: string;
export declare const END: string;
export declare const OUTPUTS_MD: string;
/** Every generated file: path → content. */
export declare function generateSchemaDocs(zod: typeof z, schemas: Record<string, z.ZodType>, currentOutputsMd: string): Record<string, string>;
