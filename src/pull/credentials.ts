import { VsmError } from '../errors.js';

/**
 * Credentials come only from environment variables (never a flag, never a file): a flag would land in shell
 * history and `ps`, a file in backups. The secret values are kept here only to scrub them from any text that
 * could reach the terminal or a file (an API may echo a token back in an error body).
 */
export interface Credentials {
  /** The `Authorization` header value. */
  authorization: string;
  /** Names of the variables used, for messages and pull.json. */
  variables: string[];
  /** The secret values (and their encodings), to redact from any text shown or written. */
  secrets: string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

function basic(user: string, secret: string, variables: string[]): Credentials {
  const encoded = Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
  return { authorization: `Basic ${encoded}`, variables, secrets: [secret, encoded] };
}

function bearer(token: string, variables: string[]): Credentials {
  return { authorization: `Bearer ${token}`, variables, secrets: [token] };
}

function present(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function missing(what: string, fix: string): VsmError {
  return new VsmError({ code: 'BAD_OPTION', what, where: 'environment', got: 'no credential variables set', fix });
}

/** Jira Cloud: `JIRA_EMAIL` + `JIRA_API_TOKEN` (basic auth); Data Center / Server: `JIRA_PAT` (bearer). */
export function jiraCredentials(env: Environment): Credentials {
  const pat = present(env, 'JIRA_PAT');
  const email = present(env, 'JIRA_EMAIL');
  const token = present(env, 'JIRA_API_TOKEN');
  if (email !== undefined && token !== undefined) return basic(email, token, ['JIRA_EMAIL', 'JIRA_API_TOKEN']);
  if (pat !== undefined) return bearer(pat, ['JIRA_PAT']);
  throw missing(
    'no Jira credentials',
    'set JIRA_EMAIL and JIRA_API_TOKEN (Jira Cloud: an API token from id.atlassian.com) or JIRA_PAT (Data Center: a personal access token)',
  );
}

/** Zendesk: `ZENDESK_EMAIL` + `ZENDESK_API_TOKEN` (basic `email/token:…`), or `ZENDESK_OAUTH_TOKEN` (bearer). */
export function zendeskCredentials(env: Environment): Credentials {
  const oauth = present(env, 'ZENDESK_OAUTH_TOKEN');
  const email = present(env, 'ZENDESK_EMAIL');
  const token = present(env, 'ZENDESK_API_TOKEN');
  if (email !== undefined && token !== undefined) return basic(`${email}/token`, token, ['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN']);
  if (oauth !== undefined) return bearer(oauth, ['ZENDESK_OAUTH_TOKEN']);
  throw missing('no Zendesk credentials', 'set ZENDESK_EMAIL and ZENDESK_API_TOKEN (an API token of an admin), or ZENDESK_OAUTH_TOKEN');
}

/** GitHub: `GITHUB_TOKEN` (classic or fine-grained), sent as a bearer token. */
export function githubCredentials(env: Environment): Credentials {
  const token = present(env, 'GITHUB_TOKEN');
  if (token !== undefined) return bearer(token, ['GITHUB_TOKEN']);
  throw missing('no GitHub credentials', 'set GITHUB_TOKEN (fine-grained: "Issues: read" on the repository; classic: "repo" for private repositories)');
}

/** Replaces every secret in `text` by `***` (longest first, so an encoding that contains a secret goes whole). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
