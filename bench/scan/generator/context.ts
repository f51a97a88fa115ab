/**
 * What every generating process derives from the arguments alone: the bundled records as
 * templates and the planted-event plan. Parent and children compute it independently and get
 * the same result, so only a day number ever crosses the process boundary.
 */
import type { WriteContext } from './dayWriter.js';
import { assertNamesUnused } from './plantedAnswers.js';
import { type PlantedPlan, planPlanted } from './plantedPlan.js';
import { INVICTUS_SET } from './plantedRecipes.js';
import { loadSourceRecords, toTemplate } from './sourceRecords.js';
import { pairsOf, type TrailOptions } from './trailLayout.js';

export const buildPlan = (options: TrailOptions): { plan: PlantedPlan; sourceRecords: number } => {
  const sources = loadSourceRecords();
  assertNamesUnused(sources);
  const invictus = sources.filter((s) => s.set === INVICTUS_SET).map((s) => s.record);
  return { plan: planPlanted(options, pairsOf(options), invictus), sourceRecords: sources.length };
};

export const buildWriteContext = (options: TrailOptions): WriteContext => {
  const sources = loadSourceRecords();
  const invictus = sources.filter((s) => s.set === INVICTUS_SET).map((s) => s.record);
  const pairs = pairsOf(options);
  return {
    options,
    pairs,
    templates: sources.map((s) => toTemplate(s.record)),
    planted: planPlanted(options, pairs, invictus).byFile,
  };
};
