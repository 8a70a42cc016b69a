/**
 * docs/schemas/*.schema.json and the field table in docs/outputs.md are generated from the zod schemas in
 * src/contracts (npm run docs:schema). This fails when the committed files differ from what the script writes now,
 * so a schema change without `npm run docs:schema` cannot land.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompareSchema } from '../../src/contracts/compare-schema.js';
import { DistributionSchema, ReportSchema, SurvivalSummarySchema } from '../../src/contracts/report-schema.js';
import { SimulateSchema } from '../../src/contracts/simulate-schema.js';
import { ROOT } from '../cli/run-cli.js';
import { OUTPUTS_MD, generateSchemaDocs } from '../../scripts/docs-schema.mjs';

describe('generated schema docs are up to date', () => {
  const schemas = { ReportSchema, CompareSchema, SimulateSchema, DistributionSchema, SurvivalSummarySchema };
  const files = generateSchemaDocs(z, schemas, readFileSync(join(ROOT, OUTPUTS_MD), 'utf8'));

  for (const [path, expected] of Object.entries(files)) {
    it(`${path} is what npm run docs:schema writes`, () => {
      expect(readFileSync(join(ROOT, path), 'utf8') === expected, `${path} is stale: run npm run docs:schema and commit it`).toBe(true);
    });
  }

  it('documents the real fields (the generator is not silently empty)', () => {
    const outputs = files[OUTPUTS_MD];
    for (const field of ['`schemaVersion`', '`steps[].activeMs`', '`findings`', '`dataQuality`']) expect(outputs).toContain(field);
    expect(JSON.parse(files['docs/schemas/report.schema.json']).required).toContain('schemaVersion');
  });

  it('would see a drifted schema (a field added to the schema changes the output)', () => {
    const drifted = { ...schemas, ReportSchema: ReportSchema.extend({ addedForTheTest: z.string() }) };
    const regenerated = generateSchemaDocs(z, drifted, files[OUTPUTS_MD]);
    expect(regenerated['docs/schemas/report.schema.json']).not.toBe(files['docs/schemas/report.schema.json']);
    expect(regenerated[OUTPUTS_MD]).toContain('`addedForTheTest`');
  });
});
