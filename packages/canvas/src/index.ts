export { type ApplyArguments, type ApplyOptions, applyCanvas, canvasResult } from './apply-canvas';
// Composition
export { type AnyCanvas, Canvas, type InputOf, type OutputOf } from './compose/canvas';
export { chain } from './compose/chain';
export { chord } from './compose/chord';
export { chunks, chunkTask, chunkTaskName } from './compose/chunks';
export { type GroupOptions, type GroupOutput, group, type MapOptions, map } from './compose/group';
export { signature, step } from './compose/signature';
// Worker side
export {
  type CanvasAdapters,
  DEFAULT_GROUP_TTL_MS,
  DEFAULT_REVOCATION_KEEP_MS,
} from './continuation/canvas-adapters';
export { canvasContinuations, type SettledCanvasTask } from './continuation/canvas-continuations';
// Serialisable form
export {
  type CanvasEnvelopeMeta,
  type CanvasFailure,
  type CanvasNode,
  type ChainNode,
  type ChordNode,
  type ContinuationFrame,
  canvasMetaOf,
  type FailureStrategy,
  type GroupNode,
  type MemberOutcome,
  type NodeLinks,
  type SignatureOptions,
  type TaskNode,
} from './node/canvas-node';
export { freezeCanvas, resultIdOf } from './node/freeze-canvas';
// Results
export {
  type CanvasGetOptions,
  type CanvasProgress,
  CanvasResult,
  type CanvasRevokeOptions,
} from './result/canvas-result';
export {
  buildExecutionReport,
  type ExecutionReport,
  type MemberReport,
  type ReportOutcome,
} from './result/execution-report';
