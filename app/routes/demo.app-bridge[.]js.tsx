import { APP_BRIDGE_STAND_IN_SCRIPT, requireDemoMode } from "../demo/demo-mode.server";

export const loader = () => {
  requireDemoMode();
  return new Response(APP_BRIDGE_STAND_IN_SCRIPT, { headers: { "Content-Type": "text/javascript; charset=utf-8" } });
};
