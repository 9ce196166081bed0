export { createGetReportAction, GET_REPORT_ACTION } from './getReportAction';
export {
  createCheckManifestsAction,
  CHECK_MANIFESTS_ACTION,
} from './checkManifestsAction';
