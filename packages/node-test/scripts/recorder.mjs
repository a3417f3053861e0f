// A node:test reporter that appends every event, as JSON lines, to $RECORD_FILE: what `record-events.mjs`
// turns into the recordings the event rules are tested on. Errors keep the fields the rules read.
import { appendFileSync } from 'node:fs';

// biome-ignore lint/correctness/useYield: it writes to its file and prints nothing; Node needs a generator (or a stream).
export default async function* recorder(source) {
  for await (const { type, data } of source) {
    appendFileSync(process.env.RECORD_FILE, `${JSON.stringify({ time: Date.now(), type, data: plain(data) })}\n`);
  }
}

function plain(data) {
  if (data === null || typeof data !== 'object') return data;
  const copy = { ...data };
  if (copy.details) {
    copy.details = { ...copy.details };
    if (copy.details.error) copy.details.error = errorFields(copy.details.error);
  }
  if (copy.summary) copy.summary = '(coverage summary)';
  return copy;
}

function errorFields(error) {
  const fields = { message: error?.message, failureType: error?.failureType, code: error?.code };
  if (error?.exitCode !== undefined) fields.exitCode = error.exitCode;
  if (error?.signal !== undefined) fields.signal = error.signal;
  if (error?.cause !== undefined) fields.cause = { message: error.cause?.message ?? String(error.cause) };
  return fields;
}
