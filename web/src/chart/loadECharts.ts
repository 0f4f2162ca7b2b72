/**
 * ECharts in a chunk of its own, loaded once. The app asks for it right after its first render has sent the
 * report request (App's mount effect), so its ~550 kB are fetched and compiled while the answer is on its way
 * instead of before the request leaves.
 */
let loading: Promise<typeof import('./echarts')> | undefined;

export function loadECharts(): Promise<typeof import('./echarts')> {
  return (loading ??= import('./echarts'));
}
