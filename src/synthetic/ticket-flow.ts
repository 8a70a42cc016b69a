import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  type Uniform,
  addWorkingMs,
  lognormal,
} from './working-time.js';

/**
 * The help-desk process behind the synthetic log: who does which step, how long tickets queue and how
 * often they loop back. One case is simulated as a list of step visits; the generator turns visits into
 * events of the requested shape.
 */
export type TicketStep = 'Triage' | 'Investigate' | 'Wait for customer' | 'Fix' | 'Review' | 'Resolve';

export const TEAMS = {
  'Support L1': ['Ana Souza', 'Ben Carter', 'Chloé Martin', 'Dev Patel', 'Eva Novak', 'Farid Haddad', 'Grace Kim', 'Hugo Berg'],
  'Support L2': ['Ines Duarte', 'Jonas Weber', 'Kofi Mensah', 'Lena Fischer', 'Marco Rossi', 'Nadia Ivanova'],
  Dev: ['Oscar Lind', 'Priya Nair', 'Quentin Moreau', 'Rosa Jiménez', "Sam O'Neill", 'Tariq Aziz', 'Uma Rao', 'Viktor Horvat'],
  QA: ['Wen Li', 'Xavier Dubois', 'Yara Haddad', 'Zoe Taylor'],
} as const;
export type TeamName = keyof typeof TEAMS;

/** Share of Review visits sent back to Investigate (the main rework loop). */
export const REVIEW_REWORK_PROBABILITY = 0.2;
/** Share of resolved tickets the customer reopens (at most once per case). */
export const REOPEN_PROBABILITY = 0.05;
/** Share of tickets Support L1 resolves right after triage. */
const L1_RESOLVES_PROBABILITY = 0.3;
/** Share of investigated tickets that need an answer from the customer first. */
const ASKS_CUSTOMER_PROBABILITY = 0.25;
/** Share of investigated tickets that need no code fix. */
const NO_FIX_PROBABILITY = 0.4;
/** Share of investigations picked up by Dev directly (escalated past L2). */
const DEV_INVESTIGATES_PROBABILITY = 0.15;
/** More review loops than this are cut short (the ticket gets escalated and passes). */
const MAX_REVIEW_LOOPS = 3;

interface StepTiming {
  /** Median and log-sigma of the office-time queue before the step starts, in minutes. */
  queueMedianMinutes: number;
  queueSigma: number;
  /** Median and log-sigma of the office-time work itself, in minutes: shorter than the queue. */
  activeMedianMinutes: number;
  activeSigma: number;
}

const TIMINGS: Record<Exclude<TicketStep, 'Wait for customer'>, StepTiming> = {
  Triage: { queueMedianMinutes: 45, queueSigma: 1.2, activeMedianMinutes: 6, activeSigma: 0.6 },
  Investigate: { queueMedianMinutes: 240, queueSigma: 1.3, activeMedianMinutes: 55, activeSigma: 0.8 },
  Fix: { queueMedianMinutes: 600, queueSigma: 1.4, activeMedianMinutes: 150, activeSigma: 0.9 },
  Review: { queueMedianMinutes: 180, queueSigma: 1.2, activeMedianMinutes: 30, activeSigma: 0.7 },
  Resolve: { queueMedianMinutes: 60, queueSigma: 1.0, activeMedianMinutes: 8, activeSigma: 0.5 },
};
/** Customers answer in calendar time (evenings and weekends too): median one day. */
const CUSTOMER_REPLY_MEDIAN_MS = MS_PER_DAY;
const CUSTOMER_REPLY_SIGMA = 1.0;
/** Reopens arrive in calendar time after the resolution: median two days. */
const REOPEN_DELAY_MEDIAN_MS = 2 * MS_PER_DAY;
const REOPEN_DELAY_SIGMA = 0.8;

export interface StepVisit {
  step: TicketStep;
  /** When the case started waiting for this step (the previous visit's completion, or the case's arrival). */
  enteredAtMs: number;
  workStartedAtMs: number;
  exitedAtMs: number;
  resource: string;
  group: TeamName;
  /** The visit ends in a resolution (status logs enter "Resolved" at exitedAtMs). */
  resolves: boolean;
  /** The case was reopened before this visit's queue started; enteredAtMs is the reopen time. */
  afterReopen: boolean;
}

