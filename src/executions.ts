/** One data job execution, as far as the check needs to know it. */
export interface Execution {
  id: string;
  status: string;
  /** ISO 8601 as the service sent it; null when absent. */
  startTime: string | null;
  type: string | null;
  startedBy: string | null;
  logsUrl: string | null;
}

function optionalText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Reads one entry of the service's answer. Any field may be null or missing;
 * an entry that is not an object carries nothing and is dropped.
 */
export function toExecution(entry: unknown): Execution | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return null;
  }
  const fields = entry as Record<string, unknown>;
  return {
    id: optionalText(fields['id']) ?? '',
    status: (optionalText(fields['status']) ?? '').trim().toLowerCase(),
    startTime: optionalText(fields['start_time']),
    type: optionalText(fields['type']),
    startedBy: optionalText(fields['started_by']),
    logsUrl: optionalText(fields['logs_url'])
  };
}

export function toExecutions(entries: readonly unknown[]): Execution[] {
  const executions: Execution[] = [];
  for (const entry of entries) {
    const execution = toExecution(entry);
    if (execution) executions.push(execution);
  }
  return executions;
}
