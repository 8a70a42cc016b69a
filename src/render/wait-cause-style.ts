/** Colours and labels of the five wait causes, shared by the map's cause bars and the wait-causes chart. */
import { WAIT_CAUSES, type WaitCause } from '../metrics/wait-causes.js';

export { WAIT_CAUSES, type WaitCause };

/** Distinct hues (colour-blind safe order after Okabe–Ito); extraneous is grey: "not explained by the data". */
export const WAIT_CAUSE_COLORS: Record<WaitCause, string> = {
  batching: '#CC79A7',
  contention: '#D55E00',
  prioritization: '#E69F00',
  unavailability: '#0072B2',
  extraneous: '#9aa5b1',
};
