import type { Row } from './build-log.js';

const H = 60;

/**
 * Four Jira-like cases (minutes after T0; group = owner):
 * A: To Do 0h → In Progress 2h → Waiting for Customer 5h → In Progress 8h → Done 10h
 * B: To Do 0h → In Progress 1h → In Review 3h → (owner → QA at 3.25h) → In Progress 4h (backward) → In Review 6h → Done 7h
 * C: To Do 0h → In Progress 1h → flagged 2h–4h → Done 5h → In Progress 6h (reopen, open until asOf)
 * D: To Do 0h (no owner) → In Progress 3h (L2), open at asOf = 12h
 */
export const STATUS_ROWS: Row[] = [
  ['A', 'To Do', 0, 'enter', 'L1'],
  ['A', 'In Progress', 2 * H, 'enter', 'L1'],
  ['A', 'Waiting for Customer', 5 * H, 'enter', 'L1'],
  ['A', 'In Progress', 8 * H, 'enter', 'L1'],
  ['A', 'Done', 10 * H, 'enter', 'L1'],
  ['B', 'To Do', 0, 'enter', 'L1'],
  ['B', 'In Progress', 1 * H, 'enter', 'L1'],
  ['B', 'In Review', 3 * H, 'enter', 'L1'],
  ['B', 'In Review', 3.25 * H, 'owner', 'QA'],
  ['B', 'In Progress', 4 * H, 'enter', 'QA'],
  ['B', 'In Review', 6 * H, 'enter', 'QA'],
  ['B', 'Done', 7 * H, 'enter', 'QA'],
  ['C', 'To Do', 0, 'enter', 'L1'],
  ['C', 'In Progress', 1 * H, 'enter', 'L1'],
  ['C', 'In Progress', 2 * H, 'block', 'L1'],
  ['C', 'In Progress', 4 * H, 'unblock', 'L1'],
  ['C', 'Done', 5 * H, 'enter', 'L1'],
  ['C', 'In Progress', 6 * H, 'enter', 'L1'],
  ['D', 'To Do', 0, 'enter'],
  ['D', 'In Progress', 3 * H, 'enter', 'L2'],
];
