export { PROCESS_MAP_END, PROCESS_MAP_START } from './process-map.types.js';
export type { ProcessMapEdge, ProcessMapGraph, ProcessMapNode, ProcessMapOptions } from './process-map.types.js';
export { durationFill, durationStroke, formatCount, frequencyFill, htmlText, penWidth, processMapToDot, wrapLabel } from './process-map-dot.js';
export { layoutDotAsJson, renderDotToSvg, renderDotToSvgAndJson, renderProcessMapSvg } from './render-process-map.js';
