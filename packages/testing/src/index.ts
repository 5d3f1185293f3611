export {
  CaseResources,
  type ConformanceCase,
  describeCases,
  eventually,
  runConformanceCase,
  sleep,
} from './conformance/conformance-case';