/** Picks a team member with a skew: the first names on the roster carry more of the load, as in real teams. */
function pickMember(random: Uniform, team: TeamName): string {
  const members = TEAMS[team];
  return members[Math.floor(members.length * Math.pow(random(), 1.6))];
}

/** Keeps the same person with probability `keepProbability`, else picks anyone from the team. */
function sameOrOther(random: Uniform, team: TeamName, previous: string | undefined, keepProbability: number): string {
  if (previous !== undefined && random() < keepProbability) return previous;
  return pickMember(random, team);
}

/**
 * Simulates one ticket from its arrival. Visits are in time order; each starts where the previous ended
 * (queue, then work), so starts never precede their own queue and timestamps never go backwards.
 */
export function simulateTicket(random: Uniform, arrivedAtMs: number): StepVisit[] {
  const visits: StepVisit[] = [];
  let nowMs = arrivedAtMs;
  let reopenPending = false;

  const work = (step: Exclude<TicketStep, 'Wait for customer'>, resource: string, group: TeamName): void => {
    const timing = TIMINGS[step];
    const queueMs = lognormal(random, timing.queueMedianMinutes, timing.queueSigma) * MS_PER_MINUTE;
    const activeMs = lognormal(random, timing.activeMedianMinutes, timing.activeSigma) * MS_PER_MINUTE;
    // Sub-second jitter keeps timestamps from sitting on round minutes, like real exports.
    const workStartedAtMs = Math.round(addWorkingMs(nowMs, queueMs + random() * 1000));
    const exitedAtMs = Math.round(addWorkingMs(workStartedAtMs, activeMs));
    visits.push({ step, enteredAtMs: nowMs, workStartedAtMs, exitedAtMs, resource, group, resolves: step === 'Resolve', afterReopen: reopenPending });
    reopenPending = false;
    nowMs = exitedAtMs;
  };

  const triager = pickMember(random, 'Support L1');
  work('Triage', triager, 'Support L1');
  let needsInvestigation = random() >= L1_RESOLVES_PROBABILITY;
  /** The L2 agent who last investigated: rework and reopens tend to go back to them. */
  let l2Investigator: string | undefined;
  let developer: string | undefined;

  for (let pass = 0; pass < 2; pass++) {
    if (needsInvestigation) {
      const investigatorTeam: TeamName = random() < DEV_INVESTIGATES_PROBABILITY ? 'Dev' : 'Support L2';
      let investigator: string;
      if (investigatorTeam === 'Dev') investigator = pickMember(random, 'Dev');
      else investigator = l2Investigator = sameOrOther(random, 'Support L2', l2Investigator, 0.6);
      work('Investigate', investigator, investigatorTeam);
      if (random() < ASKS_CUSTOMER_PROBABILITY) {
        const replyMs = lognormal(random, CUSTOMER_REPLY_MEDIAN_MS, CUSTOMER_REPLY_SIGMA);
        const repliedAtMs = Math.round(nowMs + replyMs);
        visits.push({
          step: 'Wait for customer', enteredAtMs: nowMs, workStartedAtMs: nowMs, exitedAtMs: repliedAtMs,
          resource: investigator, group: investigatorTeam, resolves: false, afterReopen: false,
        });
        nowMs = repliedAtMs;
      }
      if (random() >= NO_FIX_PROBABILITY) {
        for (let loop = 0; ; loop++) {
          developer = sameOrOther(random, 'Dev', developer, 0.7);
          work('Fix', developer, 'Dev');
          work('Review', pickMember(random, 'QA'), 'QA');
          if (loop >= MAX_REVIEW_LOOPS - 1 || random() >= REVIEW_REWORK_PROBABILITY) break;
          l2Investigator = sameOrOther(random, 'Support L2', l2Investigator, 0.6);
          work('Investigate', l2Investigator, 'Support L2');
        }
      }
    }
    work('Resolve', sameOrOther(random, 'Support L1', triager, 0.8), 'Support L1');
    if (pass > 0 || random() >= REOPEN_PROBABILITY) break;
    nowMs = Math.round(nowMs + lognormal(random, REOPEN_DELAY_MEDIAN_MS, REOPEN_DELAY_SIGMA));
    reopenPending = true;
    needsInvestigation = true;
  }
  return visits;
}
