export { ImportError, formatPlace, type Place } from './errors';
export { importAppMesh, type ImportInput, type Imported } from './import-appmesh';
export { GAP_ADVICE, type Gap, type GapKind, type ReadEntry } from './findings';
export { type ImportResult } from './map-topology';
export { placeholderCodePath } from './map-tasks';
export { topologySource } from './write-topology';
export { reportMarkdown, reportSummary } from './write-report';
export { runCli } from './cli';
