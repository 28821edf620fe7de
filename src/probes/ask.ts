import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';

export default defineProbe({
  id: 'ask',
  description: 'A guided question for what only a person at the PC can see (unattended: skip, listed as a manual step)',
  explain:
    'Asks the technician a yes/no question (e.g. "Are the last and next sync times shown?"). The answer ' +
    '`passWhen` passes; the other answer gives `failState`. In unattended runs (no TTY, --json, snapshot ' +
    'replays) nobody can answer: the check is skipped and the question is listed in the report as a manual step.',
  params: Type.Object(
    {
      question: Type.String({ minLength: 1, description: 'a yes/no question for the technician' }),
      help: Type.Optional(Type.Array(Type.String(), { description: 'steps that help answer it' })),
      passWhen: Type.Optional(Type.Union([Type.Literal('yes'), Type.Literal('no')])),
      failState: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('warn')])),
      yesSummary: Type.Optional(Type.String()),
      noSummary: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { question: 'Double-click the agent\'s tray icon. Are the last and next sync times shown?' },
  async run(params, { asker }) {
    const help = params.help ?? [];
    if (!asker) {
      return {
        state: 'skip',
        summary: 'Needs a person at the PC (unattended run)',
        question: params.question,
        manual: [...help, params.question],
      };
    }
    const answer = await asker.ask(params.question, help);
    if (answer === 'skip') {
      return { state: 'skip', summary: 'The technician skipped this question', question: params.question, answer, manual: [...help, params.question] };
    }
    const passed = answer === (params.passWhen ?? 'yes');
    const summary = (answer === 'yes' ? params.yesSummary : params.noSummary) ?? `Technician answered "${answer}"`;
    return {
      state: passed ? 'pass' : params.failState ?? 'fail',
      summary,
      question: params.question,
      answer,
      evidence: [`${params.question} — ${answer}`],
    };
  },
});
