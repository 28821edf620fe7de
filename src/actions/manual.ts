import { Type } from '@sinclair/typebox';
import { defineAction } from './action.js';

export default defineAction({
  id: 'manual',
  description: 'A step only a person can do (clicking a button in the agent, a QuickBooks preference)',
  explain: 'Shows the remediation\'s instructions; the technician answers done, skipped or cannot. Nothing runs on the PC.',
  risk: 'safe',
  params: Type.Object({}, { additionalProperties: false }),
  async plan() {
    return { steps: [], commands: [], blocked: 'a person must do this step' };
  },
  async apply() {
    // The engine asks the person (done / skip / cannot); nothing runs on the PC.
    return { ok: false, detail: 'a person must do this step' };
  },
});
