export { startFakeBuildkite } from './fake-buildkite.js';
export type {
  AgentRetryOptions,
  FakeBuildkite,
  FakeBuildkiteOptions,
  Fault,
  JobApiMode,
  RecordedRequest,
} from './types.js';
